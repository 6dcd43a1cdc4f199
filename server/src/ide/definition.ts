/**
 * Go to definition: from a role ARN to the role and the trust statements
 * that decide whether it admits the ServiceAccount; from a `sub` value to
 * the ServiceAccounts it names. Only links the model knows are followed.
 */
import { compareSpans, type Position, type Span } from '../common/text';
import type { Role, ServiceAccount } from '../facts/types';
import { admitsClaim } from '../index/irsa';
import { subjectOfServiceAccount } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { serviceAccountsMatchingSub } from '../index/links';
import { locate } from '../index/locate';

export function definition(model: WorkspaceModel, uri: string, position: Position): readonly Span[] {
  const target = locate(model, uri, position);
  if (!target) return [];
  switch (target.kind) {
    case 'role-arn':
    case 'service-account':
      return roleDefinitions(model, target.sa);
    case 'sub':
      return serviceAccountsMatchingSub(model, target.condition, target.value).serviceAccounts.map((sa) => sa.span);
    case 'role':
    case 'statement':
      return [];
  }
}

/**
 * Each linked role's declaration, then its web-identity statements that
 * admit the ServiceAccount (all of them when none does: those are the ones
 * to fix).
 */
function roleDefinitions(model: WorkspaceModel, sa: ServiceAccount): Span[] {
  const out: Span[] = [];
  for (const { role } of model.roleLinks(sa)) {
    out.push(role.span);
    out.push(...trustStatementSpans(model, role, sa));
  }
  return dedupe(out);
}

function trustStatementSpans(model: WorkspaceModel, role: Role, sa: ServiceAccount): Span[] {
  const policy = model.trustPolicyOfRole(role);
  if (!policy) return [];
  const statements = model.eksWebIdentityStatements(policy);
  const subject = subjectOfServiceAccount(sa);
  const admitting = subject === undefined ? [] : statements.filter((s) => admitsClaim(s, 'sub', subject) !== false);
  return (admitting.length > 0 ? admitting : statements).map((s) => s.span);
}

export function dedupe(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) if (!out.some((s) => compareSpans(s, span) === 0)) out.push(span);
  return out;
}
