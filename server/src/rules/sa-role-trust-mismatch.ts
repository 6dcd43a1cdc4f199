import { knownText } from '../common/value';
import { admitsClaim, conditionsForClaim, subjectOf } from '../index/irsa';
import { knownNamespaceAndName, STS_ACCESS_DENIED, where } from './support/common';
import { reportedAsKarpenterOnFargate, withKarpenterDependencies } from './support/karpenter';
import { linkDependencies, linkDescription, linkedRoles, roleLabel } from './support/sa-links';
import type { RelatedInformation, Report, Rule } from './types';
import { collect, memoReports } from './support/memo';
import type { WorkspaceModel } from '../index/model';
import type { ServiceAccount } from '../facts/types';

const ID = 'sa-role-trust-mismatch';

/**
 * The cross-file check: the ServiceAccount's role is in the workspace and its
 * trust policy does not admit `system:serviceaccount:<ns>:<name>`.
 */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: "ServiceAccount's role does not trust this ServiceAccount" },
  check(model, report) {
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId) continue;
      const deps = withKarpenterDependencies(model, sa, linkDependencies(model, sa));
      for (const r of memoReports(ID, sa, deps, () => collect((out) => checkServiceAccount(model, sa, out)))) report(r);
    }
  },
};

function checkServiceAccount(model: WorkspaceModel, sa: ServiceAccount, report: (finding: Report) => void): void {
  if (!sa.roleArn) return;
  const id = knownNamespaceAndName(sa);
  if (!id) return;
  const roles = linkedRoles(model, sa);
  if (!roles || roles.length === 0) return;
  // The karpenter controller's role on Fargate: karpenter-v21-fargate-irsa reports it on the module, with the cause.
  if (roles.some((r) => reportedAsKarpenterOnFargate(model, r.link.role, sa))) return;
  const subject = subjectOf(id.namespace, id.name);
  let allDeny = true;
  for (const r of roles) {
    if (!r.policy.complete || r.webStatements.length === 0) {
      allDeny = false; // unknown, or sa-role-not-web-identity's business
      break;
    }
    const verdicts = r.webStatements.map((s) => admitsClaim(s, 'sub', subject));
    if (verdicts.some((v) => v !== false)) {
      allDeny = false;
      break;
    }
  }
  if (!allDeny) return;
  const related: RelatedInformation[] = [];
  const admitted: string[] = [];
  for (const r of roles) {
    for (const s of r.webStatements) {
      for (const c of conditionsForClaim(s, 'sub')) {
        const values = c.values.map((v) => knownText(v.value) ?? '?');
        admitted.push(...values);
        related.push({ span: c.values[0]?.span ?? c.key.span, message: `${c.operator.value} ${values.join(', ')}` });
      }
    }
  }
  const first = roles[0]!;
  const admittedText = admitted.length ? admitted.map((a) => `\`${a}\``).join(', ') : 'no ServiceAccount of this issuer';
  const otherNamespaces = [...new Set(admitted.map((a) => /^system:serviceaccount:([^:]+):(.+)$/.exec(a)).filter((m) => m && m[2] === id.name).map((m) => m![1]!))];
  const moveHint = otherNamespaces.length === 1 ? `, or move the ServiceAccount to namespace \`${otherNamespaces[0]}\`` : '';
  // Point at the sub condition to edit (else the policy); a module builds sub from an input such as `namespace_service_accounts`.
  const firstSubStatement = first.webStatements.find((s) => conditionsForClaim(s, 'sub').length > 0);
  const firstSub = firstSubStatement ? conditionsForClaim(firstSubStatement, 'sub')[0] : undefined;
  const subSpan = firstSub ? (firstSub.values[0]?.span ?? firstSub.key.span) : first.policy.span;
  // A merged trust (the karpenter controller role's) holds statements of the documents passed to the module.
  const holder = firstSubStatement ? model.policyHoldingStatement(first.policy, firstSubStatement) : first.policy;
  const fix = holder.moduleInputs
    ? `Add \`${id.namespace}:${id.name}\` to the module's \`${holder.moduleInputs.subjects}\` (${where(subSpan)})`
    : `Pin the trust policy's sub to \`${subject}\` (${where(subSpan)})`;
  report({
    span: sa.roleArn.span,
    message:
      `ServiceAccount \`${id.namespace}/${id.name}\` uses role ${roleLabel(first.link.role)} (linked ${linkDescription(first.link, model)}), ` +
      `but the role's trust policy admits only ${admittedText}. Its pods will get ${STS_ACCESS_DENIED} from STS. ` +
      `${fix}${moveHint}.` +
      (sa.namespaceDefaulted ? ' (The manifest names no namespace: Kubernetes uses `default` unless it is applied with `-n`; if so, set metadata.namespace.)' : ''),
    related,
    data: { subject, roleId: first.link.role.id, admitted },
  });
}
