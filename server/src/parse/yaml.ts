/**
 * YAML → DocValue, one per document of a multi-document file, through
 * `yaml`'s parseAllDocuments (which never throws: errors are collected on
 * each document). Aliases are resolved with a budget so that an alias bomb
 * costs a bounded amount of work.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { checkBracketNesting, checkYamlBlockNesting, currentDeadline, LimitExceeded, MAX_NESTING_DEPTH, type Deadline } from '../common/budget';
import { checkYamlNodeCount } from '../common/node-count';
import type { LineIndex, Span } from '../common/text';
import { mayHoldTemplates, splitPlaceholders, templateSpans, templateSpanValue } from '../common/placeholders';
import { known } from '../common/value';
import type { DocEntry, DocValue } from './document';
import type { Hole } from './json';
import { readBlockYaml, type FastNode } from './yaml-fast';
import { concat, type StrValue } from '../common/value';

export interface YamlDocument {
  readonly value: DocValue | undefined;
  /** Offsets of the document in the file. */
  readonly start: number;
  readonly end: number;
}

export interface YamlProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface ParsedYaml {
  readonly documents: readonly YamlDocument[];
  readonly problems: readonly YamlProblem[];
  /**
   * The text is a template with directives (`%{ if }`, `{{- range }}`,
   * `{{ toYaml … }}`), masked before parsing: what it renders is not all
   * known, and its syntax errors may be the directives' doing.
   */
  readonly templated?: boolean;
}

export interface YamlSource {
  readonly uri: string;
  readonly lines: LineIndex;
  readonly start?: number;
  readonly end?: number;
  /** Terraform interpolations inside a heredoc, in file offsets. */
  readonly holes?: readonly Hole[];
  /** The file's time budget; checked per node. */
  readonly deadline?: Deadline;
  /**
   * Read template placeholders and directives (`common/placeholders.ts`):
   * values become unknown, directive lines blank, and maps in a document
   * with directives incomplete. For files; heredocs pass `holes` instead.
   */
  readonly templates?: boolean;
}

/** How many nodes alias expansion may visit per document (a billion-laughs bomb stops here). */
const ALIAS_BUDGET = 10_000;

/** A document of a multi-document text, from its `---` marker line (or the text's start) to the next one. */
export interface YamlSlice {
  readonly start: number;
  readonly end: number;
}

/** A document start marker: `---` at the start of a line, then white space or the line's end. */
const DOCUMENT_MARKER = /^---(?=[ \t\r\n]|$)/gm;
/** What makes cutting at the markers unsafe: a directive (it belongs to the next document) or a document end marker. */
const UNCUTTABLE = /^(?:%|\.\.\.(?:[ \t\r\n]|$))/m;
/** A line with content: neither blank nor a comment. */
const CONTENT_LINE = /^[ \t]*[^\s#]/m;

/**
 * The documents of a multi-document YAML text, cut at its `---` lines
 * without parsing, so that a caller can read some documents and not the
 * others (a CRD bundle with one ServiceAccount). Sound because a `---`
 * line ends the document in every context, in a block or quoted scalar
 * too (YAML 1.2, `c-forbidden`). Comments and blank lines before the first
 * marker go with the first document, as `yaml` reads them, so each slice is
 * one document of `parseYaml`'s list, in order. Undefined for a single
 * document, and where a cut is not that simple (`%` directives, `...`).
 */
export function yamlDocumentSlices(text: string): YamlSlice[] | undefined {
  if (UNCUTTABLE.test(text)) return undefined;
  const starts: number[] = [];
  DOCUMENT_MARKER.lastIndex = 0;
  for (let m = DOCUMENT_MARKER.exec(text); m; m = DOCUMENT_MARKER.exec(text)) starts.push(m.index);
  if (starts.length === 0) return undefined;
  // Content before the first marker is a document of its own; comments alone are not.
  if (starts[0] !== 0) {
    if (CONTENT_LINE.test(text.slice(0, starts[0]))) starts.unshift(0);
    else starts[0] = 0;
  }
  if (starts.length < 2) return undefined;
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? text.length }));
}

