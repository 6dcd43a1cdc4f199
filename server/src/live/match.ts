/**
 * Which live cluster a trust statement is for. In order:
 * 1. **by issuer**: an issuer ID the statement names (in its Federated
 *    principal or a condition key) is a live cluster's ID;
 * 2. **by configuration**: the statement is built from a cluster's
 *    Terraform symbols (`data.aws_eks_cluster.x…issuer`, `module.eks.oidc_provider`,
 *    a provider whose URL is such a symbol), or its Terraform module names
 *    exactly one cluster;
 * 3. **by region**: the statement names an issuer in a region (and account)
 *    where exactly one cluster is checked that the user named (setting,
 *    `--cluster`, or the workspace). Kubeconfig clusters are not used here:
 *    a kubeconfig often lists clusters of other projects, and precision
 *    beats recall.
 * Pure: reads the model and the live facts.
 */
import type { Span } from '../common/text';
import { knownText, type StrValue } from '../common/value';
import { dirnameUri } from '../common/uri';
import type { ClusterDeclaration, TrustPolicy, TrustStatement } from '../facts/types';
import { EKS_ISSUER_HOST, EKS_PROVIDER_ARN, issuerHostOf, splitConditionKey } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import type { LiveCluster, LiveFacts } from './types';

/** An issuer the statement spells out: in a Federated principal ARN or a condition key. */
export interface IssuerMention {
  readonly span: Span;
  readonly where: 'principal' | 'key';
  readonly region: string;
  readonly issuerId: string;
  /** From a principal ARN. */
  readonly account?: string;
}

export interface StatementCluster {
  readonly cluster: LiveCluster;
  readonly by: 'issuer' | 'configuration' | 'region';
  /** The issuers the statement spells out (possibly none, when it is built from symbols only). */
  readonly mentions: readonly IssuerMention[];
}

/** `https://oidc.eks.<region>.amazonaws.com/id/<ID>` → its parts. */
export function parseIssuer(url: string): { host: string; region: string; issuerId: string } | undefined {
  const host = issuerHostOf(url);
  const m = EKS_ISSUER_HOST.exec(host);
  return m ? { host, region: m[1]!, issuerId: m[3]! } : undefined;
}

export function issuerMentions(statement: TrustStatement): IssuerMention[] {
  const mentions: IssuerMention[] = [];
  for (const p of statement.principals) {
    if (p.type !== 'Federated') continue;
    const text = knownText(p.value.value);
    const m = text !== undefined ? EKS_PROVIDER_ARN.exec(text) : null;
    if (m) mentions.push({ span: p.value.span, where: 'principal', region: m[3]!, issuerId: m[4]!, account: m[2]! });
  }
  for (const c of statement.conditions) {
    const parts = splitConditionKey(c.key.value);
    const issuer = parts ? knownText(parts.issuer) : undefined;
    const parsed = issuer !== undefined ? parseIssuer(issuer) : undefined;
    if (parsed) mentions.push({ span: c.key.span, where: 'key', region: parsed.region, issuerId: parsed.issuerId });
  }
  return mentions;
}

export function liveIssuerId(cluster: LiveCluster): string | undefined {
  return cluster.issuerUrl !== undefined ? parseIssuer(cluster.issuerUrl)?.issuerId : undefined;
}

export function liveClusterOfStatement(model: WorkspaceModel, live: LiveFacts, policy: TrustPolicy, statement: TrustStatement): StatementCluster | undefined {
  const clusters = live.clusters.filter((c) => liveIssuerId(c) !== undefined);
  if (clusters.length === 0) return undefined;
  const mentions = issuerMentions(statement);
  for (const m of mentions) {
    const cluster = clusters.find((c) => liveIssuerId(c) === m.issuerId && c.region === m.region);
    if (cluster) return { cluster, by: 'issuer', mentions };
  }
  const configured = clusterByConfiguration(model, clusters, policy, statement);
  if (configured) return { cluster: configured, by: 'configuration', mentions };
  const first = mentions[0];
  if (!first || mentions.some((m) => m.region !== first.region)) return undefined;
  const account = mentions.find((m) => m.account !== undefined)?.account;
  const candidates = clusters.filter((c) => c.source !== 'kubeconfig' && c.region === first.region && (account === undefined || c.account === account));
  return candidates.length === 1 ? { cluster: candidates[0]!, by: 'region', mentions } : undefined;
}

function clusterByConfiguration(model: WorkspaceModel, clusters: readonly LiveCluster[], policy: TrustPolicy, statement: TrustStatement): LiveCluster | undefined {
  const owners = new Set<string>();
  const values: StrValue[] = [...statement.principals.filter((p) => p.type === 'Federated').map((p) => p.value.value), ...statement.conditions.map((c) => c.key.value)];
  for (const value of values) {
    for (const s of value.segments) {
      if (s.kind !== 'symbol') continue;
      owners.add(s.owner);
      // A provider whose URL is a cluster's issuer: `aws_iam_openid_connect_provider.x` with `url = aws_eks_cluster.y.identity[0].oidc[0].issuer`.
      for (const u of model.providerUrl(s.owner)?.segments ?? []) if (u.kind === 'symbol') owners.add(u.owner);
    }
  }
  const bySymbol = model.clusters.filter((c) => owners.has(c.owner));
  const declarations = bySymbol.length > 0 ? bySymbol : declarationsOfModule(model, policy);
  const names = new Set(declarations.map((d) => knownText(d.name)).filter((n): n is string => n !== undefined));
  if (names.size !== 1) return undefined;
  const [name] = names;
  const regions = new Set(declarations.map((d) => d.region));
  const matching = clusters.filter((c) => c.name === name && (regions.has(undefined) || regions.has(c.region)));
  return matching.length === 1 ? matching[0] : undefined;
}

/** Cluster declarations in the Terraform module directory of the policy, or of the roles that use it. */
function declarationsOfModule(model: WorkspaceModel, policy: TrustPolicy): readonly ClusterDeclaration[] {
  const dirs = new Set<string>();
  if (policy.span.uri.endsWith('.tf')) dirs.add(dirnameUri(policy.span.uri));
  for (const role of model.rolesOfTrustPolicy(policy)) {
    const m = /^tf:(.*)#/.exec(role.id);
    if (m) dirs.add(m[1]!);
  }
  return model.clusters.filter((c) => [...dirs].some((dir) => c.owner.startsWith(`tf:${dir}#`)));
}
