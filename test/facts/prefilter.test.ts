/**
 * The pre-filter (`facts/prefilter.ts`) never sets aside a file that has
 * facts or a reported problem: every JSON, YAML, template and shell file of
 * the corpus (rule fixtures, test workspaces, fuzz inputs, examples) is
 * parsed and extracted in full, and each one that yields anything must pass
 * the pre-filter. Then the shapes it exists to skip (CRD bundles,
 * CloudFormation templates, lock files), and the YAML spellings it must
 * not be fooled by.
 */
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { classifyFileName, type FormatKind } from '../../shared/formats';
import { Deadline } from '../../server/src/common/budget';
import { LineIndex } from '../../server/src/common/text';
import { basenameUri } from '../../server/src/common/uri';
import { jsonMayHaveFacts, yamlMayHaveFacts } from '../../server/src/facts/prefilter';
import { wordsIn, wordTestFor } from '../../server/src/facts/prefilter-words';
import { readTopLevel } from '../../server/src/parse/json-top-level';
import type { Facts } from '../../server/src/facts/types';
import { FACT_KINDS } from '../../server/src/index/gather';
import { extractFile, PIPELINES } from '../../server/src/formats/registry';
import { corpusFiles } from '../support/corpus';

const yieldsSomething = (facts: Facts): boolean => FACT_KINDS.some((kind) => facts[kind].length > 0);

it('passes every file of the corpus that has facts or a reported problem', () => {
  let checked = 0;
  let withFacts = 0;
  let setAside = 0;
  for (const { uri, text } of corpusFiles()) {
    const kind = classifyFileName(basenameUri(uri));
    if (!kind) continue;
    const pipeline = PIPELINES[kind];
    if (pipeline.scope !== 'file') continue;
    checked++;
    let facts: Facts | undefined;
    try {
      facts = extractFile(kind, { uri, lines: new LineIndex(text), deadline: new Deadline(60_000) });
    } catch {
      facts = undefined; // over a limit: no facts either way
    }
    const passes = pipeline.mayHaveFacts(uri, text);
    if (facts && yieldsSomething(facts)) {
      withFacts++;
      assert.ok(passes, `the pre-filter sets aside ${uri}, which has facts:\n${text.slice(0, 400)}`);
    }
    if (!passes) setAside++;
  }
  // The corpus is large, and both answers occur: the test would notice a pre-filter that passed nothing or everything.
  assert.ok(checked > 200 && withFacts > 150 && setAside >= 5, `checked ${checked}, with facts ${withFacts}, set aside ${setAside}`);
});

it('the word tests for over-size files are implied by the pre-filters: a file the pre-filter passes has the words', () => {
  // `facts/prefilter-words.ts` decides that an over-size file without its format's words is not reported: safe only if
  // no file the pre-filter would pass lacks them. Over the corpus, and over its texts decoded byte for byte as Latin-1
  // (what the stream searches) and upper-cased (the case-insensitive words).
  let checked = 0;
  let passed = 0;
  for (const { uri, text } of corpusFiles()) {
    const kind = classifyFileName(basenameUri(uri));
    const pipeline = kind && PIPELINES[kind];
    if (!kind || !pipeline || pipeline.scope !== 'file') continue;
    const test = wordTestFor(uri, kind);
    checked++;
    if (!pipeline.mayHaveFacts(uri, text)) continue;
    passed++;
    if (!test) continue;
    const latin1 = Buffer.from(text, 'utf8').toString('latin1');
    assert.ok(test.mayHaveFacts(wordsIn(test, latin1)), `${uri}: the pre-filter passes it, its words say no facts`);
    for (const variant of [text.toUpperCase(), text.toLowerCase()]) {
      if (pipeline.mayHaveFacts(uri, variant)) assert.ok(test.mayHaveFacts(wordsIn(test, Buffer.from(variant, 'utf8').toString('latin1'))), `${uri} (case changed)`);
    }
  }
  assert.ok(checked > 200 && passed > 150, `checked ${checked}, passed ${passed}`);
  // Files with the words of nothing: set aside by both.
  const none = (kind: FormatKind, uri: string, text: string): void => {
    const test = wordTestFor(uri, kind)!;
    assert.equal(PIPELINES[kind].scope === 'file' && PIPELINES[kind].mayHaveFacts(uri, text), false, text);
    assert.equal(test.mayHaveFacts(wordsIn(test, text)), false, text);
  };
  none('markdown', 'file:///w/ATTRIBUTION.md', '# Notices\n\nMIT License\n');
  none('json', 'file:///w/package-lock.json', '{"packages": {"node_modules/kind-of": {"version": "6.0.3"}}}');
  none('yaml', 'file:///w/crds.yaml', 'apiVersion: v1\nmetadata:\n  name: x\n');
  none('shell', 'file:///w/build.sh', 'npm ci\n');
  none('template', 'file:///w/user-data.tpl', '#!/bin/sh\necho ${x}\n');
  assert.equal(wordTestFor('file:///w/kustomization.yaml', 'yaml'), undefined, 'a kustomization always matters');
  assert.equal(wordTestFor('file:///w/main.tf', 'terraform'), undefined, 'Terraform has no pre-filter');
});

