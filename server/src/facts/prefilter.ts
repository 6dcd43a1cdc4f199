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
  // `\u` escapes could spell any key: left to the scanner, which decodes them.
  if (!/statement|principal|sts:AssumeRole|\\u/i.test(text) && !(text.includes('kind') && text.includes('apiVersion'))) return false;
  const top = readTopLevel(text, TOP_LEVEL_STRINGS);
  // JSONC, placeholders, or a syntax error: the real parser decides.
  if (!top) return true;
  // Strict JSON has no syntax problem to report, and only a top-level object can hold facts.
  if (!top.keys) return false;
  if (top.keys.some((k) => k.toLowerCase() === 'statement')) return true;
  const kind = top.strings.get('kind');
  if (kind === undefined || !top.keys.includes('apiVersion')) return false;
  return kind === null || KINDS_WITH_FACTS.has(kind);
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
