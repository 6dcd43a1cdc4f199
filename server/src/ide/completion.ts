/**
 * Completion of the two link values: inside a `sub` condition value, the
 * workspace's ServiceAccounts as subjects; inside a role ARN, the
 * workspace's roles as ARNs when their account is known (else, in a .tf file
 * of the role's own module, the Terraform reference). Each item replaces the
 * whole value (between its quotes), so the client's filtering applies to
 * what is typed there.
 */
import { type LineIndex, type Position, type Range } from '../common/text';
import { dirnameUri } from '../common/uri';
import { displayAddress, knownText, resolvedText } from '../common/value';
import type { Role } from '../facts/types';
import { EKS_PROVIDER_ARN, parseRoleArn } from '../index/irsa';
import { subjectOfServiceAccount } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { describeServiceAccount } from '../index/describe';
import { locate } from '../index/locate';
import { placeOf } from './hover';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: 'service-account' | 'role';
  /** Where it is defined (relative path and line). */
  readonly detail: string;
  readonly newText: string;
  /** The range the item replaces: the whole value, without quotes. */
  readonly range: Range;
  readonly sortText: string;
}

export interface CompletionOptions {
  readonly rootUri?: string;
}

/** Characters after which a client should ask: `"` and `:` in subjects, `/` and `:` in ARNs. */
export const COMPLETION_TRIGGER_CHARACTERS = ['"', ':', '/'];

const ROLE_ARN_LINE = /^(\s*-?\s*["']?eks\.amazonaws\.com\/role-arn["']?\s*:[ \t]*)(.*)$/;

export function completion(model: WorkspaceModel, lines: LineIndex | undefined, uri: string, position: Position, options: CompletionOptions = {}): readonly CompletionEntry[] {
  if (!lines || position.line >= lines.lineCount) return [];
  const target = locate(model, uri, position);
  if (target?.kind === 'sub') {
    const range = innerRange(lines, target.value.span.range);
    const moduleShorthand = target.policy.moduleInputs !== undefined;
    return sorted(
      model.serviceAccounts.flatMap((sa) => {
        const subject = subjectOfServiceAccount(sa);
        if (subject === undefined) return [];
        // terraform-aws-modules' IRSA inputs take "namespace:name" (iam-assumable-role-with-oidc takes full subjects).
        const text = moduleShorthand ? subject.replace(/^system:serviceaccount:/, '') : subject;
        return [{ label: text, kind: 'service-account' as const, detail: `ServiceAccount ${describeServiceAccount(sa)}, ${plainPlace(sa.span, options.rootUri)}`, newText: text, range, sortText: text }];
      }),
    );
  }
  let range: Range | undefined;
  if (target?.kind === 'role-arn') range = innerRange(lines, target.value.span.range);
  else {
    // An annotation still without a value is no fact yet: recognise the YAML line itself.
    const m = ROLE_ARN_LINE.exec(lines.lineText(position.line));
    if (m && uri.match(/\.ya?ml$/i) && position.character >= m[1]!.length) {
      range = innerRange(lines, { start: { line: position.line, character: m[1]!.length }, end: { line: position.line, character: m[1]!.length + m[2]!.replace(/\s+(#.*)?$/, '').length } });
    }
  }
  if (!range) return [];
  const account = workspaceAccount(model);
  const inTerraform = /\.tf$/i.test(uri);
  const entries: CompletionEntry[] = [];
  for (const role of model.roles) {
    const text = roleArnText(role, account) ?? (inTerraform ? terraformReference(role, uri) : undefined);
    if (text === undefined) continue;
    entries.push({ label: text, kind: 'role', detail: `Role ${displayName(role)}, ${plainPlace(role.span, options.rootUri)}`, newText: text, range, sortText: text });
  }
  return sorted(dedupeByText(entries));
}

/** `arn:aws:iam::<account>:role/<path><name>` when name and account are known. */
export function roleArnText(role: Role, workspaceAccountId: string | undefined): string | undefined {
  const name = knownText(role.name);
  const account = role.accountId ?? workspaceAccountId;
  if (name === undefined || account === undefined) return undefined;
  const path = role.path && role.path !== '/' ? `/${role.path.replace(/^\/|\/$/g, '')}/` : '/';
  return `arn:aws:iam::${account}:role${path}${name}`;
}

/**
 * The one AWS account the workspace's ARNs name (OIDC provider principals,
 * role ARNs, accounts declared on roles). Undefined when there is none or
 * more than one: then an ARN would be a guess.
 */
export function workspaceAccount(model: WorkspaceModel): string | undefined {
  const accounts = new Set<string>();
  for (const role of model.roles) if (role.accountId) accounts.add(role.accountId);
  for (const sa of model.serviceAccounts) {
    const text = sa.roleArn ? knownText(sa.roleArn.value) : undefined;
    const parsed = text !== undefined ? parseRoleArn(text) : undefined;
    if (parsed) accounts.add(parsed.account);
  }
  for (const { statement } of model.allEksWebIdentityStatements()) {
    for (const p of statement.principals) {
      const text = p.type === 'Federated' ? resolvedText(p.value.value) : undefined;
      const m = text !== undefined ? EKS_PROVIDER_ARN.exec(text) : null;
      if (m) accounts.add(m[2]!);
    }
  }
  return accounts.size === 1 ? [...accounts][0] : undefined;
}

/** `aws_iam_role.x.arn` or `module.x.iam_role_arn`, only from a .tf file of the role's own module (a reference cannot cross modules). */
function terraformReference(role: Role, uri: string): string | undefined {
  const dir = /^tf:(.*)#/.exec(role.id)?.[1];
  return role.arnExpression !== undefined && dir === dirnameUri(uri) ? role.arnExpression : undefined;
}

function displayName(role: Role): string {
  const name = knownText(role.name);
  return name !== undefined ? `\`${name}\`` : `\`${displayAddress(role.id)}\``;
}

/** The value range without its quotes (YAML and JSON ranges include them). */
function innerRange(lines: LineIndex, range: Range): Range {
  const start = lines.offsetAt(range.start);
  const end = lines.offsetAt(range.end);
  const text = lines.text.slice(start, end);
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) return lines.range(start + 1, end - 1);
  return range;
}

function plainPlace(span: Parameters<typeof placeOf>[0], rootUri: string | undefined): string {
  return placeOf(span, rootUri).replace(/^\[(.*)\]\(.*\)$/, '$1');
}

function sorted(entries: CompletionEntry[]): CompletionEntry[] {
  return entries.sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0));
}

function dedupeByText(entries: CompletionEntry[]): CompletionEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.newText) ? false : (seen.add(e.newText), true)));
}
