/**
 * Which clusters to check: the `irsa.clusters` setting (or the CLI's
 * `--cluster`), the clusters the workspace names, and the EKS contexts of
 * the user's kubeconfig. Pure: the caller reads the kubeconfig.
 */
import { parseAllDocuments } from 'yaml';
import { knownText } from '../common/value';
import type { WorkspaceModel } from '../index/model';
import type { ClusterSource, ClusterTarget } from './types';

/** `arn:<partition>:eks:<region>:<account>:cluster/<name>`. */
const EKS_CLUSTER_ARN = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/([A-Za-z0-9][A-Za-z0-9_-]*)$/;

/** Clusters named with a known name in the workspace (eks module, aws_eks_cluster, eksctl). */
export function clustersNamedByWorkspace(model: WorkspaceModel): ClusterTarget[] {
  const targets: ClusterTarget[] = [];
  for (const cluster of model.clusters) {
    const name = knownText(cluster.name);
    if (name === undefined || name === '') continue;
    targets.push({ name, ...(cluster.region !== undefined ? { region: cluster.region } : {}), source: 'workspace' });
  }
  return targets;
}

/**
 * EKS clusters of a kubeconfig: contexts whose cluster is named by an EKS
 * cluster ARN (what `aws eks update-kubeconfig` writes), with the profile of
 * the user entry's `AWS_PROFILE` or `--profile`. Anything else, or a file
 * that does not parse, yields nothing.
 */
export function clustersInKubeconfig(text: string): ClusterTarget[] {
  const targets: ClusterTarget[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return targets;
  }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) continue;
    const config: unknown = doc.toJS();
    if (!isObject(config)) continue;
    const users = new Map<string, string | undefined>();
    for (const u of asArray(config.users)) if (isObject(u) && typeof u.name === 'string') users.set(u.name, profileOfUser(u.user));
    for (const c of asArray(config.contexts)) {
      if (!isObject(c) || !isObject(c.context)) continue;
      const cluster = c.context.cluster;
      const m = typeof cluster === 'string' ? EKS_CLUSTER_ARN.exec(cluster) : null;
      if (!m) continue;
      const profile = typeof c.context.user === 'string' ? users.get(c.context.user) : undefined;
      targets.push({ name: m[3]!, region: m[1]!, ...(profile !== undefined ? { profile } : {}), source: 'kubeconfig' });
    }
  }
  return targets;
}

function profileOfUser(user: unknown): string | undefined {
  if (!isObject(user) || !isObject(user.exec)) return undefined;
  for (const e of asArray(user.exec.env)) if (isObject(e) && e.name === 'AWS_PROFILE' && typeof e.value === 'string') return e.value;
  const args = asArray(user.exec.args);
  const i = args.indexOf('--profile');
  const next = i >= 0 ? args[i + 1] : undefined;
  return typeof next === 'string' ? next : undefined;
}

const PRECEDENCE: readonly ClusterSource[] = ['settings', 'cli', 'workspace', 'kubeconfig'];

/**
 * One target per cluster name and region, the most explicit source winning
 * (a setting's profile beats the kubeconfig's). A target without a region
 * merges into one with a region of the same name: it most likely means the
 * same cluster, and one lookup is enough.
 */
export function mergeClusterTargets(...lists: readonly (readonly ClusterTarget[])[]): ClusterTarget[] {
  const all = lists.flat().sort((a, b) => PRECEDENCE.indexOf(a.source) - PRECEDENCE.indexOf(b.source));
  const out: ClusterTarget[] = [];
  for (const target of all) {
    const same = out.find((t) => t.name === target.name && (t.region === target.region || t.region === undefined || target.region === undefined));
    if (!same) out.push(target);
    else if (same.region === undefined && target.region !== undefined) out[out.indexOf(same)] = { ...same, region: target.region };
  }
  return out;
}

/** A key that changes when the set of clusters to check changes. */
export function targetsKey(targets: readonly ClusterTarget[]): string {
  return JSON.stringify(targets.map((t) => [t.name, t.region ?? '', t.profile ?? '']).sort());
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `arn:<partition>:iam::<account>:role/<path/>name`, as an annotation writes it. */
const ROLE_ARN_TEXT = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * The role ARNs the workspace's ServiceAccounts name literally (annotations,
 * add-on links), sorted: the roles to read live with `iam:GetRole`.
 */
export function roleArnsNamedByWorkspace(model: WorkspaceModel): string[] {
  const arns = new Set<string>();
  for (const sa of model.serviceAccounts) {
    const text = sa.roleArn ? knownText(sa.roleArn.value) : undefined;
    if (text !== undefined && ROLE_ARN_TEXT.test(text)) arns.add(text);
  }
  return [...arns].sort();
}
