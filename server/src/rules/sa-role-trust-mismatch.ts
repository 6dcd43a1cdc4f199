/**
 * `sa-role-trust-mismatch`, the cross-file check: the ServiceAccount's role
 * is in the workspace and its trust policy does not admit
 * `system:serviceaccount:<ns>:<name>`.
 *
 * Either side can be the mistake, so fixes for both are offered, each
 * correcting one side only:
 * - "Move the ServiceAccount to namespace `<ns>`" when the trust pins the
 *   same name in exactly one other namespace (its workloads move along);
 * - "Rename to `<sa>`" when it pins exactly one other name in this namespace;
 * - "Pin sub to `system:serviceaccount:<ns>:<sa>`" on the trust side, when
 *   the role has exactly one sub value, written as a literal, in a statement
 *   certainly for an EKS issuer (one of unknown issuer may be a CI system's,
 *   whose subject is not to be overwritten).
 * None is preferred, except the move of a ServiceAccount that names no
 * namespace: a manifest without one is the likelier slip.
 *
 * A role the workspace does not declare (issue #16) is judged by its live
 * trust policy when live checks read it (`iam:GetRole`): the same fact
 * extraction and the same `admitsClaim`, the policy quoted in the message
 * since it has no place in the workspace. Those findings carry no fix: the
 * trust side is not in the workspace, and the ServiceAccount side is left
 * to the user until the fixes can take statements without a role link.
 */
import { knownText } from '../common/value';
import { byFile, moveServiceAccount, moveServiceAccountTitle, renameServiceAccount } from '../edit/service-accounts';
import { exactSubjects, onlySubValue, pinSub } from '../edit/subjects';
import type { Fix } from '../edit/types';
import type { ServiceAccount } from '../facts/types';
import { linkDescription, roleLabel, STS_ACCESS_DENIED, where } from '../index/describe';
import { admitsClaim, conditionsForClaim, knownNamespaceAndName, subjectOf, subjectOfServiceAccount } from '../index/irsa';
import { reportedAsKarpenterOnFargate, withKarpenterDependencies } from '../index/karpenter';
import { linkDependencies, linkedRoles, type LinkedRole } from '../index/links';
import type { WorkspaceModel } from '../index/model';
import { fetchedAtText, liveRoleOf, liveTrustPolicy, quotedTrust } from '../live/roles';
import type { LiveRole } from '../live/types';
import { collect, memoReports } from './support/memo';
import { defineRule, type RelatedInformation, type Report, type Reporter, type RuleContext } from './types';

interface Payload {
  readonly sa: ServiceAccount;
  readonly namespace: string;
  readonly name: string;
  /** Every role the ServiceAccount's ARN can mean, each refusing it. */
  readonly roles: readonly LinkedRole[];
}

