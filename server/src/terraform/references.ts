/**
 * Whether a Terraform directory refers to a role it declares: the role's
 * address (`aws_iam_role.x`, `module.x`) written anywhere but in a comment
 * or in a permission attachment (`role = aws_iam_role.x.name`). An output,
 * a Helm `set`, a `templatefile` variable, a local or a module input that
 * names it all count: the role's ARN may leave through any of them
 * (`role-unused` reads this).
 *
 * A plain text search, not the syntax tree, so that no place a reference
 * can hide in is missed: being wrong here means a role looks used, which
 * only silences a note.
 */
import type { Role } from '../facts/types';
import type { TerraformFile } from './context';

/** The roles with `referenced` set, for those with an address in this directory. */
export function withReferences(roles: readonly Role[], files: readonly TerraformFile[]): Role[] {
  return roles.map((role) => {
    const address = addressOf(role);
    if (address === undefined) return role;
    return { ...role, referenced: files.some((file) => refersTo(file.lines.text, address)) };
  });
}

/** `aws_iam_role.x.arn` → `aws_iam_role.x`; `module.x.iam_role_arn` → `module.x`. */
function addressOf(role: Role): string | undefined {
  const expression = role.arnExpression;
  if (expression === undefined) return undefined;
  const parts = expression.split('.');
  if (parts[0] === 'module' && parts.length >= 2) return `module.${parts[1]}`;
  if (parts[0] === 'aws_iam_role' && parts.length >= 2) return `aws_iam_role.${parts[1]}`;
  return undefined;
}

const NAME_CHAR = /[A-Za-z0-9_-]/;

function refersTo(text: string, address: string): boolean {
  for (let at = text.indexOf(address); at >= 0; at = text.indexOf(address, at + address.length)) {
    const before = at > 0 ? text[at - 1]! : '';
    const after = text[at + address.length] ?? '';
    if (NAME_CHAR.test(before) || before === '.' || NAME_CHAR.test(after)) continue;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const lineEnd = text.indexOf('\n', at);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).trim();
    if (line.startsWith('#') || line.startsWith('//') || line.startsWith('*') || line.startsWith('/*')) continue;
    if (isAttachment(line, address)) continue;
    return true;
  }
  return false;
}

/** `role = aws_iam_role.x.name` / `.id`, `roles = [aws_iam_role.x.name]`: attaching a permission policy, not consuming the ARN. */
function isAttachment(line: string, address: string): boolean {
  const eq = line.indexOf('=');
  if (eq < 0) return false;
  const key = line.slice(0, eq).trim();
  if (key !== 'role' && key !== 'roles') return false;
  const value = line.slice(eq + 1).replace(/#.*$/, '').replace(/[[\]\s,]/g, '');
  return value === `${address}.name` || value === `${address}.id`;
}
