/**
 * Multi-document YAML is read document by document (`parseYamlFile`): a
 * document that cannot yield a fact is not parsed. Over the whole corpus the
 * facts equal those of reading every document, and the problems are a
 * subset (those of set-aside documents go). Then what it is for: a
 * ServiceAccount appended to a CRD bundle bigger than the YAML node limit is
 * read and checked, where the whole file used to be skipped.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deadline } from '../../server/src/common/budget';
import { MAX_YAML_NODES } from '../../server/src/common/node-count';
import { LineIndex } from '../../server/src/common/text';
import { extractYamlFacts, parseYamlFile } from '../../server/src/facts/files';
import { yamlMayHaveFacts } from '../../server/src/facts/prefilter';
import type { Facts } from '../../server/src/facts/types';
import { FACT_KINDS } from '../../server/src/index/gather';
import { Workspace } from '../../server/src/index/workspace';
import { analyze } from '../../server/src/analysis';
import { initParsers } from '../../server/src/node/host';
import { parseYaml, yamlDocumentSlices } from '../../server/src/parse/yaml';
import { corpusFiles } from '../support/corpus';

const isYaml = (uri: string): boolean => /\.ya?ml$/i.test(uri);

function facts(uri: string, text: string, whole: boolean): Facts {
  const file = { uri, lines: new LineIndex(text), deadline: new Deadline(60_000) };
  const parsed = whole ? parseYaml({ uri, lines: file.lines, deadline: file.deadline, templates: true }) : parseYamlFile(file);
  return extractYamlFacts(parsed, file);
}

describe('cutting a YAML text into documents', () => {
  it('cuts at --- lines, keeps leading comments with the first document and leading content as its own', () => {
    assert.deepEqual(yamlDocumentSlices('a: 1\n---\nb: 2\n'), [
      { start: 0, end: 5 },
      { start: 5, end: 14 },
    ]);
    assert.deepEqual(yamlDocumentSlices('# bundle\n---\na: 1\n--- # two\nb: 2\n'), [
      { start: 0, end: 18 },
      { start: 18, end: 33 },
    ]);
  });

  it('does not cut a single document, a --- that is part of a word, or a text with directives or end markers', () => {
    assert.equal(yamlDocumentSlices('a: 1\n'), undefined);
    assert.equal(yamlDocumentSlices('---\na: 1\n'), undefined);
    assert.equal(yamlDocumentSlices('a: |\n  x\n---not-a-marker: 1\n'), undefined);
    assert.equal(yamlDocumentSlices('%YAML 1.2\n---\na: 1\n---\nb: 2\n'), undefined);
    assert.equal(yamlDocumentSlices('a: 1\n...\n---\nb: 2\n'), undefined);
  });
});

describe('document by document over the corpus', () => {
  it('gives the facts of reading every document, and a subset of its problems', () => {
    let multi = 0;
    let setAside = 0;
    for (const { uri, text } of corpusFiles()) {
      const slices = isYaml(uri) ? yamlDocumentSlices(text) : undefined;
      if (!slices) continue;
      multi++;
      if (slices.some((s) => !yamlMayHaveFacts(uri, text.slice(s.start, s.end)))) setAside++;
      const byDocument = facts(uri, text, false);
      const whole = facts(uri, text, true);
      for (const kind of FACT_KINDS) if (kind !== 'problems') assert.deepEqual(byDocument[kind], whole[kind], `${uri}: ${kind}`);
      const wholeProblems = whole.problems.map((p) => JSON.stringify(p));
      for (const p of byDocument.problems) assert.ok(wholeProblems.includes(JSON.stringify(p)), `${uri}: a problem reading every document does not report: ${p.message}`);
    }
    // The comparison must cover files where documents were set aside, not only files read whole.
    assert.ok(multi >= 10 && setAside >= 3, `${multi} multi-document YAML files in the corpus, ${setAside} with documents set aside`);
  });
});

describe('what reading by document is for', () => {
  /** A CRD bundle: long schemas, each property a few YAML nodes. */
  function crdBundle(crds: number, properties: number): string {
    const docs: string[] = [];
    for (let c = 0; c < crds; c++) {
      const props = Array.from({ length: properties }, (_, p) => `                field${p}:\n                  type: string\n                  description: Field ${p} of resource ${c}.`).join('\n');
      docs.push(
        `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets${c}.example.com\nspec:\n  group: example.com\n  names:\n    kind: Widget${c}\n    plural: widgets${c}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n${props}\n`,
      );
    }
    return `---\n${docs.join('---\n')}`;
  }
  const SERVICE_ACCOUNT = '---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: widget-controller\n  namespace: widgets\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:policy/widget-controller\n';

  it('reads a ServiceAccount appended to a CRD bundle over the node limit, and checks it', async () => {
    await initParsers();
    const bundle = crdBundle(12, 600);
    assert.throws(() => parseYaml({ uri: 'file:///ws/crds.yaml', lines: new LineIndex(bundle + SERVICE_ACCOUNT) }), new RegExp(`more than ${MAX_YAML_NODES} YAML nodes`));
    const workspace = new Workspace();
    workspace.setFile('file:///ws/crds.yaml', bundle + SERVICE_ACCOUNT);
    assert.deepEqual(workspace.limitedFiles(), []);
    const lines = (bundle + SERVICE_ACCOUNT).split('\n');
    const sa = workspace.model().serviceAccounts;
    assert.deepEqual(
      sa.map((s) => [s.name.value.segments, s.span.range.start.line]),
      [[[{ kind: 'text', text: 'widget-controller' }], lines.indexOf('  name: widget-controller')]],
    );
    // A policy ARN where the role's belongs: malformed, in a document the file's size used to hide.
    const findings = analyze(workspace).findings.map((f) => `${f.ruleId} ${f.span.range.start.line}`);
    assert.ok(findings.includes(`sa-role-arn-malformed ${lines.findIndex((l) => l.includes('role-arn'))}`), findings.join('\n'));
  });

  it('checks the syntax of documents that can hold facts, not of the others', () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n';
    const brokenService = '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [80\n';
    assert.equal(facts('file:///ws/web.yaml', deployment + brokenService, true).problems.length, 1);
    assert.deepEqual(facts('file:///ws/web.yaml', deployment + brokenService, false).problems, []);
    const brokenDeployment = deployment.replace('  name: web\n', '  name: [web\n');
    assert.equal(facts('file:///ws/web.yaml', `${brokenDeployment}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n`, false).problems.length, 1);
  });
});
