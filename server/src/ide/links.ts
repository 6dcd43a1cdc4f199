/**
 * The two directions the IDE features follow, three-valued like the rules:
 * which ServiceAccounts a `sub` value admits, and whether a role's trust
 * policy admits a ServiceAccount. Unknown stays unknown: a feature shows it
 * as such and never turns it into a link.
 */
import { knownText } from '../common/value';
import type { Condition, LStr, Role, ServiceAccount, TrustPolicy } from '../facts/types';
import { admitsClaim, globMatch, hasAction, operatorSemantics, WEB_IDENTITY_ACTION } from '../index/irsa';
import { subjectOfServiceAccount, type WorkspaceModel } from '../index/model';

export interface SubMatches {
  /** ServiceAccounts whose subject the value certainly matches. */
  readonly serviceAccounts: readonly ServiceAccount[];
  /** The value (or operator) is not known: nothing can be said. */
  readonly valueUnknown: boolean;
  /** ServiceAccounts whose namespace or name is computed: they might match. */
  readonly undetermined: readonly ServiceAccount[];
}

/**
 * The ServiceAccounts one `sub` value matches on its own (other conditions
 * of the statement may still restrict it: that is the trust verdict's job).
 * Values of terraform-aws-modules/iam's `namespace_service_accounts` are
 * already expanded to full subjects in the facts.
 */
export function serviceAccountsMatchingSub(model: WorkspaceModel, condition: Condition, value: LStr): SubMatches {
  const matcher = subMatcher(condition, value);
  if (!matcher) return { serviceAccounts: [], valueUnknown: true, undetermined: [] };
  const serviceAccounts: ServiceAccount[] = [];
  for (const sa of model.serviceAccounts) {
    const subject = subjectOfServiceAccount(sa);
    if (subject !== undefined && matcher(subject)) serviceAccounts.push(sa);
  }
  return { serviceAccounts, valueUnknown: false, undetermined: model.serviceAccountSubjects().partial };
}

/** A test for subjects, as the condition's operator compares this value; undefined when the value or operator is not known. */
export function subMatcher(condition: Condition, value: LStr): ((subject: string) => boolean) | undefined {
  const text = knownText(value.value);
  const semantics = operatorSemantics(condition.operator.value);
  if (text === undefined || semantics === 'other') return undefined;
  return semantics === 'equals' ? (subject) => subject === text : (subject) => globMatch(text, subject);
}

export type TrustVerdict =
  | { readonly kind: 'admits' }
  | { readonly kind: 'rejects' }
  /** `why` completes "cannot tell whether the trust admits it: …". */
  | { readonly kind: 'unknown'; readonly why: string };

/** Whether the role's trust policy lets the ServiceAccount's tokens assume it (the `sub` claim). */
export function trustVerdict(model: WorkspaceModel, role: Role, sa: ServiceAccount): TrustVerdict {
  const policy = model.trustPolicyOfRole(role);
  if (!policy) return { kind: 'unknown', why: 'the trust policy is not in the workspace' };
  const subject = subjectOfServiceAccount(sa);
  if (subject === undefined) return { kind: 'unknown', why: 'the ServiceAccount’s namespace or name is computed' };
  return policyVerdict(model, policy, subject);
}

export function policyVerdict(model: WorkspaceModel, policy: TrustPolicy, subject: string): TrustVerdict {
  const statements = model.eksWebIdentityStatements(policy);
  let undetermined = !policy.complete;
  for (const statement of statements) {
    const admits = admitsClaim(statement, 'sub', subject);
    if (admits === true) return { kind: 'admits' };
    if (admits === undefined) undetermined = true;
  }
  // A statement the engine could not classify (an issuer from a variable) might be the one; not one
  // whose actions exclude web identity (a service principal's, such as Pod Identity's).
  if (policy.statements.some((s) => s.effect !== 'Deny' && model.statementKind(s) === 'unknown' && hasAction(s, WEB_IDENTITY_ACTION) !== false)) undetermined = true;
  return undetermined ? { kind: 'unknown', why: 'part of the trust policy is computed' } : { kind: 'rejects' };
}

/**
 * ServiceAccounts whose subject the role's trust certainly admits ("trusted
 * by"), and how many more it might admit.
 */
export function serviceAccountsTrustedBy(model: WorkspaceModel, role: Role): { readonly admitted: readonly ServiceAccount[]; readonly undetermined: number } | undefined {
  const policy = model.trustPolicyOfRole(role);
  if (!policy) return undefined;
  const admitted: ServiceAccount[] = [];
  let undetermined = 0;
  for (const sa of model.serviceAccounts) {
    const subject = subjectOfServiceAccount(sa);
    if (subject === undefined) continue;
    const verdict = policyVerdict(model, policy, subject);
    if (verdict.kind === 'admits') admitted.push(sa);
    else if (verdict.kind === 'unknown') undetermined++;
  }
  return { admitted, undetermined };
}
