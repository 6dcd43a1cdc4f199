/**
 * JSON → DocValue through jsonc-parser's error-tolerant tree.
 *
 * Also reads JSON *embedded* in Terraform (heredocs, quoted strings) whose
 * text contains `${…}` interpolations: the caller passes the interpolations
 * as holes (file offsets plus their evaluated value); holes are masked with
 * filler of the same length before parsing so that every offset still
 * points into the user's file, then spliced back as value segments.
 */
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { checkBracketNesting, currentDeadline, MAX_NESTING_DEPTH, type Deadline } from '../common/budget';
import { checkJsonNodeCount } from '../common/node-count';
import type { LineIndex, Span } from '../common/text';
import { splitPlaceholders } from '../common/placeholders';
import { concat, known, type StrValue } from '../common/value';
import type { DocEntry, DocValue } from './document';

export interface Hole {
  readonly start: number;
  readonly end: number;
  readonly value: StrValue;
}

export interface JsonProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface ParsedJson {
  readonly value: DocValue | undefined;
  readonly problems: readonly JsonProblem[];
}

export interface JsonSource {
  readonly uri: string;
  readonly lines: LineIndex;
  /** The slice of the file to parse; the whole file by default. */
  readonly start?: number;
  readonly end?: number;
  /** Interpolations inside the slice, in file offsets, sorted by start. */
  readonly holes?: readonly Hole[];
  /**
   * When true, placeholders inside JSON strings (`${name}`, a templatefile()
   * variable or an IAM policy variable; `$VAR`, `{{ … }}`, `<ACCOUNT_ID>`:
   * see `common/placeholders.ts`) become unknown segments.
   */
  readonly placeholders?: boolean;
  /** The file's time budget; checked per node. */
  readonly deadline?: Deadline;
}

/**
 * Never throws on bad input: syntax errors become problems. It throws
 * `LimitExceeded` (see `common/budget.ts`) when the text nests deeper than
 * the engine reads or the file's time budget runs out.
 */
export function parseJson(source: JsonSource): ParsedJson {
  const base = source.start ?? 0;
  const end = source.end ?? source.lines.text.length;
  const holes = source.holes ?? [];
  let text = source.lines.text.slice(base, end);
  if (holes.length > 0) text = maskHoles(text, base, holes);
  // jsonc-parser recurses per level and overflows the stack at a few thousand.
  checkBracketNesting(text);
  checkJsonNodeCount(text);
  const errors: ParseError[] = [];
  // Strict JSON, as IAM and kubectl read it: comments are errors too.
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: true });
  const problems = errors.slice(0, 20).map((e) => {
    // `…,\n}` is reported at the brace as "property name expected": point at the trailing comma instead.
    const before = /,\s*$/.exec(text.slice(0, e.offset));
    const code = printParseErrorCode(e.error);
    if (before && (code === 'PropertyNameExpected' || code === 'ValueExpected') && /^[}\]]/.test(text.slice(e.offset))) {
      return { start: base + before.index, end: base + before.index + 1, message: 'JSON syntax error: trailing comma (JSON allows none).' };
    }
    if (code === 'InvalidCommentToken') return { start: base + e.offset, end: base + e.offset + Math.max(1, e.length), message: 'JSON syntax error: comments are not JSON.' };
    // At the end of the text ("close brace expected"): point after the last token, not past the final newline.
    if (e.offset >= text.length) {
      const last = text.trimEnd().length;
      return { start: base + last, end: base + last, message: `JSON syntax error: ${describeJsonError(code)} at the end of the text.` };
    }
    return { start: base + e.offset, end: base + e.offset + Math.max(1, e.length), message: `JSON syntax error: ${describeJsonError(code)}.` };
  });
  if (!root) return { value: undefined, problems };
  const converter = new JsonConverter(source, base, holes);
  return { value: converter.convert(root), problems };
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Replaces each hole with filler that keeps the JSON well-formed: inside a
 * string, letters; outside, a number of the same width (`"Principal":
 * ${jsonencode(x)}` becomes a number the converter turns into unknown).
 */
