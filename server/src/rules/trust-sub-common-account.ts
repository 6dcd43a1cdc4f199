/**
 * `trust-sub-common-account`: a role trusts a ServiceAccount that is not
 * one workload's own.
 * - `system:serviceaccount:<ns>:default`: every pod of the namespace that
 *   names no `serviceAccountName` runs as it, so every such pod gets the role.
 * - `system:serviceaccount:kube-system:aws-node` on a role that is not the
 *   VPC CNI's: the VPC CNI DaemonSet's account, on every node; a role copied
 *   from the VPC CNI example keeps it and admits no pod of its own workload.
 */
import { knownText } from '../common/value';
import type { Role, TrustStatement } from '../facts/types';
import type { EksStatement, WorkspaceModel } from '../index/model';
import { admitsClaim, claimValues, hasWildcard, parseSubject, type ClaimValue } from '../index/irsa';
import { forEachEksStatement } from './support/memo';
import { defineRule } from './types';

const ID = 'trust-sub-common-account';
const AWS_NODE = 'system:serviceaccount:kube-system:aws-node';

export const rule = defineRule({
  meta: { id: ID, defaultSeverity: 'warning', title: "Trust policy admits a namespace's default ServiceAccount, or aws-node on a role that is not the VPC CNI's" },
  check(model, report) {
    // `<ns>:default` depends on the statement alone: memoised without deps, so an edit of a
    // ServiceAccount replays these reports instead of re-reading every statement.
    forEachEksStatement(
      model,
      `${ID}#default`,
      [],
      ({ statement }, report) => {
        for (const { v, subject } of admittedSubjects(statement)) {
          if (subject.name !== 'default') continue;
          report({
            span: v.span,
            message:
              `This role trusts \`${subject.namespace}/default\`, the ServiceAccount of every pod in namespace \`${subject.namespace}\` that names no serviceAccountName. ` +
              `Every such pod, today's and tomorrow's, gets the role's permissions. Create a ServiceAccount for the workload, set its serviceAccountName, and pin the role to it.`,
          });
        }
      },
      report,
    );
    // aws-node depends on the ServiceAccounts and module calls too; only the few statements that name it are read.
    for (const { policy, statement } of awsNodeStatements(model.allEksWebIdentityStatements())) {
      for (const { v } of admittedSubjects(statement)) {
        if (v.value !== AWS_NODE) continue;
        const roles = model.rolesOfTrustPolicy(policy);
        if (roles.length === 0 || roles.some((r) => couldBeVpcCni(model, r))) continue;
        report({
          span: v.span,
          message:
            `This role trusts \`kube-system/aws-node\`, the VPC CNI's ServiceAccount, but it is not the VPC CNI's role (no vpc-cni add-on or aws-node account uses it, and it attaches no CNI policy). ` +
            `A role copied from the VPC CNI example keeps this subject: the workload it was made for gets \`AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity\`. Pin it to that workload's ServiceAccount.`,
        });
      }
    }
  },
});

/** The `sub` values a statement admits as they are written (no wildcard, not a negated operator), with their parsed subject. */
function admittedSubjects(statement: TrustStatement): { v: ClaimValue; subject: NonNullable<ReturnType<typeof parseSubject>> }[] {
  const out: { v: ClaimValue; subject: NonNullable<ReturnType<typeof parseSubject>> }[] = [];
  for (const v of claimValues(statement, 'sub')) {
    if (v.semantics === 'other' || hasWildcard(v.value) || admitsClaim(statement, 'sub', v.value) !== true) continue;
    const subject = parseSubject(v.value);
    if (subject) out.push({ v, subject });
  }
  return out;
}

const awsNodeCache = new WeakMap<readonly EksStatement[], readonly EksStatement[]>();

/** The statements with an `aws-node` subject value, per statement list (the model keeps the list while no policy changes). */
function awsNodeStatements(statements: readonly EksStatement[]): readonly EksStatement[] {
  let found = awsNodeCache.get(statements);
  if (!found) awsNodeCache.set(statements, (found = statements.filter(({ statement }) => claimValues(statement, 'sub').some((v) => v.value === AWS_NODE))));
  return found;
}

/**
 * Whether the role may be the VPC CNI's: used by the vpc-cni add-on or an
 * aws-node account, named for it, or a role whose policies the tool cannot
 * see. Only an IRSA module call, whose arguments show every policy it
 * attaches, is known not to be.
 */
function couldBeVpcCni(model: WorkspaceModel, role: Role): boolean {
  if (model.serviceAccountsOfRole(role).some((sa) => sa.addon === 'vpc-cni' || (knownText(sa.name.value) === 'aws-node' && knownText(sa.namespace.value) === 'kube-system'))) return true;
  const name = knownText(role.name) ?? role.id;
  if (/cni|aws-node|vpc/i.test(name)) return true;
  if (role.origin !== 'iam-module') return true;
  const call = model.moduleCalls.find((c) => c.id === role.id);
  if (!call) return true;
  // attach_vpc_cni_policy, or policies passed in that may be AmazonEKS_CNI_Policy.
  return call.arguments.some((a) => /cni|policy_arns|policies/.test(a.name));
}
