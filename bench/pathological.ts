/**
 * `npm run build && tsc -p . && node out/bench/pathological.js`: the inputs
 * of issue #12 that made a backtracking engine hang, timed with the engine
 * before the fix (JavaScript regular expressions, run only as far as they
 * finish in reasonable time) and with the one after. No assertion: the
 * figures go in docs/reliability.md.
 */
import { performance } from 'node:perf_hooks';
import { RegexSession } from '../server/src/common/safe-regex';
import { wildcardMatch } from '../server/src/common/wildcard';

function time(run: () => unknown): string {
  const started = performance.now();
  run();
  const ms = performance.now() - started;
  return ms < 1 ? `${Math.round(ms * 1000)} µs` : `${Math.round(ms)} ms`;
}

/** How IAM wildcards were matched before: a regular expression per pattern. */
function backtrackingGlob(pattern: string, text: string): boolean {
  return new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's').test(text);
}

const subject = 'system:serviceaccount:' + 'a'.repeat(60) + ':' + 'a'.repeat(40);
console.log('| input | before (JavaScript RegExp) | after |\n|---|---|---|');
for (const stars of [4, 5, 6, 30]) {
  const pattern = 'system:serviceaccount:' + '*a'.repeat(stars) + 'x';
  const before = stars <= 6 ? time(() => backtrackingGlob(pattern, subject)) : 'not run (hours)';
  console.log(`| StringLike sub with ${stars} \`*\`, 100-character subject, no match | ${before} | ${time(() => wildcardMatch(pattern, subject))} |`);
}
for (const n of [20, 24, 27, 30]) {
  const text = 'a'.repeat(n) + 'b';
  const before = n <= 27 ? time(() => /^(a+)+$/.test(text)) : 'not run (minutes)';
  console.log(`| replace() with \`/^(a+)+$/\` on ${n} \`a\` and a \`b\` | ${before} | ${time(() => new RegexSession().replaceAll('^(a+)+$', text, 'x'))} |`);
}
