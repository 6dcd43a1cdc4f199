/**
 * How the domain is worded in messages, hovers and symbols: the STS errors
 * a mistake leads to, and short labels for ServiceAccounts, roles, links
 * and places. One wording for rules and IDE features alike.
 */
import type { Span } from '../common/text';
import { display, displayAddress, instanceAddress, knownText, type StrValue } from '../common/value';
import type { ModuleCall, Role, ServiceAccount } from '../facts/types';
import type { RoleLink, WorkspaceModel } from './model';

export const STS_ACCESS_DENIED = '`AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity`';
export const STS_BAD_AUDIENCE = '`InvalidIdentityToken: Incorrect token audience`';
export const STS_NO_PROVIDER = '`InvalidIdentityToken: No OpenIDConnect provider found in your account`';
export const IAM_MALFORMED_COLON = '`MalformedPolicyDocument: Condition can contain only one colon`';

/** `ns/name`; a part the workspace does not tell (a Helm values file's namespace) reads `<namespace>`, not `${?}`. */
export function describeServiceAccount(sa: ServiceAccount): string {
  return `${namespaceLabel(sa)}/${nameLabel(sa)}`;
}

/** The ServiceAccount's namespace as `describeServiceAccount` shows it. */
export function namespaceLabel(sa: ServiceAccount): string {
  return part(sa.namespace.value, sa.origin === 'helm' ? 'release namespace' : 'namespace');
}

/** The ServiceAccount's name as `describeServiceAccount` shows it. */
export function nameLabel(sa: ServiceAccount): string {
  return part(sa.name.value, 'name');
}

function part(value: StrValue, what: string): string {
  return value.segments.length > 0 && value.segments.every((s) => s.kind === 'unknown') ? `<${what}>` : display(value);
}

/** `file.tf:12` for messages that point at another place. */
export function where(span: Span): string {
  const name = decodeURIComponent(span.uri.slice(span.uri.lastIndexOf('/') + 1));
  return `${name}:${span.range.start.line + 1}`;
}

/**
 * `` `name` ``, or the Terraform address with the name's expression when the
 * name is computed; a role of a local module instance reads
 * `module.x.aws_iam_role.r`, so that two instances of one block read apart.
 */
export function roleLabel(role: Role): string {
  const name = knownText(role.name);
  return name !== undefined ? `\`${name}\`` : `\`${displayAddress(role.id)}\` (name \`${display(role.name)}\`)`;
}

/**
 * For a role declared in a local module called from elsewhere: its address
 * (`module.x.aws_iam_role.r`) and the `module` block of the call, so that a
 * finding in the module's source says which call it is about. Undefined for
 * any other role, and the call is absent when it is not in the workspace model.
 */
export function moduleInstanceOf(model: WorkspaceModel, role: Role): { readonly address: string; readonly call?: ModuleCall } | undefined {
  const address = instanceAddress(role.id);
  if (address === undefined) return undefined;
  // `tf:<module dir>#tf:<caller dir>#module.x["key"]#aws_iam_role.r`: the call is `tf:<caller dir>#module.x`.
  const parts = role.id.split('#');
  const callId = parts.length >= 4 ? `${parts[1]}#${parts[2]!.replace(/\[.*\]$/, '')}` : undefined;
  const call = model.moduleCalls.find((c) => c.id === callId);
  return call ? { address, call } : { address };
}

/** How a ServiceAccount found this role, completing "linked …". */
export function linkDescription(link: RoleLink, model: WorkspaceModel): string {
  if (link.by === 'reference') return 'by reference';
  if (model.isNamedByFile(link.role)) return 'by role name, matched to the trust policy file name';
  if (link.role.id.startsWith('cli-role:')) return `by role name, from the \`aws iam\` command at ${where(link.role.span)}`;
  return link.by === 'name' ? 'by role name' : 'by role name prefix';
}