it('sets aside CRD bundles, CloudFormation templates and lock files', () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  names:
    kind: Widget
    listKind: WidgetList
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          properties:
            kind:
              description: The Pod's ServiceAccount kind.
              type: string
            items:
              # a comment first
              kind:
                - a
---
apiVersion: v1
kind: ConfigMap # not ours
metadata:
  name: x
`;
  assert.equal(yamlMayHaveFacts('file:///w/crds.yaml', crd), false);
  const cfn = JSON.stringify({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }] } } } } });
  assert.equal(jsonMayHaveFacts(cfn), false);
  assert.equal(jsonMayHaveFacts(JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': {} } })), false);
  assert.equal(jsonMayHaveFacts(JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1' })), false);
});

it('passes what it cannot rule out', () => {
  const yaml = (text: string): boolean => yamlMayHaveFacts('file:///w/a.yaml', text);
  assert.ok(yaml('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n'));
  assert.ok(yaml('kind: {{ .Values.kind }}\n{{- end }}\n'), 'a Helm chart template: read with its placeholders unknown');
  assert.ok(yaml('{{- if .Values.create }}\nkind: ServiceAccount\n{{- end }}\n'), 'a Helm chart template of a ServiceAccount');
  assert.ok(yaml('- kind: Deployment\n'));
  assert.ok(yaml('"kind": "Pod"\n'));
  assert.ok(yaml("'kind': 'CronJob'\n"));
  assert.ok(yaml('kind: !!str Job # a job\n'));
  assert.ok(yaml('kind: &k StatefulSet\n'));
  assert.ok(yaml('base: &k Deployment\nkind: *k\n'), 'an alias');
  assert.ok(yaml('kind:\n  Deployment\n'), 'a value on the next line');
  assert.ok(yaml('kind: "Deplo\\x79ment"\n'), 'an escape');
  assert.ok(yaml('{kind: Deployment, apiVersion: apps/v1}\n'), 'a flow mapping');
  assert.ok(yaml('{"apiVersion":"v1","kind":"ServiceAccount"}\n'), 'JSON style, no space after the colon');
  assert.ok(yaml("{'kind':Pod}\n"), 'a quoted key, no space after the colon');
  assert.ok(yaml('? kind\n: Deployment\n'), 'an explicit key');
  assert.ok(yaml('controller:\n  serviceAccount:\n    annotations: {}\n'), 'Helm values');
  assert.ok(yamlMayHaveFacts('file:///w/kustomization.yaml', 'resources: []\n'), 'a kustomization');
  assert.ok(jsonMayHaveFacts('{"Version": "2012-10-17", "Statement": []}'));
  assert.ok(jsonMayHaveFacts('{"\\u0053tatement": []}'), 'an escaped key');
  assert.ok(jsonMayHaveFacts('{"kind": "ServiceAccount", "apiVersion": "v1"}'));
  assert.ok(jsonMayHaveFacts('{"Statement": [], // comment\n}'), 'JSONC: left to the parser');
  assert.ok(jsonMayHaveFacts('{"Statement": [ ${x} ]}'), 'a placeholder');
  assert.ok(jsonMayHaveFacts('{"Statement": [ '), 'a syntax error in a policy');
});

it('reads the top level of exactly the texts JSON.parse accepts, with the same keys', () => {
  // Valid texts and every one-character deletion, duplication and replacement of them: a differential test against the native parser.
  const seeds = [
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "x"}, "Condition": {}}]}',
    '{"kind": "ServiceAccount", "apiVersion": "v1", "metadata": {"name": "a", "n": [1, -2.5e+3, 0.1, true, false, null, [], {}]}}',
    '{"\\u0053tatement": "a\\"b\\\\c\\/\\n", "kind": 3, "kind": "Pod", "k": [[[[]]]]}',
    '[1, {"a": {}}, "s"]',
    ' "text" ',
    '{}',
    // Pretty-printed, with line breaks, tabs and carriage returns between tokens and a backslash further on: the scanner
    // skips string bodies by `indexOf` and must still refuse a raw line break, tab, CR or other control character inside one.
    '{\r\n\t"Resources": {\n  "R": {"Type": "AWS::IAM::Role", "P": ["a", "b\\"c"]}\n },\n "kind": "Pod"\n}\n',
    '[\n "x",\n "y\\u00e9",\n "z"\n]',
  ];
  const replacements = ['"', '{', '}', '[', ']', ',', ':', ' ', '\\', 'u', '0', '-', 'e', '.', '\n', '\t', '\r', '\u0001', '\u001f', 'x'];
  let compared = 0;
  for (const seed of seeds) {
    const variants = new Set([seed]);
    for (let i = 0; i < seed.length; i++) {
      variants.add(seed.slice(0, i) + seed.slice(i + 1));
      variants.add(seed.slice(0, i) + seed[i] + seed.slice(i));
      for (const r of replacements) variants.add(seed.slice(0, i) + r + seed.slice(i + 1));
    }
    for (const text of variants) {
      let expected: unknown;
      let valid = true;
      try {
        expected = JSON.parse(text);
      } catch {
        valid = false;
      }
      const top = readTopLevel(text, new Set(['kind']));
      assert.equal(top !== undefined, valid, `${JSON.stringify(text)}: JSON.parse ${valid ? 'accepts' : 'rejects'} it`);
      if (top && typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
        assert.deepEqual([...new Set(top.keys)].sort(), Object.keys(expected).sort(), text);
        const kind = (expected as Record<string, unknown>)['kind'];
        assert.equal(top.strings.get('kind'), kind === undefined ? undefined : typeof kind === 'string' ? kind : null, text);
      } else if (top) assert.equal(top.keys, undefined, text);
      compared++;
    }
  }
  assert.ok(compared > 2000, `${compared} texts compared`);
  // Nesting deeper than any stack is no strict-JSON reader's problem here: it is iterative.
  assert.deepEqual(readTopLevel('['.repeat(200_000) + ']'.repeat(200_000), new Set())?.keys, undefined);
});
