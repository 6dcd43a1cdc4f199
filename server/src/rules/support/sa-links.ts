/**
 * What the ServiceAccount rules share: the roles a ServiceAccount resolves
 * to, their trust policies, and the web-identity statements in them.
 */
import { display, displayOwner, knownText } from '../../common/value';
import type { Role, ServiceAccount, TrustPolicy, TrustStatement } from '../../facts/types';
import { hasAction, WEB_IDENTITY_ACTION } from '../../index/irsa';
import type { RoleLink, WorkspaceModel } from '../../index/model';
import { where } from './common';

export interface LinkedRole {
  readonly link: RoleLink;
  readonly policy: TrustPolicy;
  /** Allow statements with a Federated principal that may be web identity (not another CI's OIDC). */
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
    const webStatements = policy.statements.filter(
      (s) => s.effect === 'Allow' && s.principals.some((p) => p.type === 'Federated') && model.statementKind(s) !== 'other-oidc' && hasAction(s, WEB_IDENTITY_ACTION) !== false,
    );
    out.push({ link, policy, webStatements });
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

export function roleLabel(role: Role): string {
  const name = knownText(role.name);
  return name !== undefined ? `\`${name}\`` : `\`${displayOwner(role.id)}\` (name \`${display(role.name)}\`)`;
}

export function linkDescription(link: RoleLink, model: WorkspaceModel): string {
  if (link.by === 'reference') return 'by reference';
  if (model.isNamedByFile(link.role)) return 'by role name, matched to the trust policy file name';
  if (link.role.id.startsWith('cli-role:')) return `by role name, from the \`aws iam\` command at ${where(link.role.span)}`;
  return link.by === 'name' ? 'by role name' : 'by role name prefix';
}
