/**
 * Text edits: applying them, checking them, and writing values in the syntax
 * of the file they go into. Pure functions over strings, shared by the fix
 * providers, the language server (fix-all) and the tests.
 */
import { comparePositions, LineIndex, type Range, type Span } from '../common/text';
import type { FileChange, Fix, TextEdit } from './types';

/** Applies edits made against `text`; they must not overlap (see `editsConflict`). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Applies a fix to a set of files: the files it changed or created, with their new text. */
export function applyFix(text: (uri: string) => string | undefined, fix: Fix): Map<string, string> {
  const changed = new Map<string, string>();
  for (const change of fix.changes) {
    if (change.kind === 'create') {
      changed.set(change.uri, fix.snippet ? plainSnippetText(change.text) : change.text);
      continue;
    }
    const before = changed.get(change.uri) ?? text(change.uri);
    if (before === undefined) throw new Error(`The fix edits ${change.uri}, which is not in the workspace.`);
    const edits = fix.snippet ? change.edits.map((e) => ({ range: e.range, newText: plainSnippetText(e.newText) })) : change.edits;
    changed.set(change.uri, applyEdits(before, edits));
  }
  return changed;
}

/**
 * A snippet as plain text, for clients without snippet edits and for tests:
 * `${1:placeholder}` becomes its placeholder, `${1|a,b|}` its first choice,
 * `$1`/`$0` nothing, escapes are undone.
 */
export function plainSnippetText(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const ch = snippet[i]!;
    if (ch === '\\' && i + 1 < snippet.length && '$}\\'.includes(snippet[i + 1]!)) {
      out += snippet[++i];
    } else if (ch === '$' && /\d/.test(snippet[i + 1] ?? '')) {
      while (/\d/.test(snippet[i + 1] ?? '')) i++;
    } else if (ch === '$' && snippet[i + 1] === '{') {
      const m = /^\$\{\d+(?::((?:\\.|[^}\\])*)|\|([^|]*)\|)?\}/.exec(snippet.slice(i));
      if (!m) {
        out += ch;
        continue;
      }
      out += m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? (m[2].split(',')[0] ?? '') : '';
      i += m[0].length - 1;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Escapes text so a snippet inserts it literally. */
export function snippetLiteral(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/** Why a change cannot be applied to `text`, or undefined when it can. */
export function invalidEdits(text: string, edits: readonly TextEdit[]): string | undefined {
  const lines = new LineIndex(text);
  const last = lines.positionAt(text.length);
  for (const e of edits) {
    if (comparePositions(e.range.start, e.range.end) > 0) return 'an edit ends before it starts';
    if (e.range.start.line < 0 || comparePositions(e.range.end, last) > 0) return 'an edit is outside the file';
  }
  if (editsConflict(edits)) return 'two edits overlap';
  return undefined;
}

/** True when two edits touch the same text (two insertions at one point conflict too: their order is undefined). */
export function editsConflict(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    const order = comparePositions(prev.range.end, cur.range.start);
    if (order > 0 || (order === 0 && comparePositions(prev.range.start, cur.range.start) === 0)) return true;
  }
  return false;
}

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

export function insertAt(position: Range['start'], newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

export function editFile(uri: string, ...edits: TextEdit[]): FileChange {
  return { kind: 'edit', uri, edits };
}

/** The source text a span covers. */
export function spanText(lines: LineIndex, s: Span): string {
  return lines.text.slice(lines.offsetAt(s.range.start), lines.offsetAt(s.range.end));
}

/** The leading whitespace of a line. */
export function indentationOf(lines: LineIndex, line: number): string {
  return /^[ \t]*/.exec(lines.lineText(line))![0];
}

/** One level of indentation as the file writes it: a tab, or the smallest run of leading spaces; two spaces when the file does not tell. */
export function indentUnit(lines: LineIndex): string {
  let smallest = Infinity;
  for (let line = 0; line < lines.lineCount; line++) {
    const indent = indentationOf(lines, line);
    if (indent.startsWith('\t')) return '\t';
    if (indent.length > 0 && indent.length < smallest && lines.lineText(line).trim() !== '') smallest = indent.length;
  }
  return smallest === Infinity || smallest > 8 ? '  ' : ' '.repeat(smallest);
}

/** The line break the file uses. */
export function lineBreak(lines: LineIndex): string {
  return /\r\n/.test(lines.text) ? '\r\n' : '\n';
}

// ─── Writing strings in a file's own syntax ──────────────────────────────────

/** How a string is written where it is: in JSON (also a heredoc's JSON), HCL, or YAML. */
export type StringSyntax = 'json' | 'hcl' | 'yaml';

/**
 * The text that writes `value` in place of the string token `original`
 * (the token's source text, quotes included when it has them), in the
 * token's own quoting style. For HCL, `value` is template text: `${…}`
 * interpolations stay interpolations, quotes and backslashes are escaped.
 */
export function quoteLike(original: string, value: string, syntax: StringSyntax): string {
  switch (syntax) {
    case 'json':
      return JSON.stringify(value);
    case 'hcl':
      return `"${escapeHclTemplate(value)}"`;
    case 'yaml':
      if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
      if (original.startsWith('"') || !isPlainYamlSafe(value)) return JSON.stringify(value);
      return value;
  }
}

/** Escapes quotes, backslashes and line breaks in the literal parts of a template; `${…}` is copied as is. */
function escapeHclTemplate(value: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (depth === 0) {
      if (ch === '$' && value[i + 1] === '{') {
        depth = 1;
        out += '${';
        i++;
      } else out += ch === '"' ? '\\"' : ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch;
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === '"') {
      // A string inside the interpolation: copy it whole, braces in it do not count.
      const end = value.indexOf('"', i + 1);
      const stop = end < 0 ? value.length - 1 : end;
      out += value.slice(i, stop + 1);
      i = stop;
      continue;
    }
    out += ch;
  }
  return out;
}

/** A plain YAML scalar that reads back as this same string. */
function isPlainYamlSafe(value: string): boolean {
  if (value === '' || /^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(value) || /\s$/.test(value)) return false;
  if (/: |\s#|[\n\t]/.test(value) || value.endsWith(':')) return false;
  // Would read back as another type.
  return !/^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d[\d_]*)?\.?\d+(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+)$/i.test(value);
}
