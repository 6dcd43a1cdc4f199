/**
 * Which trust policies pin which ServiceAccount, per issuer: the answer
 * behind "several roles trust one ServiceAccount" and the rules about
 * subjects a role should not pin. Only certain facts count: a subject is
 * pinned when every `sub` condition of the statement admits it and it has
 * no wildcard; an issuer is known when the Federated principal resolves to
 * a host or is a symbol of a provider the workspace declares.
 */
import { resolvedText } from '../common/value';
import type { Role, TrustPolicy, TrustStatement } from '../facts/types';
import { admitsClaim, claimValues, federatedPrincipals, hasWildcard, issuerHostOf } from './irsa';
import type { WorkspaceModel } from './model';
import { subjectProblem } from './well-formed';

/** One trust policy's single pinned subject for one issuer. */
export interface PinnedSubject {
  /** The policy that holds the statement (the document a merged policy took it from). */
  readonly policy: TrustPolicy;
  readonly statement: TrustStatement;
  /** A stable key of the issuer: its host, or the provider symbol's owner. */
  readonly issuer: string;
  readonly subject: string;
  /** The value to point at. */
  readonly span: TrustStatement['span'];
  /** The roles using the policy (none for a standalone JSON document). */
  readonly roles: readonly Role[];
}

/** The issuer of a statement as a comparable key; undefined when not certain (an unknown variable, several principals). */
export function issuerKey(statement: TrustStatement): string | undefined {
  const principals = federatedPrincipals(statement);
  if (principals.length !== 1) return undefined;
  const value = principals[0]!.value.value;
  const text = resolvedText(value);
  if (text !== undefined) return issuerHostOf(text);
  const only = value.segments.length === 1 ? value.segments[0] : undefined;
  return only?.kind === 'symbol' ? `${only.symbol}@${only.owner}` : undefined;
}

const cache = new WeakMap<object, readonly PinnedSubject[]>();

/**
 * For every role's trust policy (and eksctl's),
 * the subject it pins for an issuer, when it pins exactly one there.
 */
export function singlePinnedSubjects(model: WorkspaceModel): readonly PinnedSubject[] {
  const statements = model.allEksWebIdentityStatements();
  const cached = cache.get(statements);
  if (cached) return cached;
  // By holder policy: a merged trust (the karpenter controller role's) repeats its documents' statements.
  const byPolicy = new Map<string, { policy: TrustPolicy; roles: Role[]; items: { statement: TrustStatement; issuer: string; subject: string; span: TrustStatement['span'] }[]; issuers: Map<string, Set<string>> }>();
  const seen = new Set<TrustStatement>();
  for (const { policy, statement } of statements) {
    if (seen.has(statement)) continue;
    seen.add(statement);
    const holder = model.policyHoldingStatement(policy, statement);
    // A role the tool infers from a JSON file's name counts once something uses it: two copies of one
    // document (a vendored package, an example) are no two roles.
    const roles = model.rolesOfTrustPolicy(policy).filter((r) => !model.isNamedByFile(r) || model.serviceAccountsOfRole(r).length > 0);
    // A document no role uses may be a copy (a vendored package, an example): not a role to compare.
    if (roles.length === 0 && holder.origin !== 'eksctl') continue;
    let entry = byPolicy.get(holder.id);
    if (!entry) byPolicy.set(holder.id, (entry = { policy: holder, roles: [], items: [], issuers: new Map() }));
    for (const r of roles) if (!entry.roles.includes(r)) entry.roles.push(r);
    const issuer = issuerKey(statement);
    if (issuer === undefined) continue;
    let subjects = entry.issuers.get(issuer);
    if (!subjects) entry.issuers.set(issuer, (subjects = new Set()));
    for (const v of claimValues(statement, 'sub')) {
      if (v.semantics === 'other' || hasWildcard(v.value)) {
        subjects.add('*'); // a pattern: the policy does not pin one subject here
        continue;
      }
      if (subjectProblem(v.value, false) !== undefined || admitsClaim(statement, 'sub', v.value) !== true) continue;
      subjects.add(v.value);
      entry.items.push({ statement, issuer, subject: v.value, span: v.span });
    }
  }
  const out: PinnedSubject[] = [];
  for (const { policy, roles, items, issuers } of byPolicy.values()) {
    for (const [issuer, subjects] of issuers) {
      if (subjects.size !== 1 || subjects.has('*')) continue;
      const item = items.find((i) => i.issuer === issuer);
      if (item) out.push({ policy, roles, ...item });
    }
  }
  cache.set(statements, out);
  return out;
}
