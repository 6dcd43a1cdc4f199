/**
 * Find references. On a role (its declaration, or a role ARN that links to
 * it): every ServiceAccount whose role ARN links to it. On a ServiceAccount:
 * the `sub` values that name it. On a `sub` value: the same as on the
 * ServiceAccounts it names.
 */
import type { Position, Span } from '../common/text';
import type { Role, ServiceAccount } from '../facts/types';
import { conditionsForClaim } from '../index/irsa';
import { subjectOfServiceAccount } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { dedupe } from './definition';
import { serviceAccountsMatchingSub, subMatcher } from '../index/links';
import { locate } from '../index/locate';

export function references(model: WorkspaceModel, uri: string, position: Position, includeDeclaration: boolean): readonly Span[] {
  const target = locate(model, uri, position);
  if (!target) return [];
  switch (target.kind) {
    case 'role':
      return roleReferences(model, [target.role], includeDeclaration);
    case 'role-arn':
      return roleReferences(
        model,
        model.roleLinks(target.sa).map((l) => l.role),
        includeDeclaration,
      );
    case 'service-account':
      return serviceAccountReferences(model, [target.sa], includeDeclaration);
    case 'sub':
      return serviceAccountReferences(model, serviceAccountsMatchingSub(model, target.condition, target.value).serviceAccounts, includeDeclaration);
    case 'statement':
      return [];
  }
}

/** The role ARN of each ServiceAccount that uses one of the roles (the ServiceAccount's name when the ARN is implied, as in eksctl). */
export function roleReferences(model: WorkspaceModel, roles: readonly Role[], includeDeclaration: boolean): Span[] {
  const out: Span[] = [];
  for (const role of roles) {
    if (includeDeclaration) out.push(role.span);
    for (const sa of model.serviceAccountsOfRole(role)) out.push(sa.roleArn?.span ?? sa.span);
  }
  return dedupe(out);
}

function serviceAccountReferences(model: WorkspaceModel, serviceAccounts: readonly ServiceAccount[], includeDeclaration: boolean): Span[] {
  const out: Span[] = [];
  for (const sa of serviceAccounts) if (includeDeclaration) out.push(sa.span);
  const subjects = serviceAccounts.map(subjectOfServiceAccount).filter((s): s is string => s !== undefined);
  if (subjects.length === 0) return out;
  for (const policy of model.trustPolicies) {
    for (const statement of policy.statements) {
      for (const condition of conditionsForClaim(statement, 'sub')) {
        for (const value of condition.values) {
          const matches = subMatcher(condition, value);
          if (matches && subjects.some(matches)) out.push(value.span);
        }
      }
    }
  }
  return dedupe(out);
}
