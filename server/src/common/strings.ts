/** String measures used for "did you mean" suggestions. */

/**
 * The edit distance between `a` and `b`, or `max + 1` as soon as it is
 * certainly larger than `max` (so a long list of candidates costs little).
 */
export function levenshtein(a: string, b: string, max = 8): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    let rowMin = prev[0];
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
      rowMin = Math.min(rowMin, prev[j]!);
    }
    if (rowMin > max) return max + 1;
  }
  return prev[b.length]!;
}

/**
 * The candidate `word` was most likely meant to be, for "did you mean": the
 * nearest by edit distance within a third of the word's length (at least 2),
 * or one that the word starts with or that starts with the word (a rule id
 * written out further, `trust-missing-audience`, or cut short). Undefined
 * when nothing is close enough to be worth suggesting.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(2, Math.floor(word.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(word, candidate, max);
    if (distance <= max && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  if (best !== undefined) return best.candidate;
  const lower = word.toLowerCase();
  const affix = [...candidates].filter((c) => lower.length >= 4 && (lower.startsWith(c) || c.startsWith(lower)));
  return affix.length === 1 ? affix[0] : undefined;
}
