/**
 * Workspace regular expressions (issue #12): Go's results (the engine
 * Terraform uses), a bounded amount of work whatever the pattern and text,
 * and a reason instead of a value when a pattern cannot run safely.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RE2JS } from 're2js';
import { expandTemplate, MAX_PROGRAM_SIZE, RegexSession, type RegexResult } from '../../server/src/common/safe-regex';

function value<T>(result: RegexResult<T>): T {
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.value;
}

function reason<T>(result: RegexResult<T>): string {
  assert.ok(!result.ok, 'expected a refusal');
  return result.reason;
}

describe('RegexSession', () => {
  it('replaces as Go does, empty matches and template references included', () => {
    const session = new RegexSession();
    assert.equal(value(session.replaceAll('a*', 'baaac', '-')), '-b-c-');
    assert.equal(value(session.replaceAll('^(.*provider/)', 'arn:aws:iam::1:oidc-provider/host', '')), 'host');
    assert.equal(value(session.replaceAll('(?P<first>\\w+)\\s(\\w+)', 'hello world', '${2} $first [$1x] $$ $')), 'world hello [] $ $');
    assert.equal(value(session.replaceAll('(?i)HELLO', 'hello', 'bye')), 'bye');
    // `^` and `$` hold at the ends of the text only, as in Go without (?m).
    assert.equal(value(session.replaceAll('^b', 'a\nb', 'x')), 'a\nb');
    assert.equal(value(session.replaceAll('.', '😀', 'x')), 'x', 'a character outside the BMP is one character');
  });

  it('finds the first match and every match with their groups, as Go does', () => {
    const session = new RegexSession();
    assert.deepEqual(value(session.firstMatch('(?P<ns>[a-z]+):(x)?', 'sa demo:y')), { groupNames: ['ns', undefined], matches: [{ text: 'demo:', groups: ['demo', undefined] }] });
    assert.deepEqual(
      value(session.allMatches('a*', 'baaac')).matches.map((m) => m.text),
      ['', 'aaa', ''],
    );
    assert.deepEqual(value(session.firstMatch('x', 'abc')).matches, []);
  });

  it('refuses what RE2 does not run, and what would cost too much, with a reason', () => {
    const session = new RegexSession();
    assert.match(reason(session.replaceAll('(a)\\1', 'aa', '')), /not understood/);
    assert.match(reason(session.replaceAll('(?<=a)b', 'ab', '')), /not understood/);
    assert.match(reason(session.replaceAll('x'.repeat(257), 'x', '')), /longer than 256/);
    assert.ok(MAX_PROGRAM_SIZE < 11_000);
    assert.match(reason(session.replaceAll('[a-z]{1000}'.repeat(11), 'x', '')), /too large/);
  });

  it('stops at its work budget: a long text with many matches is refused, not run', () => {
    const session = new RegexSession(1_000_000);
    const started = Date.now();
    // Each match costs a search over the rest of the text: about 10^5 searches over 10^5 characters.
    assert.match(reason(session.replaceAll('a', 'a'.repeat(100_000), 'b')), /work limit/);
    // The budget is shared by the searches of the session: one search over 100 characters costs about 100 × the program size.
    const cost = RE2JS.compile('x+y').programSize() * 101;
    const shared = new RegexSession(2 * cost);
    assert.equal(value(shared.replaceAll('x+y', 'x'.repeat(100), '')), 'x'.repeat(100));
    assert.equal(value(shared.replaceAll('x+y', 'x'.repeat(100), '')), 'x'.repeat(100));
    assert.match(reason(shared.replaceAll('x+y', 'x'.repeat(100), '')), /work limit/);
    assert.ok(Date.now() - started < 2000);
    // A fresh session has its own budget.
    assert.equal(value(new RegexSession(1_000_000).replaceAll('x+y', 'x'.repeat(100) + 'y', '')), '');
  });

  it('runs /^(a+)+$/ in linear time: 30 characters and a million', () => {
    const started = Date.now();
    const session = new RegexSession();
    assert.equal(value(session.replaceAll('^(a+)+$', 'a'.repeat(30) + 'b', 'x')), 'a'.repeat(30) + 'b');
    assert.equal(value(new RegexSession().firstMatch('^(a+)+$', 'a'.repeat(300_000) + 'b')).matches.length, 0);
    // A backtracking engine takes minutes on the first; 2 s is a bound for a loaded machine, not a benchmark.
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });
});

describe('expandTemplate', () => {
  const subject = 'hello world';
  const spans = [0, 11, 0, 5, 6, 11];
  const names = ['first', undefined];
  it('reads $n, ${n}, $name, ${name} and $$ as Go does', () => {
    assert.equal(expandTemplate('$1-${2}-$first-${first}-$$', subject, spans, names), 'hello-world-hello-hello-$');
    // The longest name wins: `$1x` is the group named `1x` (none), `${1}x` is group 1 then `x`.
    assert.equal(expandTemplate('$1x|${1}x', subject, spans, names), '|hellox');
    // `$` before something that is not a name, an unclosed brace, a leading zero, a group that does not exist.
    assert.equal(expandTemplate('$ $- ${1 $01 $9 $0', subject, spans, names), '$ $- ${1   hello world');
  });
});
