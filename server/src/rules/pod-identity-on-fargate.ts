import { NON_POD_WORKLOAD_KINDS } from '../facts/kubernetes';
import { knownText } from '../common/value';
import type { ClusterRef, Workload } from '../facts/types';
import type { WorkspaceModel } from '../index/model';
import { describeLabels, describeProfile, fargateSelectorsFor, labelledSelectorsFor, type FargateMatch } from '../index/fargate';
import { defineRule } from './types';

/**
 * EKS Pod Identity hands out credentials through the Pod Identity Agent, a
 * DaemonSet on each node; Fargate runs no DaemonSets, and AWS documents Pod
 * Identity as unavailable on Fargate. An association whose namespace a
 * Fargate profile serves gives its pods nothing. Reported when a selector
 * without labels names the namespace (then every pod of it runs on
 * Fargate), or when a selector with labels certainly picks the pods of a
 * workload that runs as the association's ServiceAccount (its pod template
 * carries every label the selector asks for). Otherwise a labelled selector
 * may or may not pick the pods, and nothing is said.
 *
 * eksctl add-ons take associations too (`addons[].podIdentityAssociations`).
 * Fargate never runs DaemonSet pods, so an add-on's DaemonSet (vpc-cni's
 * `aws-node`) keeps running on EC2 nodes whatever the profile selects: those
 * ServiceAccounts are left alone. IRSA for an add-on is the add-on's
 * `serviceAccountRoleARN` (or `attachPolicyARNs`), not an annotation.
 */
export const rule = defineRule({
  meta: { id: 'pod-identity-on-fargate', defaultSeverity: 'error', title: 'Pod Identity association for a namespace that runs on Fargate' },
  check(model, report) {
    for (const association of model.podIdentityAssociations) {
      const namespace = knownText(association.namespace.value);
      if (namespace === undefined) continue;
      const sa = knownText(association.serviceAccount.value);
      const addon = association.addon ? knownText(association.addon) : undefined;
      if (addon !== undefined && sa !== undefined && ADDON_DAEMONSET_SERVICE_ACCOUNTS.get(addon)?.includes(sa)) continue;
      // The same for a ServiceAccount that, as far as the workspace shows, only DaemonSets run as.
      if (sa !== undefined && onlyDaemonSets(workloadsRunningAs(model, namespace, sa))) continue;
      const matches = fargateSelectorsFor(model, association.cluster, namespace);
      const labelled = matches.length === 0 && sa !== undefined ? labelledMatch(model, association.cluster, namespace, sa) : undefined;
      const first = matches[0] ?? labelled?.matches[0];
      if (!first) continue;
      const onFargate = labelled
        ? `the pods of ${labelled.workload.kind} \`${knownText(labelled.workload.name.value) ?? '?'}\` carry the labels ${describeProfile(first.profile)} selects (${describeLabels(first.selector)}), so they run on Fargate`
        : `${describeProfile(first.profile)} runs the pods of namespace \`${namespace}\` on Fargate`;
      const subject = `system:serviceaccount:${namespace}:${sa ?? '<service-account>'}`;
      const instead =
        association.addon !== undefined
          ? `Give the add-on${addon !== undefined ? ` \`${addon}\`` : ''} an IRSA role instead: \`serviceAccountRoleARN\` (a role trusting the cluster's OIDC provider with \`sub\` = \`${subject}\`) or \`attachPolicyARNs\` with \`iam.withOIDC: true\`, in place of \`podIdentityAssociations\`.`
          : `Use IRSA for this ServiceAccount instead: a role trusting the cluster's OIDC provider with \`sub\` = \`${subject}\`, and the \`eks.amazonaws.com/role-arn\` annotation on the ServiceAccount.`;
      report({
        span: association.span,
        message:
          `This Pod Identity association${addon !== undefined ? ` of add-on \`${addon}\`` : ''} is for ServiceAccount \`${namespace}/${sa ?? '?'}\`, but ${onFargate}. ` +
          `Pod Identity needs the EKS Pod Identity Agent, a DaemonSet that Fargate cannot run, so these pods get no credentials from the association: ` +
          `the AWS SDK's credential chain finds nothing (\`NoCredentialProviders\` / \`Could not load credentials from any providers\`). ` +
          instead,
        related: labelled
          ? [
              ...labelled.matches.map((m) => ({ span: m.selector.span, message: `${describeProfile(m.profile)} selects pods of namespace \`${namespace}\` labelled ${describeLabels(m.selector)}` })),
              { span: labelled.workload.span, message: `${labelled.workload.kind} \`${knownText(labelled.workload.name.value) ?? '?'}\` runs as ServiceAccount \`${sa ?? '?'}\` with those labels` },
            ]
          : matches.map((m) => ({ span: m.selector.span, message: `${describeProfile(m.profile)} selects namespace \`${namespace}\`` })),
      });
    }
  },
});

/**
 * ServiceAccounts of EKS add-on DaemonSets, by add-on name: their pods run on
 * EC2 nodes even in a namespace a Fargate profile selects, so Pod Identity
 * works for them. (The add-ons' own manifests: vpc-cni's `aws-node`, the CSI
 * drivers' node plugins.)
 */
const ADDON_DAEMONSET_SERVICE_ACCOUNTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['vpc-cni', ['aws-node']],
  ['aws-ebs-csi-driver', ['ebs-csi-node-sa']],
  ['aws-efs-csi-driver', ['efs-csi-node-sa']],
]);

/**
 * The first workload (not a DaemonSet: Fargate runs none) of `namespace`
 * running as ServiceAccount `sa` whose pods a labelled selector of
 * `cluster` certainly picks.
 */
function labelledMatch(model: WorkspaceModel, cluster: ClusterRef, namespace: string, sa: string): { workload: Workload; matches: FargateMatch[] } | undefined {
  for (const workload of workloadsRunningAs(model, namespace, sa)) {
    if (isDaemonSet(workload)) continue;
    const matches = labelledSelectorsFor(model, cluster, workload);
    if (matches.length > 0) return { workload, matches };
  }
  return undefined;
}

/** The workspace's workloads of `namespace` whose pods run as ServiceAccount `sa` (no serviceAccountName: `default`). */
function workloadsRunningAs(model: WorkspaceModel, namespace: string, sa: string): Workload[] {
  return model.workloads.filter((w) => !NON_POD_WORKLOAD_KINDS.has(w.kind) && knownText(w.namespace.value) === namespace && (w.serviceAccountName ? knownText(w.serviceAccountName.value) : 'default') === sa);
}

function isDaemonSet(workload: Workload): boolean {
  return /^daemon_?set$/i.test(workload.kind);
}

function onlyDaemonSets(workloads: readonly Workload[]): boolean {
  return workloads.length > 0 && workloads.every(isDaemonSet);
}
