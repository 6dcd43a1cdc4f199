/**
 * "What is at this position": the one locator every IDE feature starts
 * from, in the manner of rust-analyzer's `ide` crate. It answers with a fact
 * of the model, never with syntax: a ServiceAccount's role-arn value, a
 * trust statement's `sub` value, a ServiceAccount, a role, or a trust
 * statement. The most specific fact wins.
 */
import { comparePositions, sameSpan, type Position, type Range, type Span } from '../common/text';
import type { Condition, LStr, Role, ServiceAccount, TrustPolicy, TrustStatement } from '../facts/types';
import { conditionsForClaim } from './irsa';
import type { WorkspaceModel } from './model';

export type Target =
  /** Inside a ServiceAccount's role ARN (the annotation value, eksctl's attachRoleARN, a Terraform reference). */
  | { readonly kind: 'role-arn'; readonly sa: ServiceAccount; readonly value: LStr }
  /** Inside one value of a trust statement's `…:sub` condition. */
  | { readonly kind: 'sub'; readonly policy: TrustPolicy; readonly statement: TrustStatement; readonly condition: Condition; readonly value: LStr }
  /** On a ServiceAccount's name. */
  | { readonly kind: 'service-account'; readonly sa: ServiceAccount }
  /** On a role's declaration (block header, module header, eksctl entry, JSON trust file). */
  | { readonly kind: 'role'; readonly role: Role }
  /** Anywhere else in a trust statement. */
  | { readonly kind: 'statement'; readonly policy: TrustPolicy; readonly statement: TrustStatement };

/** True when `position` is in `range`, both ends included (a cursor right after a token is on it). */
function touches(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

function on(span: Span, uri: string, position: Position): boolean {
  return span.uri === uri && touches(span.range, position);
}

/** The fact at `position` in `uri`; undefined for unknown documents and positions on nothing we model. */
export function locate(model: WorkspaceModel, uri: string, position: Position): Target | undefined {
  for (const sa of model.serviceAccounts) {
    if (sa.roleArn && on(sa.roleArn.span, uri, position) && !sameSpan(sa.roleArn.span, sa.span)) return { kind: 'role-arn', sa, value: sa.roleArn };
  }
  for (const sa of model.serviceAccounts) if (on(sa.span, uri, position)) return { kind: 'service-account', sa };
  for (const policy of model.trustPolicies) {
    for (const statement of policy.statements) {
      for (const condition of conditionsForClaim(statement, 'sub')) {
        for (const value of condition.values) if (on(value.span, uri, position)) return { kind: 'sub', policy, statement, condition, value };
      }
    }
  }
  // The narrowest role span first: a JSON trust file's role spans the whole file.
  const roles = model.roles.filter((r) => on(r.span, uri, position)).sort((a, b) => spanSize(a.span) - spanSize(b.span));
  const policies = model.trustPolicies.filter((p) => p.span.uri === uri);
  let statementHit: Target | undefined;
  for (const policy of policies) {
    for (const statement of policy.statements) if (on(statement.span, uri, position)) statementHit = { kind: 'statement', policy, statement };
  }
  const role = roles[0];
  if (role && (!statementHit || spanSize(role.span) <= spanSize(statementHit.kind === 'statement' ? statementHit.statement.span : role.span))) return { kind: 'role', role };
  return statementHit;
}

/** Lines dominate, so that a one-line span is always narrower than a multi-line one. */
function spanSize(span: Span): number {
  return (span.range.end.line - span.range.start.line) * 100_000 + (span.range.end.character - span.range.start.character);
}
