/**
 * The links between ServiceAccounts and roles, both directions and
 * three-valued, as rules, fixes and IDE features all follow them: the roles
 * a ServiceAccount's ARN means with their trust statements, which
 * ServiceAccounts a `sub` value admits, and whether a role's trust admits a
 * ServiceAccount. Unknown stays unknown: nobody turns it into a link.
 */
import { knownText } from '../common/value';
import type { Condition, LStr, Role, ServiceAccount, TrustPolicy, TrustStatement } from '../facts/types';
import { admitsClaim, claimValues, globMatch, hasWildcard, operatorSemantics, subjectOfServiceAccount } from './irsa';
import type { RoleLink, WorkspaceModel } from './model';

export interface LinkedRole {
  readonly link: RoleLink;
  readonly policy: TrustPolicy;
  /**
   * The statements a token of the ServiceAccount may come in by: those
   * `WorkspaceModel.possibleWebIdentityStatements` gives, so also those whose
   * issuer is not known (the role's own cluster's, most likely).
   */
  readonly webStatements: readonly TrustStatement[];
}

/**
 * The ServiceAccount's roles with their trust policies. Undefined when any
 * candidate role's trust policy is not in the workspace: then nothing about
 * the link is known.
 */
export function linkedRoles(model: WorkspaceModel, sa: ServiceAccount): LinkedRole[] | undefined {
  const links = model.roleLinks(sa);
  if (links.length === 0) return undefined;
  const out: LinkedRole[] = [];
  for (const link of links) {
    const policy = model.trustPolicyOfRole(link.role);
    if (!policy) return undefined;
    out.push({ link, policy, webStatements: model.possibleWebIdentityStatements(policy) });
  }
  return out;
}

/**
 * Everything a ServiceAccount rule that follows the role link reads besides
 * the ServiceAccount itself, for `memoReports`: the OIDC providers (which
 * statements are EKS web identity, and provider client ids), and each
 * candidate role with its trust policy.
 */
export function linkDependencies(model: WorkspaceModel, sa: ServiceAccount): readonly unknown[] {
  // Several rules ask for the same ServiceAccounts' dependencies, on every analysis: compute them once
  // for as long as the links stand, so that an unchanged ServiceAccount gets the very same array.
  let perModel = dependencyCache.get(model.linkEpoch);
  if (!perModel) dependencyCache.set(model.linkEpoch, (perModel = new WeakMap()));
  let deps = perModel.get(sa);
  if (!deps) {
    const list: unknown[] = [model.oidcProviders];
    for (const link of model.roleLinks(sa)) list.push(link.role, link.by, model.trustPolicyOfRole(link.role));
    perModel.set(sa, (deps = list));
  }
  return deps;
}

const dependencyCache = new WeakMap<object, WeakMap<ServiceAccount, readonly unknown[]>>();

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
  /**
   * `statement`: the first statement that admits it. `exact`: it names the
   * subject itself (a StringEquals value, or a StringLike value without a
   * wildcard); false when only a pattern, or no `sub` condition at all,
   * lets it in (what `trust-sub-wildcard` and `trust-missing-sub` report).
   */
  | { readonly kind: 'admits'; readonly statement: TrustStatement; readonly exact: boolean }
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

function policyVerdict(model: WorkspaceModel, policy: TrustPolicy, subject: string): TrustVerdict {
  let undetermined = !policy.complete;
  for (const statement of model.possibleWebIdentityStatements(policy)) {
    // A statement whose issuer is not known (a variable) might be the cluster's, or another OIDC issuer's: it cannot admit for certain.
    const admits = model.webIdentity(statement) === true ? admitsClaim(statement, 'sub', subject) : admitsClaim(statement, 'sub', subject) === false ? false : undefined;
    if (admits === true) return { kind: 'admits', statement, exact: namesSubject(statement, subject) };
    if (admits === undefined) undetermined = true;
  }
  return undetermined ? { kind: 'unknown', why: 'part of the trust policy is computed' } : { kind: 'rejects' };
}

/** Whether one of the statement's `sub` values is the subject itself, not a pattern that matches it. */
function namesSubject(statement: TrustStatement, subject: string): boolean {
  return claimValues(statement, 'sub').some((v) => v.value === subject && (v.semantics === 'equals' || (v.semantics === 'like' && !hasWildcard(v.value))));
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
