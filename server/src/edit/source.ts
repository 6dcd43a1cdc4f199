/**
 * Reading and extending the source around a fact: the entries of a JSON
 * object, a `jsonencode` object or an HCL block body, and inserting one
 * more entry in the file's own style (indentation, separator, commas).
 *
 * Facts keep spans, not syntax trees, so a fix that adds structure (a
 * condition, a key) scans the text from a span it knows. The scanner is
 * small and strict: it understands strings (with Terraform templates),
 * comments, heredocs and bracket nesting, and gives up (undefined) on
 * anything it does not recognise, so a fix is dropped rather than guessed.
 */
import type { LineIndex } from '../common/text';
import { unescapeQuoted } from '../parse/hcl';
import { indentationOf, indentUnit, insertAt, lineBreak, type StringSyntax } from './edits';
import type { TextEdit } from './types';

/** How the text around a fact is written: JSON (a file, or a heredoc when `templates`) or HCL. */
export interface ObjectSyntax {
  readonly syntax: 'json' | 'hcl';
  /** Strings may hold Terraform `${…}` templates (JSON in a heredoc, and all HCL). */
  readonly templates: boolean;
}

export const JSON_FILE: ObjectSyntax = { syntax: 'json', templates: false };
export const JSON_HEREDOC: ObjectSyntax = { syntax: 'json', templates: true };
export const HCL: ObjectSyntax = { syntax: 'hcl', templates: true };

export interface SourceEntry {
  /** The key (for a nested HCL block: its type) as written, quotes included. */
  readonly keyStart: number;
  readonly keyEnd: number;
  /** The key decoded: a quoted key's text, a bare identifier, a block's type. */
  readonly key: string;
  /** The value (for a block: its body, braces included). */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** A nested HCL block (`condition { … }`) rather than `key = value`. */
  readonly block: boolean;
}

export interface SourceObject {
  /** Offsets of the braces. */
  readonly open: number;
  readonly close: number;
  readonly entries: readonly SourceEntry[];
}

/** The object (or HCL block body) whose `{` is at `open`; undefined when the text is not one the scanner understands. */
export function readObjectAt(text: string, open: number, how: ObjectSyntax): SourceObject | undefined {
  if (text[open] !== '{') return undefined;
  const entries: SourceEntry[] = [];
  let i = open + 1;
  for (;;) {
    i = skipTrivia(text, i, how, true);
    if (i >= text.length) return undefined;
    if (text[i] === '}') return { open, close: i, entries };
    const keyStart = i;
    let key: string;
    if (text[i] === '"') {
      const end = skipString(text, i, how);
      if (end === undefined) return undefined;
      const raw = text.slice(i + 1, end - 1);
      key = how.syntax === 'json' && !how.templates ? safeJsonString(text.slice(i, end)) ?? raw : unescapeQuoted(raw);
      i = end;
    } else {
      const m = /^[A-Za-z_][\w.-]*/.exec(text.slice(i, i + 200));
      if (!m || how.syntax === 'json') return undefined;
      key = m[0];
      i += m[0].length;
    }
    const keyEnd = i;
    i = skipTrivia(text, i, how, false);
    const ch = text[i];
    if ((ch === ':' || ch === '=') && text[i + 1] !== '=') {
      const valueStart = skipTrivia(text, i + 1, how, how.syntax === 'json');
      const valueEnd = scanValue(text, valueStart, how);
      if (valueEnd === undefined || valueEnd === valueStart) return undefined;
      entries.push({ keyStart, keyEnd, key, valueStart, valueEnd, block: false });
      i = valueEnd;
      continue;
    }
    if (how.syntax !== 'hcl') return undefined;
    // A block: `type "label" … {`.
    while (i < text.length && text[i] !== '{') {
      if (text[i] === '"') {
        const end = skipString(text, i, how);
        if (end === undefined) return undefined;
        i = skipTrivia(text, end, how, false);
      } else {
        const m = /^[A-Za-z_][\w-]*/.exec(text.slice(i, i + 200));
        if (!m) return undefined;
        i = skipTrivia(text, i + m[0].length, how, false);
      }
    }
    const body = readObjectAt(text, i, how);
    if (!body) return undefined;
    entries.push({ keyStart, keyEnd, key, valueStart: i, valueEnd: body.close + 1, block: true });
    i = body.close + 1;
  }
}

