import { display, knownText } from '../common/value';
import { describeServiceAccount, STS_ACCESS_DENIED, where } from '../index/describe';
import { reportedAsKarpenterOnFargate, withKarpenterDependencies } from '../index/karpenter';
import { linkDependencies, linkedRoles } from '../index/links';
import { roleLabel } from '../index/describe';
import { defineRule, type Report } from './types';
import { collect, memoReports } from './support/memo';
import { subjectOfServiceAccount } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { admitsOnlyMajorAtLeast } from '../terraform/version';
import type { ModuleCall, Role, ServiceAccount } from '../facts/types';
import { POD_IDENTITY_SERVICE } from '../facts/iam';


const ID = 'sa-role-not-web-identity';

/** The ServiceAccount's role exists but cannot be assumed with a web identity token at all. */
export const rule = defineRule({
  meta: { id: ID, defaultSeverity: 'error', title: "ServiceAccount's role has no web-identity trust statement" },
  check(model, report) {
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId) continue;
      const deps = withKarpenterDependencies(model, sa, linkDependencies(model, sa));
      for (const r of memoReports(ID, sa, deps, () => collect<never>((out) => checkServiceAccount(model, sa, out)))) report(r);
    }
  },
});

/**
 * For the terraform-aws-modules/eks karpenter controller role: the module's
 * own inputs (21.x takes IRSA trust only as a document; 20.x builds it with
 * `enable_irsa`), and Pod Identity through the association the module creates.
 */
function karpenterAdvice(model: WorkspaceModel, role: Role, sa: ServiceAccount): string {
  const call = model.moduleCalls.find((c) => c.id === role.id);
  const name = call?.name ?? 'karpenter';
  const subject = subjectOfServiceAccount(sa) ?? 'system:serviceaccount:<namespace>:<name>';
  const v21 = admitsOnlyMajorAtLeast(call?.version?.value, 21) === true;
  const irsa = v21
    ? `For IRSA, pass a trust document for the cluster's OIDC provider with \`sub\` = \`${subject}\` in \`iam_role_source_assume_policy_documents\` of \`module.${name}\` (21.x has no native IRSA)`
    : `For IRSA, set \`enable_irsa = true\` and \`irsa_oidc_provider_arn\` on \`module.${name}\`, with \`${subject.replace(/^system:serviceaccount:/, '')}\` in \`irsa_namespace_service_accounts\``;
  return `${irsa}; for Pod Identity (not on Fargate), remove the annotation and ${podIdentityAdvice(call, sa, v21)}.`;
}

/** How the karpenter module's Pod Identity association can serve this ServiceAccount. */
function podIdentityAdvice(call: ModuleCall | undefined, sa: ServiceAccount, v21: boolean): string {
  const k = call?.karpenter;
  // 21.x creates the association by default; 20.x only with `create_pod_identity_association = true`.
  if (!k || !v21 || call.arguments.some((a) => a.name === 'create_pod_identity_association')) {
    return 'use an EKS Pod Identity association (`create_pod_identity_association = true` on the module, or your own)';
  }
  const namespace = knownText(sa.namespace.value);
  const name = knownText(sa.name.value);
  const moduleNamespace = knownText(k.namespace.value);
  const moduleName = knownText(k.serviceAccount.value);
  if (namespace === undefined || name === undefined || moduleNamespace === undefined || moduleName === undefined) {
    return `rely on the EKS Pod Identity association the module creates for its \`namespace\` and \`service_account\` inputs`;
  }
  if (namespace === moduleNamespace && name === moduleName) return 'rely on the EKS Pod Identity association the module creates for it';
  const inputs = [namespace !== moduleNamespace ? `\`namespace = "${namespace}"\`` : '', name !== moduleName ? `\`service_account = "${name}"\`` : ''].filter((x) => x !== '');
  return `set ${inputs.join(' and ')} on the module: the EKS Pod Identity association it creates names \`${moduleNamespace}/${moduleName}\``;
}

function checkServiceAccount(model: WorkspaceModel, sa: ServiceAccount, report: (finding: Report) => void): void {
  if (!sa.roleArn) return;
  const roles = linkedRoles(model, sa);
  if (!roles || roles.length === 0) return;
  // Every candidate role must be known to lack web identity.
  if (!roles.every((r) => r.policy.complete && r.webStatements.length === 0 && r.policy.statements.every((s) => s.principalsComplete && s.actionsComplete))) return;
  // The karpenter controller's role on Fargate: karpenter-v21-fargate-irsa reports it on the module, with the cause.
  if (roles.some((r) => reportedAsKarpenterOnFargate(model, r.link.role, sa))) return;
  const first = roles[0]!;
  const trusted = [...new Set(first.policy.statements.flatMap((s) => s.principals.map((p) => `${p.type} \`${display(p.value.value)}\``)))];
  // A Pod Identity role (`pods.eks.amazonaws.com`) is used through an association, never through the annotation.
  const podIdentity = first.policy.statements.some((s) => s.principals.some((p) => p.type === 'Service' && knownText(p.value.value) === POD_IDENTITY_SERVICE));
  report({
    span: sa.roleArn.span,
    message:
      `ServiceAccount \`${describeServiceAccount(sa)}\` uses role ${roleLabel(first.link.role)}, whose trust policy (${where(first.policy.span)}) ` +
      `has no \`sts:AssumeRoleWithWebIdentity\` statement for an EKS cluster's OIDC provider${trusted.length ? `; it trusts ${trusted.join(', ')}` : ''}. ` +
      `The pod's SDK will fail with ${STS_ACCESS_DENIED}. ` +
      (first.link.role.origin === 'karpenter-module'
        ? karpenterAdvice(model, first.link.role, sa)
        : `Add a Federated statement for the cluster's OIDC provider with a pinned sub, or annotate the ServiceAccount with an IRSA role` +
          (podIdentity ? `; for EKS Pod Identity, remove the annotation and create an \`aws_eks_pod_identity_association\` instead (not on Fargate).` : '.')),
    related: [{ span: first.policy.span, message: 'trust policy of the role' }],
  });
}
