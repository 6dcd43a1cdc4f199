/**
 * Which ServiceAccounts share one role: the one definition of "shared" that
 * `sa-shared-role` reports and the inventory shows. One role ARN on several
 * distinct ServiceAccounts (`namespace/name`) is sharing; the same account
 * written twice (kustomize overlays, per-environment copies) is not, and
 * neither is a module that creates a role and annotates its own chart's
 * ServiceAccounts with it. On the trust side, a statement that pins
 * several subjects is shared the same way (`trust-shared-role`).
 */
import { knownText } from '../common/value';
import type { ServiceAccount, TrustStatement } from '../facts/types';
import { admitsClaim, claimValues, hasWildcard, SUBJECT_PREFIX, subjectOfServiceAccount, type ClaimValue } from './irsa';
import { subjectProblem } from './well-formed';
import type { WorkspaceModel } from './model';

export interface SharedRoleMember {
  readonly sa: ServiceAccount;
  /** `namespace/name`. */
  readonly id: string;
}

/** Groups of ServiceAccounts carrying one role, each with at least two distinct accounts. */
export function sharedRoleGroups(model: WorkspaceModel): readonly (readonly SharedRoleMember[])[] {
  // Grouped by the role itself (an object, or the ARN text when the role is not in the workspace):
  // this runs on every edit over every ServiceAccount, so it allocates only per group.
  const groups = new Map<unknown, ServiceAccount[]>();
  for (const sa of model.serviceAccounts) {
    if (!sa.roleArn || sa.impliedRoleId || subjectOfServiceAccount(sa) === undefined) continue;
    // A module that creates the role and annotates its own chart's ServiceAccounts with it (aws-ia's
    // add-on module: an EFS CSI controller and node) shares it by its design, not the user's choice.
    if (wiredByRoleModule(sa)) continue;
    const key = roleKey(sa, model);
    if (key === undefined) continue;
    const list = groups.get(key);
    if (list) list.push(sa);
    else groups.set(key, [sa]);
  }
  const out: SharedRoleMember[][] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const list = members.map((sa) => ({ sa, id: subjectOfServiceAccount(sa)!.slice(SUBJECT_PREFIX.length).replace(':', '/') }));
    if (new Set(list.map((x) => x.id)).size < 2) continue;
    out.push(list);
  }
  return out;
}

/**
 * What identifies the role: the workspace role it resolves to when there is
 * exactly one (so `aws_iam_role.x.arn` and the literal ARN of that role are
 * the same role), else the ARN text or the reference.
 */
function roleKey(sa: ServiceAccount, model: WorkspaceModel): unknown {
  const value = sa.roleArn!.value;
  const text = knownText(value);
  // An empty annotation (a chart's `role-arn: ""` placeholder) names no role.
  if (text === '') return undefined;
  const links = model.roleLinks(sa);
  if (links.length === 1 && links[0]!.by !== 'name-prefix') return links[0]!.role;
  if (text !== undefined) return `arn:${text}`;
  const first = value.segments[0];
  if (value.segments.length === 1 && first?.kind === 'symbol' && first.symbol === 'role-arn') return `ref:${first.owner}`;
  return undefined;
}

/** Whether the ServiceAccount is written by the module call whose own role it carries (`<call owner>#…serviceAccount`). */
function wiredByRoleModule(sa: ServiceAccount): boolean {
  const first = sa.roleArn?.value.segments[0];
  return sa.roleArn?.value.segments.length === 1 && first?.kind === 'symbol' && first.symbol === 'role-arn' && sa.id.startsWith(`${first.owner}#`);
}

/**
 * The distinct subjects a statement pins and certainly admits, one value
 * each: a malformed value admits no one (trust-sub-format), and several sub
 * conditions must all hold, so a value one of them lists may still be
 * refused. Two or more: the statement is shared (`trust-shared-role`).
 */
export function pinnedSubjects(statement: TrustStatement): readonly ClaimValue[] {
  const subjects = claimValues(statement, 'sub').filter(
    (v) => v.semantics !== 'other' && !hasWildcard(v.value) && subjectProblem(v.value, false) === undefined && admitsClaim(statement, 'sub', v.value) === true,
  );
  return [...new Map(subjects.map((s) => [s.value, s])).values()];
}
