/**
 * Which Fargate profiles serve a namespace. A selector is *known* to match
 * when its namespace (with Fargate's `*`/`?` wildcards) matches and it asks
 * for no labels, or, for the pods of a known workload, when the pod
 * template carries every label it asks for. Anything less is silent.
 */
import { knownText } from '../common/value';
import type { ClusterRef, FargateProfile, FargateSelector, Workload } from '../facts/types';
import { globMatch } from './irsa';
import type { WorkspaceModel } from './model';

export interface FargateMatch {
  readonly profile: FargateProfile;
  readonly selector: FargateSelector;
}

/**
 * Two facts are of one cluster when both cluster names are known and equal,
 * or, when a name is computed, when they come from one Terraform directory
 * or one eksctl file.
 */
function sameCluster(a: ClusterRef, b: ClusterRef): boolean {
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
      // A selector with labels may or may not pick a pod: fargateSelectorsForPods decides for known pods.
      if (selector.labels.length > 0 || !selector.labelsComplete) continue;
      matches.push({ profile, selector });
    }
  }
  return matches;
}

/**
 * The profile selectors of `cluster` with labels that certainly select the
 * pods of `workload`: the namespace matches, the selector's labels are all
 * known, and the pod template carries every one of them with the same value.
 * (Selectors without labels are `fargateSelectorsFor`'s.)
 */
export function labelledSelectorsFor(model: WorkspaceModel, cluster: ClusterRef, workload: Workload): FargateMatch[] {
  const namespace = knownText(workload.namespace.value);
  if (namespace === undefined) return [];
  const podLabels = new Map<string, string | undefined>(workload.podLabels.map((l) => [l.key.value, knownText(l.value.value)]));
  const matches: FargateMatch[] = [];
  for (const profile of model.fargateProfiles) {
    if (!sameCluster(profile.cluster, cluster)) continue;
    for (const selector of profile.selectors) {
      const pattern = knownText(selector.namespace.value);
      if (pattern === undefined || !globMatch(pattern, namespace) || selector.labels.length === 0 || !selector.labelsComplete) continue;
      const certain = selector.labels.every((requirement) => {
        const wanted = knownText(requirement.value);
        return wanted !== undefined && podLabels.get(requirement.key) === wanted;
      });
      if (certain) matches.push({ profile, selector });
    }
  }
  return matches;
}

/** `Selector labels` for messages: `app=karpenter, tier=system`. */
export function describeLabels(selector: FargateSelector): string {
  return selector.labels.map((l) => `${l.key}=${knownText(l.value) ?? '?'}`).join(', ');
}

/** `Fargate profile `karpenter` (module.eks fargate_profiles)` for messages. */
export function describeProfile(profile: FargateProfile): string {
  const where = profile.origin === 'eks-module' ? ` in \`${profile.id.replace(/^.*#(module\.[^#]*)#.*$/, '$1')}\` \`fargate_profiles\`` : '';
  return `Fargate profile \`${profile.name}\`${where}`;
}
