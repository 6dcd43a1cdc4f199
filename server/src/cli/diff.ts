/**
 * A unified diff of two texts, for `--fix-dry-run`: small and dependency
 * free. Lines are compared whole (a `\r` stays part of its line, so a CRLF
 * file's patch applies to it); the common head and tail are trimmed first,
 * and the changed middle is matched by longest common subsequence, which a
 * fix's few changed lines keep small. Hunks carry three lines of context.
 */

const CONTEXT = 3;
/** Above this many cells the middle is shown as one replacement rather than matched. */
const MAX_LCS_CELLS = 4_000_000;

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** The unified diff of `before` and `after` with `a/<path>` and `b/<path>` headers; empty when they are equal. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a.lines, b.lines);
  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const hunk of hunks(ops)) {
    out += `@@ -${range(hunk.aStart, hunk.aCount)} +${range(hunk.bStart, hunk.bCount)} @@\n`;
    for (const { op, aIndex, bIndex } of hunk.ops) {
      out += `${op.kind}${op.line}\n`;
      const lastOfA = op.kind !== '+' && aIndex === a.lines.length - 1 && !a.finalNewline;
      const lastOfB = op.kind !== '-' && bIndex === b.lines.length - 1 && !b.finalNewline;
      if (lastOfA || lastOfB) out += '\\ No newline at end of file\n';
    }
  }
  return out;
}

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === '') return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith('\n');
  const lines = (finalNewline ? text.slice(0, -1) : text).split('\n');
  return { lines, finalNewline };
}

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((line) => ({ kind: ' ', line }));
  ops.push(...middle(midA, midB));
  ops.push(...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

function middle(a: readonly string[], b: readonly string[]): Op[] {
  if ((a.length + 1) * (b.length + 1) > MAX_LCS_CELLS) {
    return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
  }
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++]! });
      j++;
    } else if (j === b.length || (i < a.length && lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      // On a tie, the removal first, as diff(1) prints a change.
      ops.push({ kind: '-', line: a[i++]! });
    } else {
      ops.push({ kind: '+', line: b[j++]! });
    }
  }
  return ops;
}

interface Hunk {
  readonly aStart: number;
  readonly aCount: number;
  readonly bStart: number;
  readonly bCount: number;
  readonly ops: readonly { op: Op; aIndex: number; bIndex: number }[];
}

function hunks(ops: readonly Op[]): Hunk[] {
  // Each op with the index of its line in a and in b.
  const indexed: { op: Op; aIndex: number; bIndex: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const op of ops) {
    indexed.push({ op, aIndex: op.kind === '+' ? ai - 1 : ai, bIndex: op.kind === '-' ? bi - 1 : bi });
    if (op.kind !== '+') ai++;
    if (op.kind !== '-') bi++;
  }
  const changed = indexed.flatMap((x, k) => (x.op.kind === ' ' ? [] : [k]));
  const out: Hunk[] = [];
  let k = 0;
  while (k < changed.length) {
    const first = changed[k]!;
    let last = first;
    while (k + 1 < changed.length && changed[k + 1]! - last <= 2 * CONTEXT + 1) last = changed[++k]!;
    k++;
    const slice = indexed.slice(Math.max(0, first - CONTEXT), Math.min(indexed.length, last + CONTEXT + 1));
    const aLines = slice.filter((x) => x.op.kind !== '+');
    const bLines = slice.filter((x) => x.op.kind !== '-');
    const before = indexed.slice(0, Math.max(0, first - CONTEXT));
    const aStart = before.filter((x) => x.op.kind !== '+').length + 1;
    const bStart = before.filter((x) => x.op.kind !== '-').length + 1;
    out.push({ aStart: aLines.length === 0 ? aStart - 1 : aStart, aCount: aLines.length, bStart: bLines.length === 0 ? bStart - 1 : bStart, bCount: bLines.length, ops: slice });
  }
  return out;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}
