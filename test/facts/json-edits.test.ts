/**
 * A keystroke in a JSON file the pre-filter set aside is judged from the
 * edit alone (`jsonEditKeepsSetAside`): whenever it says the text stays set
 * aside, a full scan of the new text must say so too, with the same guard.
 * Checked over every set-aside JSON text of the corpus and a generated
 * CloudFormation-like template, under random single edits of every kind
 * (letters, quotes, backslashes, line breaks, braces, deletions), and on the
 * cases that must go back to a scan.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextChange } from '../../server/src/common/text';
import { jsonEditKeepsSetAside, jsonPrefilter, type JsonSetAside } from '../../server/src/facts/prefilter';
import { prng } from '../fuzz/fuzz';
import { corpusFiles } from '../support/corpus';

/** A CDK-like template: service roles (IAM words), nested strings, a `kind` key nowhere at the top. */
const TEMPLATE = JSON.stringify(
  {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'workers "quoted" \\ and \u00e9',
    Resources: Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        `WorkerRole${i}`,
        { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] }, Path: `/w\\${i}/`, Tags: [{ Key: 'n', Value: i }] } },
      ]),
    ),
  },
  null,
  2,
);

/** The same on one line (a minified template): the line scan starts at the text's start. */
const MINIFIED = JSON.stringify(JSON.parse(TEMPLATE));
/** A Kubernetes object of a kind without facts: `kind`'s value is what the scan read, so it is guarded. */
const CONFIG_MAP = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'policies', namespace: 'ops' }, data: { note: 'the Statement and Principal of the bucket policy', path: 'C:\\policies' } }, null, 1);
/** A top-level array: no facts whatever it holds. */
const ARRAY = JSON.stringify([{ Statement: [{ Effect: 'Allow', Principal: '*' }] }, 'kind', 3, null], null, 2);

function setAsideOf(text: string): JsonSetAside {
  const verdict = jsonPrefilter(text);
  assert.equal(verdict.mayHaveFacts, false);
  assert.ok(verdict.setAside, 'set aside by the top-level scan');
  return verdict.setAside;
}

function apply(change: TextChange): string {
  return change.previous.slice(0, change.start) + change.text + change.previous.slice(change.end);
}

const PIECES = ['a', 'Z', '7', ' ', 'é', 'worker', '"', '\\', '\n', '\t', '{', '}', '[', ']', ',', ':', 'kind', 'Statement', '\\u0041', ''];

describe('judging an edit of a set-aside JSON text', () => {
  it('never keeps a text set aside that a scan would read, and keeps most edits inside strings', () => {
    const texts = [TEMPLATE, MINIFIED, CONFIG_MAP, ARRAY, ...[...corpusFiles()].filter((f) => /\.json$/i.test(f.uri)).map((f) => f.text)].filter((t) => {
      const v = jsonPrefilter(t);
      return !v.mayHaveFacts && v.setAside !== undefined;
    });
    assert.ok(texts.length >= 4, `${texts.length} set-aside JSON texts`);
    const random = prng(2024);
    let kept = 0;
    let letterEdits = 0;
    let letterKept = 0;
    for (let n = 0; n < 6000; n++) {
      const previous = texts[n % texts.length]!;
      const guard = setAsideOf(previous);
      const start = Math.floor(random() * (previous.length + 1));
      const end = Math.min(previous.length, start + (random() < 0.6 ? 0 : Math.floor(random() * 4)));
      const text = PIECES[Math.floor(random() * PIECES.length)]!;
      const change = { previous, start, end, text };
      const next = apply(change);
      const judged = jsonEditKeepsSetAside(change, next, guard);
      const letter = /^[A-Za-z0-9 é]+$/.test(text) && !/["\\\n]/.test(previous.slice(start, end));
      if (letter) letterEdits++;
      if (!judged) continue;
      kept++;
      if (letter) letterKept++;
      const scanned = jsonPrefilter(next);
      assert.equal(scanned.mayHaveFacts, false, `kept set aside, but a scan reads it: ${JSON.stringify(change.text)} at ${start}-${end}`);
      assert.deepEqual(judged, scanned.setAside, `the guard after ${JSON.stringify(change.text)} at ${start}-${end}`);
    }
    // Not vacuous: a good share of the edits that stay inside a string (most of a template's text) is judged without a scan.
    assert.ok(kept > 500 && letterKept > letterEdits / 4, `kept ${kept}; letters ${letterKept} of ${letterEdits}`);
  });

  it('goes back to a scan for an edit of a top-level key, a quote, an escape, a line break, or one outside a string', () => {
    const guard = setAsideOf(TEMPLATE);
    const at = (needle: string, offset = 0): number => TEMPLATE.indexOf(needle) + offset;
    const judge = (start: number, end: number, text: string): JsonSetAside | undefined => jsonEditKeepsSetAside({ previous: TEMPLATE, start, end, text }, apply({ previous: TEMPLATE, start, end, text }), guard);
    // Inside a nested string: kept.
    assert.ok(judge(at('lambda.amazonaws.com', 3), at('lambda.amazonaws.com', 3), 'x'));
    assert.ok(judge(at('lambda.amazonaws.com', 3), at('lambda.amazonaws.com', 5), ''));
    // A top-level key: `Resources` typed into `Statement` would hold facts.
    assert.equal(judge(at('"Resources"', 2), at('"Resources"', 2), 'x'), undefined);
    // A quote, a backslash, a line break inserted; a quote deleted.
    assert.equal(judge(at('lambda', 1), at('lambda', 1), '"'), undefined);
    assert.equal(judge(at('lambda', 1), at('lambda', 1), '\\'), undefined);
    assert.equal(judge(at('lambda', 1), at('lambda', 1), '\n'), undefined);
    assert.equal(judge(at('"lambda'), at('"lambda', 1), ''), undefined);
    // Between a backslash and the character it escapes (`\\"quoted\\"` in the description), and outside any string.
    assert.equal(judge(at('\\"quoted', 1), at('\\"quoted', 1), 'x'), undefined);
    assert.equal(judge(at('"Type"', -1), at('"Type"', -1), 'x'), undefined);
    // An edit the new text does not match.
    assert.equal(jsonEditKeepsSetAside({ previous: TEMPLATE, start: at('lambda', 1), end: at('lambda', 1), text: 'x' }, TEMPLATE, guard), undefined);
  });
});
