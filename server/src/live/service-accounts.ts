/**
 * Which live Kubernetes context the workspace's ServiceAccounts are for,
 * for the drift checks. Precision first: only a context read completely,
 * whose EKS cluster is known (its kubeconfig entry names it) and is the one
 * cluster the workspace names (eks module, `aws_eks_cluster`, eksctl), or
 * the one cluster named for the check (`--cluster`, `irsa.clusters`) when
 * the workspace names none. A workspace of several clusters, a context of
 * unknown cluster, or a cluster of another name: no drift is judged.
 * Pure: reads the model and the live facts.
 */
import { knownText } from '../common/value';
import type { ServiceAccount } from '../facts/types';
import { knownNamespaceAndName } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { clustersNamedByWorkspace } from './discovery';
import type { LiveFacts, LiveKubernetesContext, LiveServiceAccount } from './types';

export type ReadContext = Extract<LiveKubernetesContext, { kind: 'read' }>;

export function contextOfWorkspace(model: WorkspaceModel, live: LiveFacts | undefined): ReadContext | undefined {
  const contexts = live?.kubernetes;
  if (!contexts || contexts.length === 0) return undefined;
  const named = new Set(clustersNamedByWorkspace(model).map((c) => c.name));
  if (named.size === 0) for (const c of live?.clusters ?? []) if (c.source === 'cli' || c.source === 'settings') named.add(c.name);
  if (named.size !== 1) return undefined;
  const [cluster] = named;
  const matching = contexts.filter((c) => c.cluster === cluster);
  // Two contexts of the same cluster (two users) should agree; one unreadable makes the answer unknown.
  const read = matching.filter((c): c is ReadContext => c.kind === 'read');
  return read.length > 0 && read.length === matching.length ? read[0] : undefined;
}

/** The live ServiceAccount of the same namespace and name; `null` when the context has none. Undefined when the workspace's is not known. */
export function liveServiceAccountOf(context: ReadContext, sa: ServiceAccount): LiveServiceAccount | null | undefined {
  const id = knownNamespaceAndName(sa);
  if (!id) return undefined;
  return liveIndex(context).get(`${id.namespace}/${id.name}`) ?? null;
}

/** ServiceAccounts the workspace declares more than once under one namespace/name with different role ARNs: overlays of several environments. */
export function ambiguousServiceAccounts(model: WorkspaceModel): ReadonlySet<string> {
  const arns = new Map<string, Set<string>>();
  for (const sa of model.serviceAccounts) {
    const id = knownNamespaceAndName(sa);
    if (!id) continue;
    const key = `${id.namespace}/${id.name}`;
    let set = arns.get(key);
    if (!set) arns.set(key, (set = new Set()));
    set.add(sa.roleArn ? (knownText(sa.roleArn.value) ?? '?') : '');
  }
  return new Set([...arns].filter(([, set]) => set.size > 1).map(([key]) => key));
}

/**
 * Whether the context has the namespace: every namespace has a `default`
 * ServiceAccount, so a namespace without any does not exist there. A
 * manifest for a namespace the cluster lacks is most likely for another
 * cluster or environment (a kustomize overlay), and is not compared.
 */
export function namespaceExists(context: ReadContext, namespace: string): boolean {
  let namespaces = namespaceSets.get(context);
  if (!namespaces) namespaceSets.set(context, (namespaces = new Set(context.serviceAccounts.map((s) => s.namespace))));
  return namespaces.has(namespace);
}

const namespaceSets = new WeakMap<ReadContext, Set<string>>();
const indexes = new WeakMap<ReadContext, Map<string, LiveServiceAccount>>();

function liveIndex(context: ReadContext): Map<string, LiveServiceAccount> {
  let index = indexes.get(context);
  if (!index) {
    index = new Map(context.serviceAccounts.map((s) => [`${s.namespace}/${s.name}`, s]));
    indexes.set(context, index);
  }
  return index;
}

/**
 * The live ServiceAccounts of a context that the workspace does not declare
 * (by namespace and name), for the inventory: they have no place in the
 * workspace, so no finding is made of them. Undefined when the workspace
 * declares a ServiceAccount whose namespace or name is not known (it may be
 * any of them).
 */
export function liveOnlyServiceAccounts(model: WorkspaceModel, context: ReadContext): LiveServiceAccount[] | undefined {
  const declared = new Set<string>();
  for (const sa of model.serviceAccounts) {
    const id = knownNamespaceAndName(sa);
    if (!id) return undefined;
    declared.add(`${id.namespace}/${id.name}`);
  }
  return context.serviceAccounts.filter((s) => !declared.has(`${s.namespace}/${s.name}`));
}