/**
 * Never throws on bad input: syntax errors become problems. It throws
 * `LimitExceeded` (see `common/budget.ts`) when the text nests deeper than
 * the engine reads or the file's time budget runs out.
 */
export function parseYaml(source: YamlSource): ParsedYaml {
  return parseYamlWith(source, yamlFastPath.enabled ? 'auto' : 'yaml')!;
}

/** Whether `parseYaml` tries `yaml-fast.ts` first. Only the differential test turns it off, to compare whole extractions. */
export const yamlFastPath = { enabled: true };

/**
 * For the differential tests: `fast` reads with `yaml-fast.ts` only
 * (undefined where it gives up; its own faults thrown), `yaml` with `yaml`
 * only, `auto` as `parseYaml`.
 */
export function parseYamlWith(source: YamlSource, reader: 'auto' | 'fast' | 'yaml'): ParsedYaml | undefined {
  const base = source.start ?? 0;
  const end = source.end ?? source.lines.text.length;
  let text = source.lines.text.slice(base, end);
  const { holes, blanks } = templateHoles(text, base, source);
  if (holes.length > 0 || blanks.length > 0) {
    // Same width: values become plain scalar characters, directive lines blank; positions stay true to the file.
    const masks = [...holes.map((h) => ({ start: h.start, end: h.end, fill: 'x' })), ...blanks.map((b) => ({ ...b, fill: ' ' }))].sort((a, b) => a.start - b.start);
    let masked = '';
    let cursor = 0;
    for (const mask of masks) {
      const s = mask.start - base;
      const e = mask.end - base;
      if (s < cursor || e > text.length) continue;
      masked += text.slice(cursor, s) + mask.fill.repeat(e - s);
      cursor = e;
    }
    text = masked + text.slice(cursor);
  }
  checkBracketNesting(text, true);
  checkYamlBlockNesting(text);
  // `yaml` cannot be interrupted and costs about 10 µs and 0.8 KB per node: bound the nodes before it runs.
  checkYamlNodeCount(text);
  const templated = blanks.length > 0 || holes.some((h) => h.directive) ? { templated: true } : {};
  const documents: YamlDocument[] = [];
  // Most files are plain block YAML: read them without `yaml` (`yaml-fast.ts`), which gives the same documents or gives up.
  const fast = reader === 'yaml' ? undefined : readBlockYaml(text, reader === 'fast');
  if (reader === 'fast' && !fast) return undefined;
  if (fast) {
    for (const doc of fast) {
      const converter = new YamlConverter(source, base, holes, hasDirectives(blanks, base + doc.start, base + doc.end));
      documents.push({ value: converter.convertFast(doc.contents, 0), start: base + doc.start, end: base + doc.end });
    }
    return { documents, problems: [], ...templated };
  }
  const problems: YamlProblem[] = [];
  let parsed;
  try {
    parsed = parseAllDocuments(text, { keepSourceTokens: false, uniqueKeys: false, strict: false, prettyErrors: false });
  } catch (e) {
    // Deep block nesting (`- - - - …` on one line) overflows the stack inside `yaml` itself.
    if (e instanceof RangeError) throw new LimitExceeded(`nested more than ${MAX_NESTING_DEPTH} levels deep`);
    return { documents: [], problems: [{ start: base, end: base + 1, message: `YAML could not be read: ${(e as Error).message}` }] };
  }
  const list = Array.isArray(parsed) ? parsed : [];
  for (const doc of list) {
    // `yaml` catches its own stack overflow on deep block nesting and reports it as an error of the document.
    if (doc.errors.some((e) => e.message.includes('Maximum call stack'))) throw new LimitExceeded(`nested more than ${MAX_NESTING_DEPTH} levels deep`);
    for (const error of doc.errors.slice(0, 5)) {
      const [s, e] = error.pos;
      // At the end of the text (an unclosed `[`): point after the last token, not past the final newline.
      if (s >= text.length) {
        const last = base + text.trimEnd().length;
        problems.push({ start: last, end: last, message: `YAML syntax error: ${firstLine(error.message)}` });
        continue;
      }
      problems.push({ start: base + s, end: base + Math.max(e, s + 1), message: `YAML syntax error: ${firstLine(error.message)}` });
    }
    const [s, , e] = doc.range;
    const converter = new YamlConverter(source, base, holes, hasDirectives(blanks, base + s, base + e));
    documents.push({ value: doc.contents ? converter.convert(doc.contents as YamlNode, 0) : undefined, start: base + s, end: base + e });
  }
  return { documents, problems: problems.slice(0, 20), ...templated };
}

