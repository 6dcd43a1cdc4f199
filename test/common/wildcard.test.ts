/**
 * IAM wildcard matching without backtracking: the same answers as the
 * regular expression it replaces (compared on every small pattern and text
 * over a tiny alphabet), and no hang on the patterns that made that
 * regular expression take minutes (issue #12).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wildcardMatch } from '../../server/src/common/wildcard';

/** The old implementation, kept as the reference on inputs small enough for it. */
function regexReference(pattern: string, text: string): boolean {
  return new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's').test(text);
}

function* strings(alphabet: string, maxLength: number): Generator<string> {
  yield '';
  let level = [''];
  for (let n = 1; n <= maxLength; n++) {
    const next: string[] = [];
    for (const s of level) for (const c of alphabet) next.push(s + c);
    yield* next;
    level = next;
  }
}

describe('wildcardMatch', () => {
  it('agrees with the regular expression on every pattern over {a, b, *, ?} up to 5 characters and every text over {a, b} up to 6', () => {
    const texts = [...strings('ab', 6)];
    let compared = 0;
    for (const pattern of strings('ab*?', 5)) {
      for (const text of texts) {
        assert.equal(wildcardMatch(pattern, text), regexReference(pattern, text), `${JSON.stringify(pattern)} vs ${JSON.stringify(text)}`);
        compared++;
      }
    }
    assert.ok(compared > 100_000);
  });

  it('reads IAM values as IAM does', () => {
    assert.ok(wildcardMatch('system:serviceaccount:demo:*', 'system:serviceaccount:demo:s3-reader'));
    assert.ok(!wildcardMatch('system:serviceaccount:demo:*', 'system:serviceaccount:other:s3-reader'));
    assert.ok(wildcardMatch('sts:AssumeRole*', 'sts:AssumeRoleWithWebIdentity'));
    assert.ok(wildcardMatch('kube-?ystem', 'kube-system'));
    assert.ok(!wildcardMatch('kube-?ystem', 'kube-ssystem'));
    // Regular-expression characters are plain characters in IAM patterns.
    assert.ok(wildcardMatch('a.b+(c)[d]$', 'a.b+(c)[d]$'));
    assert.ok(!wildcardMatch('a.b', 'axb'));
    // `*` matches across newlines and `?` any one UTF-16 unit, as the `s`-flagged expression did.
    assert.ok(wildcardMatch('a*b', 'a\nb'));
    assert.ok(wildcardMatch('?', '\n'));
  });

  it('takes no time on the patterns that made the regular expression backtrack for minutes', () => {
    const started = Date.now();
    const subject = 'system:serviceaccount:' + 'a'.repeat(600);
    // 30 stars and no match: the backtracking expression tries about 600^30 splits.
    assert.equal(wildcardMatch('system:serviceaccount:' + '*a'.repeat(30) + 'x', subject), false);
    assert.equal(wildcardMatch('system:serviceaccount:' + '*a'.repeat(30), subject), true);
    assert.equal(wildcardMatch('*?'.repeat(200) + 'b', 'a'.repeat(2000)), false);
    assert.equal(wildcardMatch('sts:' + '*'.repeat(21) + 'X', 'sts:' + 'AssumeRoleWithWebIdentity'.repeat(20)), false);
    // Each of these took from 23 s to over a minute; 2 s is a bound for a loaded machine, not a benchmark.
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });
});
