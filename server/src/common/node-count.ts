/**
 * How many nodes a JSON or YAML document will become, counted on the text
 * before a parser sees it, and the caps that keep one file within the time
 * budget and a stated amount of memory (docs/reliability.md).
 *
 * The parsers cannot be interrupted, and their cost follows the node count,
 * not the size: `yaml` spends about 10 µs and 0.8 KB per node, so a 2 MB
 * one-line flow list (700 000 nodes) took 9 s and 900 MB before the time
 * budget could even be looked at. A character scan costs milliseconds.
 *
 * The count is of structure: each `,` `[` `{` (and `:` in JSON) outside
 * strings, and in YAML each block indicator (`- `, `? `, `: `) and document
 * marker. Every node but a document's first is introduced by one of them,
 * so the count never falls far below the nodes the parser builds; it can
 * only run above (a multi-line quoted string counts its lines' commas).
 */
import { LimitExceeded } from './budget';

/**
 * Most structural marks a YAML file may hold: a 20 000-line manifest. At the
 * cap the slowest shape measured (a block mapping) takes about 0.5 s and
 * 40 MB on an idle CI core (`node out/bench/file-limits.js`), so a loaded
 * machine still stays within the 2 s budget.
 */
export const MAX_YAML_NODES = 20_000;

/** Most structural marks a JSON file may hold: `jsonc-parser` is about ten times cheaper per node than `yaml` (a 2 MB package-lock.json has about 150 000). */
export const MAX_JSON_NODES = 200_000;

/** Throws `LimitExceeded` when the JSON text has more than `MAX_JSON_NODES` structural marks. */
export function checkJsonNodeCount(text: string): void {
  const count = countJsonNodes(text, MAX_JSON_NODES);
  if (count > MAX_JSON_NODES) throw new LimitExceeded(`more than ${MAX_JSON_NODES} JSON values`);
}

/** Throws `LimitExceeded` when the YAML text has more than `MAX_YAML_NODES` structural marks. */
export function checkYamlNodeCount(text: string): void {
  const count = countYamlNodes(text, MAX_YAML_NODES);
  if (count > MAX_YAML_NODES) throw new LimitExceeded(`more than ${MAX_YAML_NODES} YAML nodes`);
}

/** Structural marks outside strings; stops counting past `stopAbove`. */
export function countJsonNodes(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let count = 1;
  let inString = false;
  for (let i = 0; i < text.length && count <= stopAbove; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === BACKSLASH) i++;
      else if (ch === DOUBLE_QUOTE) inString = false;
    } else if (ch === DOUBLE_QUOTE) inString = true;
    else if (ch === COMMA || ch === COLON || ch === OPEN_BRACKET || ch === OPEN_BRACE) count++;
  }
  return count;
}

/**
 * Structural marks of a YAML text, line by line. A quote opens a quoted
 * scalar only where a scalar starts (after indentation, an indicator or a
 * flow mark), as in YAML: `don't` is plain text, and must not hide the
 * commas after it. A quoted scalar is taken to end with its line, and `#`
 * after a space starts a comment.
 */
export function countYamlNodes(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let count = 1;
  let lineStart = 0;
  while (lineStart < text.length && count <= stopAbove) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    if (text.startsWith('---', lineStart) || text.startsWith('...', lineStart)) count++;
    let quote = 0;
    let scalarStart = true;
    for (let i = lineStart; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (quote !== 0) {
        if (ch === BACKSLASH && quote === DOUBLE_QUOTE) i++;
        else if (ch === quote) quote = 0;
        continue;
      }
      const next = i + 1 < lineEnd ? text.charCodeAt(i + 1) : SPACE;
      if (ch === SPACE || ch === TAB || ch === CARRIAGE_RETURN) continue;
      if (ch === HASH && (i === lineStart || isBlank(text.charCodeAt(i - 1)))) break;
      if ((ch === DOUBLE_QUOTE || ch === SINGLE_QUOTE) && scalarStart) {
        quote = ch;
        scalarStart = false;
      } else if (ch === COMMA || ch === OPEN_BRACKET || ch === OPEN_BRACE) {
        count++;
        scalarStart = true;
      } else if ((ch === DASH || ch === QUESTION_MARK) && scalarStart && isBlank(next)) {
        count++;
      } else if (ch === COLON && isBlank(next)) {
        count++;
        scalarStart = true;
      } else {
        scalarStart = ch === CLOSE_BRACKET || ch === CLOSE_BRACE;
      }
    }
    lineStart = lineEnd + 1;
  }
  return count;
}

function isBlank(ch: number): boolean {
  return ch === SPACE || ch === TAB || ch === CARRIAGE_RETURN || ch === NEWLINE;
}

const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const HASH = 0x23;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const DASH = 0x2d;
const QUESTION_MARK = 0x3f;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
