/**
 * IAM string globbing (`StringLike`, `Action`, Fargate selector namespaces):
 * `*` matches any run of characters, `?` exactly one, everything else itself.
 *
 * A regular expression built from the pattern (`^a.*b.*c$`) backtracks: with
 * k stars and no match it tries every way to split the text, about n^k
 * steps, so 8 stars in a trust policy froze the CLI for half a minute and
 * the server until it was killed. The pattern is matched here without
 * backtracking instead: it is cut at its stars into pieces, the first piece
 * must start the text and the last end it, and each piece between is taken
 * at its leftmost place after the one before. Leftmost is always right: a
 * later place leaves less text for the pieces that follow and never more.
 * The cost is at most (pattern length × text length) character comparisons,
 * whatever the pattern.
 */

/** Does `text` match the IAM wildcard `pattern`? Case-sensitive, as IAM compares values; lower both to compare case-insensitively. */
export function wildcardMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return text.length === pattern.length && pieceMatchesAt(pattern, text, 0);
  const pieces = pattern.split('*');
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > text.length) return false;
  if (!pieceMatchesAt(first, text, 0) || !pieceMatchesAt(last, text, text.length - last.length)) return false;
  // The middle pieces must fit, in order, between the first and the last.
  let cursor = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i]!;
    if (piece === '') continue;
    const at = leftmostPiece(piece, text, cursor, end);
    if (at < 0) return false;
    cursor = at + piece.length;
  }
  return true;
}

/** Does `piece` (no `*`, maybe `?`) match `text` at `at`? */
function pieceMatchesAt(piece: string, text: string, at: number): boolean {
  if (at < 0 || at + piece.length > text.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const p = piece.charCodeAt(i);
    if (p !== QUESTION_MARK && p !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost offset in [from, end − piece length] where `piece` matches, or −1. */
function leftmostPiece(piece: string, text: string, from: number, end: number): number {
  if (!piece.includes('?')) {
    const at = text.indexOf(piece, from);
    return at >= 0 && at + piece.length <= end ? at : -1;
  }
  for (let at = from; at + piece.length <= end; at++) if (pieceMatchesAt(piece, text, at)) return at;
  return -1;
}

const QUESTION_MARK = 0x3f;