/** The entry named `key` (case-insensitive, as IAM reads element names); the last one wins. */
export function entryNamed(object: SourceObject, key: string, blocks = false): SourceEntry | undefined {
  const lower = key.toLowerCase();
  return object.entries.filter((e) => e.block === blocks && e.key.toLowerCase() === lower).pop();
}

/** The object an entry's value is, when it is one. */
export function objectValue(text: string, entry: SourceEntry, how: ObjectSyntax): SourceObject | undefined {
  return readObjectAt(text, entry.valueStart, how);
}

/**
 * One edit that adds an entry to an object or block body, after its last
 * entry (or after `after`), in the style of the entries around it. `lines`
 * are the entry's lines: the first is written at the entries' indentation,
 * the others are relative to it (use `unit` for nesting).
 * `key` is the new entry's key as written; `separator` its ` = ` / `: `,
 * by default copied from a sibling whose key has the same length (so that
 * `terraform fmt` alignment carries over), else the syntax's plain one.
 */
export function insertEntry(
  lines: LineIndex,
  object: SourceObject,
  how: ObjectSyntax,
  entry: { readonly key?: string; readonly value: readonly string[]; readonly block?: boolean },
  after?: SourceEntry,
): TextEdit {
  const text = lines.text;
  const eol = lineBreak(lines);
  const last = after ?? object.entries[object.entries.length - 1];
  const sibling = object.entries.find((e) => !e.block && entry.key !== undefined && e.keyEnd - e.keyStart === entry.key.length && !entry.block);
  const separator = entry.block ? ' ' : sibling ? text.slice(sibling.keyEnd, sibling.valueStart) : how.syntax === 'json' ? ': ' : ' = ';
  const head = entry.key !== undefined ? `${entry.key}${separator}` : '';
  const openLine = lines.positionAt(object.open).line;
  const comma = how.syntax === 'json' ? ',' : '';

  if (!last) {
    // An empty object: open it up over lines.
    const outer = indentationOf(lines, openLine);
    const indent = outer + indentUnit(lines);
    const body = renderLines([head + (entry.value[0] ?? ''), ...entry.value.slice(1)], indent, eol);
    return { range: lines.range(object.open + 1, object.close), newText: `${eol}${indent}${body}${eol}${outer}` };
  }
  const lastLine = lines.positionAt(last.keyStart).line;
  if (lastLine === openLine && entry.value.length === 1 && !entry.block) {
    // `{ "a": "b" }` stays on one line.
    return insertAt(lines.positionAt(last.valueEnd), `, ${head}${entry.value[0]}`);
  }
  const indent = lastLine === openLine ? indentationOf(lines, openLine) + indentUnit(lines) : indentationOf(lines, lastLine);
  // A trailing comma after the last entry (HCL allows it) is copied, not doubled.
  let at = last.valueEnd;
  const trailing = /^[ \t]*,/.exec(text.slice(at));
  let ownComma = comma;
  if (trailing) {
    at += trailing[0].length;
    ownComma = ',';
  }
  // A comment after the last entry stays on its line.
  if (how.syntax === 'hcl') {
    const rest = /^[ \t]*(?:#|\/\/)[^\r\n]*/.exec(text.slice(at));
    if (rest) at += rest[0].length;
  }
  const body = renderLines([head + (entry.value[0] ?? ''), ...entry.value.slice(1)], indent, eol);
  return insertAt(lines.positionAt(at), trailing ? `${eol}${indent}${body}${ownComma}` : `${comma}${eol}${indent}${body}`);
}

function renderLines(value: readonly string[], indent: string, eol: string): string {
  return value.map((line, i) => (i === 0 || line === '' ? line : indent + line)).join(eol);
}

/** A key as the surrounding keys write it: quoted when they are (or in JSON), bare when they are not. */
export function keyLike(object: SourceObject | undefined, key: string, how: ObjectSyntax, text: string): string {
  if (how.syntax === 'json') return JSON.stringify(key);
  const quoted = object?.entries.some((e) => !e.block && text[e.keyStart] === '"') ?? false;
  return quoted || !/^[A-Za-z_][\w-]*$/.test(key) ? `"${key}"` : key;
}

// ─── Literal strings ─────────────────────────────────────────────────────────

/**
 * The string a token spells when it is a plain literal in its syntax (a
 * quoted JSON/HCL string without interpolation, a YAML scalar on one line);
 * undefined for anything computed. A fix edits a value in place only when
 * this equals the value the analysis used: then the token *is* the value.
 */
export function literalString(source: string, syntax: StringSyntax): string | undefined {
  switch (syntax) {
    case 'json':
      return /\$\{|%\{/.test(source) ? undefined : safeJsonString(source);
    case 'hcl': {
      const m = /^"((?:[^"\\\r\n]|\\.)*)"$/.exec(source);
      if (!m || /(?<!\$)\$\{|(?<!%)%\{/.test(m[1]!)) return undefined;
      return unescapeQuoted(m[1]!);
    }
    case 'yaml': {
      if (/[\r\n]/.test(source) || source === '') return undefined;
      if (source.startsWith("'")) return /^'(?:[^']|'')*'$/.test(source) ? source.slice(1, -1).replace(/''/g, "'") : undefined;
      if (source.startsWith('"')) return safeJsonString(source);
      if (/^[|>&*!%@`{[]/.test(source)) return undefined;
      return source.trim();
    }
  }
}

function safeJsonString(source: string): string | undefined {
  try {
    const value: unknown = JSON.parse(source);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

// ─── Scanning ────────────────────────────────────────────────────────────────

/** Skips spaces, comments (HCL), and, when `newlines`, line breaks and commas between entries. */
function skipTrivia(text: string, i: number, how: ObjectSyntax, newlines: boolean): number {
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t') i++;
    else if (newlines && (ch === '\n' || ch === '\r' || ch === ',')) i++;
    else if (how.syntax === 'hcl' && (ch === '#' || (ch === '/' && text[i + 1] === '/'))) {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (how.syntax === 'hcl' && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else break;
  }
  return i;
}

/** The offset after the string that opens at `i`; undefined when it does not close. */
function skipString(text: string, i: number, how: ObjectSyntax): number | undefined {
  for (let j = i + 1; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '"') return j + 1;
    else if (ch === '\n' && how.syntax === 'hcl') return undefined;
    else if (how.templates && (ch === '$' || ch === '%') && text[j + 1] === '{') {
      if (text[j - 1] === ch) continue; // `$${` is a literal
      const end = skipBalanced(text, j + 1, how);
      if (end === undefined) return undefined;
      j = end - 1;
    }
  }
  return undefined;
}

/** From an opening bracket to after its match, skipping strings and comments inside. */
function skipBalanced(text: string, i: number, how: ObjectSyntax): number | undefined {
  const close: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [close[text[i]!]!];
  for (let j = i + 1; j < text.length; j++) {
    const ch = text[j]!;
    if (ch === '"') {
      const end = skipString(text, j, how);
      if (end === undefined) return undefined;
      j = end - 1;
    } else if (ch in close) stack.push(close[ch]!);
    else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return j + 1;
    } else if (ch === '}' || ch === ']' || ch === ')') return undefined;
    else if (how.syntax === 'hcl' && (ch === '#' || (ch === '/' && (text[j + 1] === '/' || text[j + 1] === '*')))) j = skipTrivia(text, j, how, false) - 1;
  }
  return undefined;
}

/** The end of the value that starts at `i`: before the `,`, `}` or (HCL) line break that ends it, trailing spaces excluded. */
function scanValue(text: string, i: number, how: ObjectSyntax): number | undefined {
  let j = i;
  let end = i;
  while (j < text.length) {
    const ch = text[j]!;
    if (ch === ',' || ch === '}' || (how.syntax === 'hcl' && (ch === '\n' || ch === '\r' || ch === '#' || (ch === '/' && (text[j + 1] === '/' || text[j + 1] === '*'))))) break;
    if (ch === '"') {
      const after = skipString(text, j, how);
      if (after === undefined) return undefined;
      j = end = after;
    } else if (ch === '{' || ch === '[' || ch === '(') {
      const after = skipBalanced(text, j, how);
      if (after === undefined) return undefined;
      j = end = after;
    } else if (ch === ']' || ch === ')') return undefined;
    else if (how.syntax === 'hcl' && ch === '<' && text[j + 1] === '<') {
      const m = /^<<-?([A-Za-z_]\w*)\r?\n/.exec(text.slice(j));
      if (!m) return undefined;
      const terminator = new RegExp(`^[ \\t]*${m[1]}[ \\t]*$`, 'm');
      const body = text.slice(j + m[0].length);
      const t = terminator.exec(body);
      if (!t) return undefined;
      j = end = j + m[0].length + t.index + t[0].length;
    } else {
      j++;
      if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') end = j;
    }
  }
  return end;
}
