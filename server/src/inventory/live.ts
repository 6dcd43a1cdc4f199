/**
 * The inventory's live columns: what IAM says a role holds (attached and
 * inline policies) and where the clusters' ServiceAccounts differ from the
 * workspace's. Pure: the facts are an input (`live/types.ts`), fetched by
 * `node/`. A context or role that could not be read (`unknown`) says
 * nothing, so no drift is claimed from a failed call.
 */
import { knownText } from '../common/value';
import type { Role, ServiceAccount } from '../facts/types';
import { knownNamespaceAndName, parseRoleArn } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import type { LiveFacts, LiveKubernetesContext, LiveRole, LiveServiceAccount } from '../live/types';
import type { InventoryDrift, InventoryLive, InventoryLiveOnly } from '../../../shared/inventory';

export interface LiveJoin {
  /** The live columns of a ServiceAccount (with its linked role, if any, and the row's cluster); undefined when nothing live was asked. */
  forServiceAccount(sa: ServiceAccount, role: Role | undefined, cluster: string): InventoryLive | undefined;
  /** The live columns of a role no ServiceAccount carries. */
  forRole(role: Role, arn: string | undefined): InventoryLive | undefined;
  /** Live ServiceAccounts with a role ARN the workspace does not declare; undefined when Kubernetes was not asked. */
  readonly liveOnly: readonly InventoryLiveOnly[] | undefined;
}

type ReadContext = Extract<LiveKubernetesContext, { kind: 'read' }>;

export function liveJoin(model: WorkspaceModel, live: LiveFacts | undefined): LiveJoin {
  const contexts = (live?.kubernetes ?? []).filter((c): c is ReadContext => c.kind === 'read');
  const roles = live?.roles;
  const asked = live?.kubernetes !== undefined || roles !== undefined;

  const roleFacts = (role: Role | undefined, arn: string | undefined): LiveRole | undefined => {
    if (!roles) return undefined;
    if (arn !== undefined && roles.has(arn)) return roles.get(arn);
    // A role the workspace declares is asked for by the ARN the fetcher built: match by name (and account when known).
    const name = role ? knownText(role.name) : undefined;
    if (name === undefined) return undefined;
    for (const [key, value] of roles) {
      const parsed = parseRoleArn(key);
      if (parsed?.name === name && (role!.accountId === undefined || role!.accountId === parsed.account)) return value;
    }
    return undefined;
  };

  const permissions = (facts: LiveRole | undefined): Omit<InventoryLive, 'drift'> => {
    if (facts?.kind === 'found') return { attachedPolicies: facts.attachedPolicies, inlinePolicies: facts.inlinePolicies };
    if (facts?.kind === 'missing') return { roleMissing: true };
    return {};
  };

  const drift = (sa: ServiceAccount, cluster: string): InventoryDrift[] => {
    const id = knownNamespaceAndName(sa);
    if (!id) return [];
    // Contexts of another cluster than the row's (both known) are not compared.
    const comparable = contexts.filter((c) => c.cluster === undefined || cluster === '' || c.cluster === cluster || !looksLikeClusterName(cluster));
    if (comparable.length === 0) return [];
    const declared = sa.roleArn ? knownText(sa.roleArn.value) : '';
    const out: InventoryDrift[] = [];
    let found = false;
    for (const context of comparable) {
      const live = context.serviceAccounts.find((l) => l.namespace === id.namespace && l.name === id.name);
      if (!live) continue;
      found = true;
      // A computed ARN in the workspace cannot be compared.
      if (declared === undefined) continue;
      if ((live.roleArn ?? '') !== declared) out.push({ kind: 'annotation-differs', context: context.context, ...(live.roleArn !== undefined ? { live: live.roleArn } : {}) });
    }
    if (!found) out.push({ kind: 'missing-in-cluster', contexts: comparable.map((c) => c.context) });
    return out;
  };

  let liveOnly: InventoryLiveOnly[] | undefined;
  if (live?.kubernetes !== undefined) {
    liveOnly = [];
    const declared = declaredNames(model);
    for (const context of contexts) {
      for (const l of context.serviceAccounts) {
        if (l.roleArn === undefined || l.roleArn === '') continue;
        if (declares(declared, l)) continue;
        liveOnly.push({ context: context.context, namespace: l.namespace, serviceAccount: l.name, roleArn: l.roleArn });
      }
    }
  }

  return {
    forServiceAccount(sa, role, cluster) {
      if (!asked) return undefined;
      const arn = sa.roleArn ? knownText(sa.roleArn.value) : undefined;
      const facts = arn === '' ? undefined : roleFacts(role, arn);
      return { ...permissions(facts), drift: drift(sa, cluster) };
    },
    forRole(role, arn) {
      if (!asked) return undefined;
      return { ...permissions(roleFacts(role, arn)), drift: [] };
    },
    liveOnly,
  };
}

/**
 * Whether the row's cluster column is an EKS cluster name (`[0-9A-Za-z][A-Za-z0-9_-]*`), not an
 * issuer host, a Terraform address (`module.eks`) or an expression, which no kubeconfig context names.
 */
function looksLikeClusterName(text: string): boolean {
  return /^[0-9A-Za-z][A-Za-z0-9_-]*$/.test(text);
}

interface DeclaredNames {
  /** `ns/name` of ServiceAccounts whose namespace and name are known. */
  readonly exact: ReadonlySet<string>;
  /** Names of ServiceAccounts whose namespace is not known (a Helm values file's): any namespace may be theirs. */
  readonly anyNamespace: ReadonlySet<string>;
}

function declaredNames(model: WorkspaceModel): DeclaredNames {
  const exact = new Set<string>();
  const anyNamespace = new Set<string>();
  for (const sa of model.serviceAccounts) {
    const name = knownText(sa.name.value);
    if (name === undefined) continue;
    const namespace = knownText(sa.namespace.value);
    if (namespace === undefined) anyNamespace.add(name);
    else exact.add(`${namespace}/${name}`);
  }
  return { exact, anyNamespace };
}

function declares(declared: DeclaredNames, live: LiveServiceAccount): boolean {
  return declared.exact.has(`${live.namespace}/${live.name}`) || declared.anyNamespace.has(live.name);
}
