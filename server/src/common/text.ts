/**
 * Positions and ranges in the shape LSP uses (0-based lines, UTF-16 code
 * units), but as plain data: nothing here knows about the protocol. Every
 * parser we use (web-tree-sitter, jsonc-parser, yaml) reports UTF-16 offsets
 * into the JS string, so one `LineIndex` per file converts all of them.
 */

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A place in the workspace: which file, and where in it. */
export interface Span {
  readonly uri: string;
  readonly range: Range;
}

export class LineIndex {
  /** Offset at which each line starts; `lineStarts[0]` is always 0. */
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */) {
        starts.push(i + 1);
      } else if (ch === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line]!;
    const next = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1]! : this.text.length;
    return Math.max(start, Math.min(start + position.character, next));
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  /** The text of line `line` without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.lineStarts.length) return '';
    const start = this.lineStarts[line]!;
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function compareSpans(a: Span, b: Span): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end);
}

/** Two spans over the same text: same file, same start, same end. */
export function sameSpan(a: Span, b: Span): boolean {
  return a.uri === b.uri && comparePositions(a.range.start, b.range.start) === 0 && comparePositions(a.range.end, b.range.end) === 0;
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

/**
 * One edit of a text, as an editor sends it: `previous.slice(start, end)`
 * replaced by `text`. Handed to the index with the new text, so that a
 * pre-filter can judge the edit instead of the whole text.
 */
export interface TextChange {
  /** The whole text before the edit. */
  readonly previous: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}