/** Whether a directive line (blanked out) lies in the document from `start` to `end`. */
function hasDirectives(blanks: readonly { start: number }[], start: number, end: number): boolean {
  return blanks.some((b) => b.start >= start && b.start < end);
}

/**
 * The holes to mask: the caller's (Terraform interpolations in a heredoc),
 * or with `templates` the placeholders of the text, each with its unknown
 * value; and the directive lines to blank out.
 */
function templateHoles(text: string, base: number, source: YamlSource): { holes: readonly (Hole & { directive?: boolean })[]; blanks: { start: number; end: number }[] } {
  if (!source.templates || !mayHoldTemplates(text)) return { holes: source.holes ?? [], blanks: [] };
  const holes: (Hole & { directive?: boolean })[] = [...(source.holes ?? [])];
  const blanks: { start: number; end: number }[] = [];
  for (const span of templateSpans(text)) {
    const start = base + span.start;
    const end = base + span.end;
    if (holes.some((h) => h.start < end && start < h.end)) continue;
    if (span.ownLine) blanks.push({ start, end });
    // Any Go action makes the file a template the engine renders as a whole (`{{ }}` in a key, a flow, a comment…).
    else holes.push({ start, end, value: templateSpanValue(span), ...(span.kind === 'directive' || span.text.startsWith('{{') ? { directive: true } : {}) });
  }
  holes.sort((a, b) => a.start - b.start);
  return { holes, blanks };
}

function firstLine(message: string): string {
  const line = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  return /[.!?]$/.test(line) ? line : `${line}.`;
}

class YamlConverter {
  private budget = ALIAS_BUDGET;
  private aliasDepth = 0;
  private readonly deadline: Deadline;

  constructor(
    private readonly source: YamlSource,
    private readonly base: number,
    private readonly holes: readonly Hole[],
    /** The document holds directive lines: any map may have entries it does not show. */
    private readonly directives = false,
  ) {
    this.deadline = source.deadline ?? currentDeadline();
  }

  private span(node: { range?: readonly [number, number, number] | null | undefined }): Span {
    const [s, e] = node.range ?? [0, 0, 0];
    return this.spanAt(s, e);
  }

  private spanAt(start: number, end: number): Span {
    return { uri: this.source.uri, range: this.source.lines.range(this.base + start, this.base + end) };
  }

  /** As `convert`, for what `yaml-fast.ts` read: the same values and spans. */
  convertFast(node: FastNode, depth: number): DocValue {
    const span = this.spanAt(node.start, node.end);
    this.deadline.check();
    if (depth > MAX_NESTING_DEPTH) return { kind: 'unknown', reason: 'nested too deeply', span };
    if (node.kind === 'map') {
      const entries: DocEntry[] = [];
      for (let i = 0; i < node.keys.length; i++) {
        const key = node.keys[i]!;
        entries.push({ key: this.scalarText(key.value, key.start, key.end), keySpan: this.spanAt(key.start, key.end), value: this.convertFast(node.values[i]!, depth + 1) });
      }
      return { kind: 'object', entries, complete: !this.directives, span };
    }
    if (node.kind === 'seq') return { kind: 'array', items: node.items.map((item) => this.convertFast(item, depth + 1)), complete: !this.directives, span };
    return this.scalar(node.value, node.start, node.end, span);
  }

