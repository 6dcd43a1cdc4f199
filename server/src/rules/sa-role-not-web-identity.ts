import { display, knownText } from '../common/value';
import { describeServiceAccount, STS_ACCESS_DENIED, where } from './support/common';
import { linkDependencies, linkedRoles, roleLabel } from './support/sa-links';
import type { Report, Rule } from './types';
import { collect, memoReports } from './support/memo';
import type { WorkspaceModel } from '../index/model';
import type { ServiceAccount } from '../facts/types';

const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';

const ID = 'sa-role-not-web-identity';

/** The ServiceAccount's role exists but cannot be assumed with a web identity token at all. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: "ServiceAccount's role has no web-identity trust statement" },
  check(model, report) {
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId) continue;
      for (const r of memoReports(ID, sa, linkDependencies(model, sa), () => collect((out) => checkServiceAccount(model, sa, out)))) report(r);
    }
  },
};

function checkServiceAccount(model: WorkspaceModel, sa: ServiceAccount, report: (finding: Report) => void): void {
  if (!sa.roleArn) return;
  const roles = linkedRoles(model, sa);
  if (!roles || roles.length === 0) return;
  // Every candidate role must be known to lack web identity.
  if (!roles.every((r) => r.policy.complete && r.webStatements.length === 0 && r.policy.statements.every((s) => s.principalsComplete && s.actionsComplete))) return;
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
      `Add a Federated statement for the cluster's OIDC provider with a pinned sub, or annotate the ServiceAccount with an IRSA role` +
      (podIdentity ? `; for EKS Pod Identity, remove the annotation and create an \`aws_eks_pod_identity_association\` instead (not on Fargate).` : '.'),
    related: [{ span: first.policy.span, message: 'trust policy of the role' }],
  });
}