function maskHoles(text: string, base: number, holes: readonly Hole[]): string {
  const inString = stringStates(text);
  let out = '';
  let cursor = 0;
  for (const hole of holes) {
    const s = hole.start - base;
    const e = hole.end - base;
    if (s < cursor || e > text.length) continue;
    out += text.slice(cursor, s);
    const width = e - s;
    out += inString[s] ? 'x'.repeat(width) : width === 1 ? '0' : '1' + '0'.repeat(width - 1);
    cursor = e;
  }
  return out + text.slice(cursor);
}

/** For each offset: is it inside a JSON string literal? */
function stringStates(text: string): boolean[] {
  const states = new Array<boolean>(text.length);
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      states[i] = true;
      if (ch === '\\') {
        states[i + 1] = true;
        i++;
      } else if (ch === '"') {
        inString = false;
      }
    } else {
      states[i] = false;
      if (ch === '"') inString = true;
    }
  }
  return states;
}

class JsonConverter {
  private readonly uri: string;
  private readonly deadline: Deadline;

  constructor(
    private readonly source: JsonSource,
    private readonly base: number,
    private readonly holes: readonly Hole[],
  ) {
    this.uri = source.uri;
    this.deadline = source.deadline ?? currentDeadline();
  }

  private span(node: JsonNode): Span {
    return { uri: this.uri, range: this.source.lines.range(this.base + node.offset, this.base + node.offset + node.length) };
  }

  private closedBy(node: JsonNode, bracket: string): boolean {
    return this.source.lines.text[this.base + node.offset + node.length - 1] === bracket;
  }

  private holesIn(start: number, end: number): Hole[] {
    return this.holes.filter((h) => h.start >= start && h.end <= end);
  }

  convert(node: JsonNode, depth = 0): DocValue {
    const span = this.span(node);
    this.deadline.check();
    if (depth > MAX_NESTING_DEPTH) return { kind: 'unknown', reason: 'nested too deeply', span };
    switch (node.type) {
      case 'object': {
        const entries: DocEntry[] = [];
        // A truncated file leaves objects unclosed: what is missing from them is unknown, not absent.
        let complete = this.closedBy(node, '}');
        for (const prop of node.children ?? []) {
          const [keyNode, valueNode] = prop.children ?? [];
          if (!keyNode || !valueNode) {
            complete = false;
            continue;
          }
          entries.push({ key: this.stringValue(keyNode), keySpan: this.span(keyNode), value: this.convert(valueNode, depth + 1) });
        }
        return { kind: 'object', entries, complete, span };
      }
      case 'array':
        return { kind: 'array', items: (node.children ?? []).map((c) => this.convert(c, depth + 1)), complete: this.closedBy(node, ']'), span };
      case 'string':
        return { kind: 'string', value: this.stringValue(node), span };
      case 'number': {
        const abs = this.base + node.offset;
        const hole = this.holesIn(abs, abs + node.length)[0];
        if (hole) return { kind: 'unknown', reason: 'interpolated value', span };
        return { kind: 'number', value: Number(node.value), span };
      }
      case 'boolean':
        return { kind: 'boolean', value: Boolean(node.value), span };
      case 'null':
        return { kind: 'null', span };
      default:
        return { kind: 'unknown', reason: 'unparsable JSON', span };
    }
  }

  /** A string node's value, with holes and `${…}` placeholders as segments. */
  private stringValue(node: JsonNode): StrValue {
    const abs = this.base + node.offset;
    const holes = this.holesIn(abs, abs + node.length);
    if (holes.length === 0) {
      const value = typeof node.value === 'string' ? node.value : String(node.value ?? '');
      return this.source.placeholders ? splitPlaceholders(value) : known(value);
    }
    // Rebuild from the raw source between the quotes, unescaping literal pieces.
    const raw = this.source.lines.text;
    const innerStart = abs + 1;
    const innerEnd = abs + node.length - 1;
    const parts: StrValue[] = [];
    let cursor = innerStart;
    for (const hole of holes) {
      if (hole.start > cursor) parts.push(known(unescapeJson(raw.slice(cursor, hole.start))));
      parts.push(hole.value);
      cursor = hole.end;
    }
    if (innerEnd > cursor) parts.push(known(unescapeJson(raw.slice(cursor, innerEnd))));
    return concat(...parts);
  }
}

function unescapeJson(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