  private scalar(v: unknown, start: number, end: number, span: Span): DocValue {
    if (this.holesIn(start, end).length > 0) return { kind: 'string', value: this.scalarText(v, start, end), span };
    if (typeof v === 'string') return { kind: 'string', value: this.source.templates ? splitPlaceholders(v) : known(v), span };
    if (typeof v === 'number') return { kind: 'number', value: v, span };
    if (typeof v === 'boolean') return { kind: 'boolean', value: v, span };
    if (v === null || v === undefined) return { kind: 'null', span };
    return { kind: 'string', value: known(String(v)), span };
  }

  convert(node: YamlNode | null | undefined, depth: number, spanOverride?: Span): DocValue {
    const span = spanOverride ?? this.span(node ?? {});
    if (!node) return { kind: 'null', span };
    // Only nodes reached through an alias count: a large plain document is not a bomb.
    if (this.aliasDepth > 0 && --this.budget < 0) return { kind: 'unknown', reason: 'alias expansion limit reached', span };
    this.deadline.check();
    if (depth > MAX_NESTING_DEPTH) return { kind: 'unknown', reason: 'nested too deeply', span };
    if (isAlias(node)) {
      // Resolve against the document the alias lives in; the span stays at the alias.
      const target = (node as unknown as { source: string }).source;
      const resolved = this.anchors.get(target);
      if (!resolved) return { kind: 'unknown', reason: `unresolved alias *${target}`, span };
      this.aliasDepth++;
      try {
        return this.convert(resolved, depth + 1, span);
      } finally {
        this.aliasDepth--;
      }
    }
    if (node.anchor) this.anchors.set(node.anchor, node);
    if (isMap(node)) {
      const entries: DocEntry[] = [];
      let complete = true;
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        if (isScalar(keyNode) && keyNode.value === '<<') {
          // Merge key: `<<: *defaults` copies the entries of the aliased map.
          const merged = this.convert(pair.value as YamlNode, depth + 1);
          if (merged.kind === 'object') entries.push(...merged.entries);
          else complete = false;
          continue;
        }
        if (!isScalar(keyNode)) {
          complete = false;
          continue;
        }
        const [ks, ke] = keyNode.range ?? [0, 0];
        entries.push({ key: this.scalarText(keyNode.value, ks, ke), keySpan: this.span(keyNode), value: this.convert(pair.value as YamlNode, depth + 1) });
      }
      return { kind: 'object', entries, complete: complete && !this.directives, span };
    }
    if (isSeq(node)) {
      return { kind: 'array', items: node.items.map((item) => this.convert(item as YamlNode, depth + 1)), complete: !this.directives, span };
    }
    if (isScalar(node)) {
      const [s, e] = node.range ?? [0, 0];
      return this.scalar(node.value, s, e, span);
    }
    return { kind: 'unknown', reason: 'unsupported YAML node', span };
  }

  private readonly anchors = new Map<string, YamlNode>();

  private holesIn(s: number, e: number): Hole[] {
    if (this.holes.length === 0) return [];
    return this.holes.filter((h) => h.start >= this.base + s && h.end <= this.base + e);
  }

  /** A scalar's string value (`value` of the node from `s` to `e`); with Terraform holes, the holes' values spliced in. */
  private scalarText(value: unknown, s: number, e: number): StrValue {
    const holes = this.holesIn(s, e);
    const text = value === null || value === undefined ? '' : String(value);
    if (holes.length === 0) return known(text);
    // Plain and quoted scalars without escapes: the value equals the source slice between delimiters.
    const raw = this.source.lines.text;
    let start = this.base + s;
    let end = this.base + e;
    if (raw[start] === '"' || raw[start] === "'") {
      start++;
      end--;
    }
    const parts: StrValue[] = [];
    let cursor = start;
    for (const hole of holes) {
      if (hole.start > cursor) parts.push(known(raw.slice(cursor, hole.start)));
      parts.push(hole.value);
      cursor = hole.end;
    }
    if (end > cursor) parts.push(known(raw.slice(cursor, end).trimEnd()));
    return concat(...parts);
  }
}
