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
    return { ...role, referenced: addressMentions(files, address).some((m) => refersTo(m.file.lines.text, m.at, address)) };
  });
}

export interface Mention {
  readonly file: TerraformFile;
  /** Offset of the address in the file's text. */
  readonly at: number;
}

/** Every `aws_iam_role.<label>` and `module.<label>` of the directory's files, by address: one pass, however many roles. */
const ADDRESS = /(?:aws_iam_role|module)\.[A-Za-z0-9_-]+/g;
const mentionIndexes = new WeakMap<readonly TerraformFile[], ReadonlyMap<string, readonly Mention[]>>();

/**
 * Where a directory's text names `address` (`aws_iam_role.x` or `module.x`),
 * the label whole (`aws_iam_role.a` is not found in `aws_iam_role.a-b`), in
 * comments too: the callers judge each place. Indexed once per file list.
 */
export function addressMentions(files: readonly TerraformFile[], address: string): readonly Mention[] {
  let index = mentionIndexes.get(files);
  if (!index) {
    const mentions = new Map<string, Mention[]>();
    for (const file of files) {
      const text = file.lines.text;
      ADDRESS.lastIndex = 0;
      for (let m = ADDRESS.exec(text); m; m = ADDRESS.exec(text)) {
        let list = mentions.get(m[0]);
        if (!list) mentions.set(m[0], (list = []));
        list.push({ file, at: m.index });
      }
    }
    mentionIndexes.set(files, (index = mentions));
  }
  return index.get(address) ?? [];
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

/** Whether the mention of `address` at `at` (its label whole) is a reference: not part of a longer name, a comment or an attachment. */
function refersTo(text: string, at: number, address: string): boolean {
  const before = at > 0 ? text[at - 1]! : '';
  if (NAME_CHAR.test(before) || before === '.') return false;
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).trim();
  if (line.startsWith('#') || line.startsWith('//') || line.startsWith('*') || line.startsWith('/*')) return false;
  return !isAttachment(line, address);
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
