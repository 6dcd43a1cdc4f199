/**
 * Which Fargate profiles serve a namespace. A selector is *known* to match
 * when its namespace (with Fargate's `*`/`?` wildcards) matches and it asks
 * for no labels: pod labels are not in the workspace model, so a selector
 * with labels may match or not, and precision says stay silent.
 */
import { knownText } from '../../common/value';
import type { ClusterRef, FargateProfile, FargateSelector } from '../../facts/types';
import { globMatch } from '../../index/irsa';
import type { WorkspaceModel } from '../../index/model';

export interface FargateMatch {
  readonly profile: FargateProfile;
  readonly selector: FargateSelector;
}

/**
 * Two facts are of one cluster when both cluster names are known and equal,
 * or, when a name is computed, when they come from one Terraform directory
 * or one eksctl file.
 */
export function sameCluster(a: ClusterRef, b: ClusterRef): boolean {
  const x = knownText(a.name);
  const y = knownText(b.name);
  if (x !== undefined && y !== undefined) return x === y;
  return a.scope === b.scope;
}

/** The profile selectors of `cluster` that certainly select every pod of `namespace`. */
export function fargateSelectorsFor(model: WorkspaceModel, cluster: ClusterRef, namespace: string): FargateMatch[] {
  const matches: FargateMatch[] = [];
  for (const profile of model.fargateProfiles) {
    if (!sameCluster(profile.cluster, cluster)) continue;
    for (const selector of profile.selectors) {
      const pattern = knownText(selector.namespace.value);
      if (pattern === undefined || !globMatch(pattern, namespace)) continue;
      // FIXME(#4): selectors with labels need the pods' labels (workload pod templates) to be known to match.
      if (selector.labels.length > 0 || !selector.labelsComplete) continue;
      matches.push({ profile, selector });
    }
  }
  return matches;
}

/** `Fargate profile `karpenter` (module.eks fargate_profiles)` for messages. */
export function describeProfile(profile: FargateProfile): string {
  const where = profile.origin === 'eks-module' ? ` in \`${profile.id.replace(/^.*#(module\.[^#]*)#.*$/, '$1')}\` \`fargate_profiles\`` : '';
  return `Fargate profile \`${profile.name}\`${where}`;
}
