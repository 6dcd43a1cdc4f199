/**
 * The pre-filter: decides from a file's raw text, before any parser runs,
 * whether the file can yield facts or a reported parse problem at all. A
 * file that cannot is not parsed, and the index keeps no text of it
 * (issue #15: most files of a platform monorepo are lock files, CRD bundles
 * and CloudFormation templates that never concern IRSA).
 *
 * Each test is safe by construction: it answers false only when the
 * extractor of the format provably finds nothing, and true whenever it is
 * unsure (an alias, an escape, a value on the next line). False positives
 * cost a parse; false negatives would lose findings, so
 * `test/facts/prefilter.test.ts` runs it over the whole fixture corpus and
 * checks that no file with facts or problems is dropped.
 */
import type { TextChange } from '../common/text';
import { readTopLevel } from '../parse/json-top-level';
import { fencedBlocks, type FencedBlock } from '../parse/markdown';
import { KINDS_WITH_FACTS } from './kubernetes';
import { isKustomizationFile } from './kustomize';

/**
 * JSON: facts come only from the top level (a policy document with a
 * `Statement`, or a Kubernetes object with `kind` and `apiVersion`), and
 * problems are reported only in files that mention IAM. Text without those
 * words is skipped outright; text with them that is strict JSON has its
 * top-level keys read by a scanner that builds nothing
 * (`parse/json-top-level.ts`: escapes decoded, the last duplicate wins as
 * in `parse/document.ts`).
 */
export function jsonMayHaveFacts(text: string): boolean {
  return jsonPrefilter(text).mayHaveFacts;
}

/**
 * How a JSON text was set aside by its top-level scan: it is strict JSON
 * (no syntax problem to report) whose top level holds no facts, and `read`
 * is where the scan's answer came from (`parse/json-top-level.ts`). An edit
 * can then be judged instead of the text (`jsonEditKeepsSetAside`).
 */
export interface JsonSetAside {
  readonly read: readonly (readonly [number, number])[];
}

/** `jsonMayHaveFacts`, and for a text the top-level scan set aside, what an edit of it is judged by. */
export function jsonPrefilter(text: string): { readonly mayHaveFacts: boolean; readonly setAside?: JsonSetAside } {
  // `\u` escapes could spell any key: left to the scanner, which decodes them.
  if (!/statement|principal|sts:AssumeRole|\\u/i.test(text) && !(text.includes('kind') && text.includes('apiVersion'))) return { mayHaveFacts: false };
  const top = readTopLevel(text, TOP_LEVEL_STRINGS);
  // JSONC, placeholders, or a syntax error: the real parser decides.
  if (!top) return { mayHaveFacts: true };
  const setAside = { mayHaveFacts: false, setAside: { read: top.read } };
  // Strict JSON has no syntax problem to report, and only a top-level object can hold facts.
  if (!top.keys) return setAside;
  if (top.keys.some((k) => k.toLowerCase() === 'statement')) return { mayHaveFacts: true };
  const kind = top.strings.get('kind');
  if (kind === undefined || !top.keys.includes('apiVersion')) return setAside;
  return kind === null || KINDS_WITH_FACTS.has(kind) ? { mayHaveFacts: true } : setAside;
}

