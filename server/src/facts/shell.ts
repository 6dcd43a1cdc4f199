/**
 * Shell scripts that create or update roles with the AWS CLI:
 *
 *   aws iam create-role --role-name s3-reader \
 *     --assume-role-policy-document file://s3-reader-trust.json
 *
 * say which role a JSON trust policy file belongs to. Only literal words
 * are read (no variable expansion): `--role-name "$ROLE"` links nothing.
 */
import type { LineIndex } from '../common/text';
import { resolveRelativeUri } from '../common/uri';
import type { CliRoleLink } from './types';

const COMMAND = /\baws\s+iam\s+(create-role|update-assume-role-policy)\b/g;

export function extractShellRoleLinks(uri: string, dirUri: string, lines: LineIndex): CliRoleLink[] {
  const text = lines.text;
  const links: CliRoleLink[] = [];
  for (let m = COMMAND.exec(text); m; m = COMMAND.exec(text)) {
    const start = m.index;
    const end = commandEnd(text, start);
    const words = shellWords(text.slice(start, end));
    const roleName = optionValue(words, '--role-name');
    const document = optionValue(words, m[1] === 'create-role' ? '--assume-role-policy-document' : '--policy-document');
    if (!roleName || !document?.startsWith('file://') || /[$`]/.test(roleName + document)) continue;
    const policyUri = resolveRelativeUri(dirUri, document.slice('file://'.length));
    if (!policyUri) continue;
    links.push({ roleName, policyUri, span: { uri, range: lines.range(start, end) } });
  }
  COMMAND.lastIndex = 0;
  return links;
}

/** A command ends at the first newline not escaped by a trailing backslash. */
function commandEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    if (text[nl - 1] !== '\\' && !(text[nl - 1] === '\r' && text[nl - 2] === '\\')) return nl;
    i = nl + 1;
  }
  return text.length;
}

/** Splits on white space, honouring simple quotes and line continuations. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|((?:[^\s"'\\]|\\.)+)|\\\r?\n/g;
  for (let m = re.exec(command); m; m = re.exec(command)) {
    const word = m[1] ?? m[2] ?? m[3];
    if (word !== undefined) words.push(word);
  }
  return words;
}

function optionValue(words: readonly string[], option: string): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === option) return words[i + 1];
    if (w.startsWith(`${option}=`)) return w.slice(option.length + 1);
  }
  return undefined;
}