export const rule = defineRule({
  meta: { id: 'sa-role-trust-mismatch', defaultSeverity: 'error', title: "ServiceAccount's role does not trust this ServiceAccount" },
  check(model: WorkspaceModel, report: Reporter<Payload>, context: RuleContext) {
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId) continue;
      const live = model.roleLinks(sa).length === 0 ? liveRoleOf(context.live, sa) : undefined;
      const deps = withKarpenterDependencies(model, sa, linkDependencies(model, sa));
      for (const r of memoReports('sa-role-trust-mismatch', sa, live ? [...deps, live] : deps, () => collect<Payload>((out) => (live ? checkLiveRole(model, sa, live, out) : checkServiceAccount(model, sa, out))))) report(r);
    }
  },
  fixes({ sa, namespace, name, roles }, _finding, context) {
    const fixes: Fix[] = [];
    const admitted = exactSubjects(roles.flatMap((r) => r.webStatements));
    const namespaces = distinct(admitted.filter((s) => s.name === name && s.namespace !== namespace).map((s) => s.namespace));
    if (namespaces.length === 1) {
      const changes = moveServiceAccount(context, sa, namespaces[0]!);
      if (changes) fixes.push({ title: moveServiceAccountTitle(namespaces[0]!), changes, preferred: sa.namespaceDefaulted });
    }
    const names = distinct(admitted.filter((s) => s.namespace === namespace && s.name !== name).map((s) => s.name));
    if (names.length === 1) {
      const changes = renameServiceAccount(context, sa, names[0]!);
      if (changes) fixes.push({ title: `Rename the ServiceAccount to \`${names[0]}\``, changes });
    }

    // The trust side: only for a role the ServiceAccount certainly means, with one sub value, of an EKS issuer.
    const role = roles.length === 1 ? roles[0]! : undefined;
    const only = role && role.webStatements.every((s) => context.model.webIdentity(s) === true) ? onlySubValue(role.webStatements) : undefined;
    // The edit goes to the policy that holds the statement: for the karpenter controller role, the document passed to the module.
    const holder = only && role && context.model.policyHoldingStatement(role.policy, only.statement);
    const pin = only && holder && pinSub(context, holder, only.condition, only.value, subjectOf(namespace, name), sa);
    if (pin && holder && context.model.rolesOfTrustPolicy(holder).length === 1) fixes.push({ title: pin.title, changes: byFile([pin.edit]) });
    return fixes;
  },
});

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function checkServiceAccount(model: WorkspaceModel, sa: ServiceAccount, report: (finding: Report<Payload>) => void): void {
  if (!sa.roleArn) return;
  const id = knownNamespaceAndName(sa);
  if (!id) return;
  const roles = linkedRoles(model, sa);
  if (!roles || roles.length === 0) return;
  // The karpenter controller's role on Fargate: karpenter-v21-fargate-irsa reports it on the module, with the cause.
  if (roles.some((r) => reportedAsKarpenterOnFargate(model, r.link.role, sa))) return;
  const subject = subjectOfServiceAccount(sa)!;
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
      (sa.addon !== undefined ? `EKS add-on \`${sa.addon}\` runs as ServiceAccount \`${id.namespace}/${id.name}\` and uses role` : `ServiceAccount \`${id.namespace}/${id.name}\` uses role`) +
      ` ${roleLabel(first.link.role)} (linked ${linkDescription(first.link, model)}), ` +
      `but the role's trust policy admits only ${admittedText}. Its pods will get ${STS_ACCESS_DENIED} from STS. ` +
      `${fix}${moveHint}.` +
      (sa.namespaceDefaulted ? ' (The manifest names no namespace: Kubernetes uses `default` unless it is applied with `-n`; if so, set metadata.namespace.)' : ''),
    related,
    payload: { sa, namespace: id.namespace, name: id.name, roles },
  });
}

/**
 * A role the workspace does not declare, judged by the trust policy IAM
 * holds: reported only when that policy is read completely, has statements
 * a ServiceAccount token may come in by, and none of them admits this one.
 */
function checkLiveRole(model: WorkspaceModel, sa: ServiceAccount, role: LiveRole, report: (finding: Report<Payload>) => void): void {
  if (role.kind !== 'found' || !sa.roleArn) return;
  const id = knownNamespaceAndName(sa);
  const policy = liveTrustPolicy(role);
  if (!id || !policy || !policy.complete) return;
  const statements = model.possibleWebIdentityStatements(policy);
  if (statements.length === 0) return; // sa-role-not-web-identity's business, once it reads live roles
  const subject = subjectOfServiceAccount(sa)!;
  if (statements.some((s) => admitsClaim(s, 'sub', subject) !== false)) return;
  const admitted = statements.flatMap((s) => conditionsForClaim(s, 'sub').flatMap((c) => c.values.map((v) => knownText(v.value) ?? '?')));
  const admittedText = admitted.length ? admitted.map((a) => `\`${a}\``).join(', ') : 'no ServiceAccount of this issuer';
  report({
    span: sa.roleArn.span,
    message:
      (sa.addon !== undefined ? `EKS add-on \`${sa.addon}\` runs as ServiceAccount \`${id.namespace}/${id.name}\` and uses role` : `ServiceAccount \`${id.namespace}/${id.name}\` uses role`) +
      ` \`${role.arn}\`, whose trust policy in IAM admits only ${admittedText}. Its pods will get ${STS_ACCESS_DENIED} from STS. ` +
      `Add \`${subject}\` to the role's trust policy where it is managed, or annotate the ServiceAccount with a role that trusts it. ` +
      (sa.namespaceDefaulted ? '(The manifest names no namespace: Kubernetes uses `default` unless it is applied with `-n`; if so, set metadata.namespace.) ' : '') +
      `Live trust policy (iam:GetRole, ${fetchedAtText(role.fetchedAt)}): ${quotedTrust(role)}`,
  });
}