/** What an edit may insert or remove and leave a strict JSON string a strict JSON string: no quote, backslash or control character. */
const INERT = /^[^"\\\u0000-\u001f]*$/;

/**
 * Whether an edit keeps a JSON text set aside, judged without scanning the
 * text (a keystroke in a 1 MB CloudFormation template used to rescan it):
 * the guard for the new text, or undefined when the text must be scanned.
 *
 * Sound because strict JSON strings never span lines (a raw line break in
 * one is an error): scanning the edit's line from its start says whether
 * the edit lies inside a string. An edit inside one string, that neither
 * inserts nor removes a quote, a backslash or a control character and does
 * not split an escape, leaves the text strict JSON with the same structure,
 * so the same top level; and away from the top-level keys and the `kind`
 * value (`read`), with the same keys and strings. Anything else: scan.
 */
export function jsonEditKeepsSetAside(change: TextChange, newText: string, guard: JsonSetAside): JsonSetAside | undefined {
  const { previous, start, end, text } = change;
  const delta = text.length - (end - start);
  if (start < 0 || start > end || end > previous.length || newText.length !== previous.length + delta) return undefined;
  if (!INERT.test(text) || !INERT.test(previous.slice(start, end))) return undefined;
  if (guard.read.some(([s, e]) => start <= e && end >= s)) return undefined;
  let inString = false;
  let i = previous.lastIndexOf('\n', start - 1) + 1;
  for (; i < start; i++) {
    const c = previous.charCodeAt(i);
    if (!inString) inString = c === 34;
    else if (c === 92) i++;
    else if (c === 34) inString = false;
  }
  // `i > start`: the edit is between a backslash and the character it escapes.
  if (!inString || i > start) return undefined;
  if (delta === 0) return guard;
  return { read: guard.read.map(([s, e]) => (s >= end ? [s + delta, e + delta] : [s, e])) };
}

const TOP_LEVEL_STRINGS: ReadonlySet<string> = new Set(['kind']);

/** `kind:` as a key (quoted or not), its closing quote, and the rest of its line. */
const KIND_KEY = /kind(["']?)[ \t]*:([^\n]*)/g;
/** A plain or quoted one-word value, after an optional tag and anchor, before an optional comment. */
const KIND_VALUE = /^(?:!\S*[ \t]+)?(?:&\S+[ \t]+)?(?:!\S*[ \t]+)?(["']?)([A-Za-z0-9_./-]+)\1[ \t]*(?:#.*)?$/;
/** A line that starts a mapping entry or a sequence item: what follows `kind:` is then no string. */
const COLLECTION_LINE = /^[ \t]*(?:-(?:[ \t]|$)|[A-Za-z0-9_./-]+[ \t]*:(?:[ \t]|$)|"[^"\\]*"[ \t]*:(?:[ \t]|$)|'[^']*'[ \t]*:(?:[ \t]|$))/;
/** Escapes that can spell letters in a double-quoted scalar, or fold a line away. */
const LETTER_ESCAPE = /\\(?:[xuU]|\r?\n)/;

/**
 * YAML: a kustomization file always; otherwise facts come from documents
 * whose `kind` is one of `KINDS_WITH_FACTS`, and from Helm values with a
 * `serviceAccount` key; problems are reported only in such files. So a file
 * (Helm chart templates included: they are read with their placeholders
 * unknown) is skipped when it has no `serviceAccount`
 * and every `kind:` in it has a value that is a known other kind or no
 * string at all.
 */
export function yamlMayHaveFacts(uri: string, text: string): boolean {
  if (isKustomizationFile(uri)) return true;
  if (text.includes('serviceAccount') || LETTER_ESCAPE.test(text) || hasExplicitKey(text)) return true;
  KIND_KEY.lastIndex = 0;
  for (let m = KIND_KEY.exec(text); m; m = KIND_KEY.exec(text)) {
    // A plain key needs a space after its colon (`kind:x` is one scalar); a quoted one does not (`"kind":"Pod"`, JSON style).
    if (m[1] === '' && m[2] !== '' && !/^[ \t\r]/.test(m[2]!)) continue;
    const rest = m[2]!.replace(/\r$/, '').trim();
    if (rest === '' || rest.startsWith('#')) {
      if (!nextLineIsCollection(text, KIND_KEY.lastIndex)) return true;
      continue;
    }
    const value = KIND_VALUE.exec(rest);
    if (!value || KINDS_WITH_FACTS.has(value[2]!)) return true;
  }
  return false;
}

/**
 * Whether a line starts (after indentation and sequence dashes) with an
 * explicit-key indicator, `? kind`: the key scan does not follow those.
 * A loop over `?` (rare in YAML) rather than a multiline regex, which
 * tries every line start of a megabyte file.
 */
function hasExplicitKey(text: string): boolean {
  for (let i = text.indexOf('?'); i >= 0; i = text.indexOf('?', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (!(Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13)) continue;
    let j = i - 1;
    while (j >= 0 && (text[j] === ' ' || text[j] === '\t' || text[j] === '-')) j--;
    if (j < 0 || text[j] === '\n') return true;
  }
  return false;
}

/** Whether the first line after `from` that is neither blank nor a comment starts a mapping entry or a sequence item. */
function nextLineIsCollection(text: string, from: number): boolean {
  let start = text.indexOf('\n', from);
  while (start >= 0) {
    const end = text.indexOf('\n', start + 1);
    const line = text.slice(start + 1, end < 0 ? text.length : end);
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) return trimmed !== '---' && trimmed !== '...' && COLLECTION_LINE.test(line);
    start = end;
  }
  return false;
}

/** Templates: only JSON trust policies without `%{…}` directives are read (`parseTemplateFile`). */
export function templateMayHaveFacts(text: string): boolean {
  return text.includes('Statement') && !text.includes('%{');
}

/** Shell scripts: only `aws iam` commands are read (`parseShellScript`). */
export function shellMayHaveFacts(text: string): boolean {
  return text.includes('aws') && text.includes('iam');
}

/**
 * Markdown: facts come only from fenced code blocks (`facts/markdown.ts`),
 * each read as its own format. A file is skipped when no block may hold
 * any by its own format's test (most READMEs: prose, and code in other
 * languages). A runbook's blocks never report parse problems.
 */
export function markdownMayHaveFacts(text: string): boolean {
  if (!text.includes('```') && !text.includes('~~~')) return false;
  return fencedBlocks(text).some((b) => blockMayHaveFacts(b, text.slice(b.start, b.end)));
}

/**
 * The test of a block's own format. A shell block may also hold
 * `kubectl annotate sa` / `kubectl create sa` / `kubectl apply` heredocs,
 * `eksctl create iamserviceaccount`, and manifests in heredocs. Terraform
 * blocks are not read.
 */
export function blockMayHaveFacts(block: FencedBlock, content: string): boolean {
  switch (block.language) {
    case 'json':
      return jsonMayHaveFacts(content);
    case 'yaml':
      return yamlMayHaveFacts('runbook.yaml', content);
    case 'shell':
      return shellMayHaveFacts(content) || KUBECTL_OR_EKSCTL.test(content) || (content.includes('<<') && yamlMayHaveFacts('heredoc.yaml', content));
    case 'hcl':
      return false;
  }
}

const KUBECTL_OR_EKSCTL = /\bkubectl\b[^\n]*\b(annotate|create|apply)\b|\beksctl\s+create\s+iamserviceaccount\b/;
