/**
 * Template placeholders and directives: which parts of a text or a value
 * are for a renderer to decide (`common/placeholders.ts`).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitPlaceholders, templateSpans } from '../../server/src/common/placeholders';
import { display, knownText } from '../../server/src/common/value';

describe('splitPlaceholders', () => {
  it('keeps text without placeholders known', () => {
    assert.equal(knownText(splitPlaceholders('arn:aws:iam::111122223333:role/reader')), 'arn:aws:iam::111122223333:role/reader');
    assert.equal(knownText(splitPlaceholders('a <= b, 5 $')), 'a <= b, 5 $');
  });

  it('makes every placeholder style unknown and displays it as written', () => {
    for (const value of ['${role_arn}', 'arn:aws:iam::$ACCOUNT:role/x', 'arn:aws:iam::$(ACCOUNT):role/x', '{{ .Values.arn }}', 'arn:aws:iam::<ACCOUNT_ID>:role/x', '%{ if x }y%{ endif }']) {
      const split = splitPlaceholders(value);
      assert.equal(knownText(split), undefined, value);
      assert.equal(display(split), value);
    }
  });

  it('names the variable of a `${name}` placeholder only, which templatefile() can bind', () => {
    const [dollar] = splitPlaceholders('${role_arn}').segments;
    assert.equal(dollar?.kind === 'unknown' ? dollar.placeholder : 'not unknown', 'role_arn');
    const [shell] = splitPlaceholders('$ROLE_ARN').segments;
    assert.equal(shell?.kind === 'unknown' ? shell.placeholder : 'not unknown', undefined);
  });
});

describe('templateSpans', () => {
  it('finds directives on their own lines and inline values, with offsets into the text', () => {
    const text = 'a: ${x}\n%{ if y ~}\nb: "{{ .Values.z }}"\n  {{- end }}\nc: $${literal}\n';
    const spans = templateSpans(text);
    assert.deepEqual(
      spans.map((s) => [text.slice(s.start, s.end), s.kind, s.ownLine]),
      [
        ['${x}', 'value', false],
        ['%{ if y ~}', 'directive', true],
        ['{{ .Values.z }}', 'value', false],
        ['{{- end }}', 'directive', true],
      ],
    );
  });

  it('does not run past the end of a line or a text that never closes', () => {
    assert.deepEqual(templateSpans('a: ${x\nb: }'), []);
    assert.deepEqual(templateSpans('{{'.repeat(10_000)), []);
  });
});
