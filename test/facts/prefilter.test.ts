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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { classifyFileName } from '../../shared/formats';
import { Deadline } from '../../server/src/common/budget';
import { LineIndex } from '../../server/src/common/text';
import { basenameUri, pathToUri } from '../../server/src/common/uri';
import { jsonMayHaveFacts, yamlMayHaveFacts } from '../../server/src/facts/prefilter';
import type { Facts } from '../../server/src/facts/types';
import { FACT_KINDS } from '../../server/src/index/gather';
import { extractFile, PIPELINES } from '../../server/src/formats/registry';
import { parseFixture } from '../support/fixture';
import { allRuleFixtures } from '../support/rule-fixtures';

const REPO = path.join(__dirname, '..', '..', '..');

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

function* corpus(): Generator<{ uri: string; text: string }> {
  for (const fixture of allRuleFixtures()) for (const [uri, text] of parseFixture(fixture.text).files) yield { uri, text };
  for (const dir of ['test/fixtures', 'examples', 'test/rules']) {
    for (const file of walk(path.join(REPO, dir))) {
      if (classifyFileName(path.basename(file)) === undefined) continue;
      const text = fs.readFileSync(file, 'utf8');
      if (text.includes('\0')) continue;
      yield { uri: pathToUri(file), text };
    }
  }
}

const yieldsSomething = (facts: Facts): boolean => FACT_KINDS.some((kind) => facts[kind].length > 0);

it('passes every file of the corpus that has facts or a reported problem', () => {
  let checked = 0;
  let withFacts = 0;
  let setAside = 0;
  for (const { uri, text } of corpus()) {
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
  assert.equal(yamlMayHaveFacts('file:///w/t.yaml', 'kind: {{ .Values.kind }}\n{{- end }}\n'), false);
});

it('passes what it cannot rule out', () => {
  const yaml = (text: string): boolean => yamlMayHaveFacts('file:///w/a.yaml', text);
  assert.ok(yaml('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n'));
  assert.ok(yaml('- kind: Deployment\n'));
  assert.ok(yaml('"kind": "Pod"\n'));
  assert.ok(yaml("'kind': 'CronJob'\n"));
  assert.ok(yaml('kind: !!str Job # a job\n'));
  assert.ok(yaml('kind: &k StatefulSet\n'));
  assert.ok(yaml('base: &k Deployment\nkind: *k\n'), 'an alias');
  assert.ok(yaml('kind:\n  Deployment\n'), 'a value on the next line');
  assert.ok(yaml('kind: "Deplo\\x79ment"\n'), 'an escape');
  assert.ok(yaml('{kind: Deployment, apiVersion: apps/v1}\n'), 'a flow mapping');
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
