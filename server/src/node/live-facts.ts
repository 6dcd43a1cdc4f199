/**
 * One live lookup for the CLI and the language server: the clusters
 * (`eks:DescribeCluster` + the OIDC provider), the roles the workspace
 * names by ARN (`iam:GetRole` + policy listings) and the ServiceAccounts of
 * the kubeconfig contexts asked, in parallel, each through its cache.
 * Nothing throws; faults are returned, one line each.
 */
import type { ClusterTarget, LiveFacts, LiveFault, LiveKubernetesContext } from '../live/types';
import { fetchLiveCluster, fetchLiveFacts, fetchLiveRole, fetchLiveRoles, LiveClusterCache, LiveRoleCache, TtlCache } from './aws';
import { fetchKubernetesServiceAccounts, type KubernetesResult } from './kubernetes';

export interface LiveRequest {
  /** Clusters to describe (AWS). */
  readonly targets: readonly ClusterTarget[];
  /** Role ARNs to read (AWS); empty: none. */
  readonly roleArns: readonly string[];
  /** Kubeconfig contexts to list (empty: the current one); absent: Kubernetes is not asked. */
  readonly kubernetesContexts?: readonly string[];
  /** For IAM role lookups. */
  readonly profile?: string;
}

export class LiveCaches {
  readonly clusters: LiveClusterCache;
  readonly roles: LiveRoleCache;
  readonly kubernetes: TtlCache<readonly string[], KubernetesResult>;

  constructor(timeoutMs: () => number, ttlMs: number, profile?: () => string | undefined) {
    this.clusters = new LiveClusterCache((t) => fetchLiveCluster(t, { timeoutMs: timeoutMs() }), ttlMs);
    this.roles = new LiveRoleCache((arn) => {
      const p = profile?.();
      return fetchLiveRole(arn, { timeoutMs: timeoutMs(), ...(p !== undefined ? { profile: p } : {}) });
    }, ttlMs);
    this.kubernetes = new TtlCache((contexts) => fetchKubernetesServiceAccounts(contexts, { timeoutMs: timeoutMs() }), (contexts) => JSON.stringify(contexts), ttlMs);
  }

  setTtl(ttlMs: number): void {
    for (const cache of [this.clusters, this.roles, this.kubernetes]) cache.setTtl(ttlMs);
  }

  clear(): void {
    for (const cache of [this.clusters, this.roles, this.kubernetes]) cache.clear();
  }
}

export async function gatherLiveFacts(request: LiveRequest, caches: LiveCaches): Promise<{ facts: LiveFacts; faults: LiveFault[] }> {
  // Started together: the role lookups do not wait for the clusters, whose accounts only settle what NoSuchEntity means.
  for (const arn of request.roleArns) void caches.roles.get(arn);
  const [clusters, kubernetes] = await Promise.all([
    fetchLiveFacts(request.targets, caches.clusters),
    request.kubernetesContexts ? caches.kubernetes.get(request.kubernetesContexts) : Promise.resolve(undefined),
  ]);
  // Accounts the role lookups' credentials reach: those of clusters described with the same profile.
  const sameCredentials = new Set(request.targets.filter((t) => t.profile === request.profile).map((t) => t.name));
  const accounts = clusters.facts.clusters.filter((c) => c.account !== '' && sameCredentials.has(c.name)).map((c) => c.account);
  const roles = request.roleArns.length > 0 ? await fetchLiveRoles(request.roleArns, caches.roles, accounts) : undefined;
  const contexts: readonly LiveKubernetesContext[] | undefined = kubernetes?.contexts;
  return {
    facts: { ...clusters.facts, ...(contexts ? { kubernetes: contexts } : {}), ...(roles ? { roles: roles.roles } : {}) },
    faults: [...clusters.faults, ...(roles?.faults ?? []), ...(kubernetes?.faults ?? [])],
  };
}
