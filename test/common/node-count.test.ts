/**
 * The node count that bounds JSON and YAML before their parsers run
 * (issue #12): never far below the nodes the parser builds, whatever the
 * shape, so a file cannot slip past the cap; and the cap refuses the files
 * that used to cost seconds and hundreds of megabytes.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments, visit } from 'yaml';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { LimitExceeded } from '../../server/src/common/budget';
import { loadCorpus } from '../fuzz/fuzz';
import { checkJsonNodeCount, checkYamlNodeCount, countJsonNodes, countYamlNodes, MAX_JSON_NODES, MAX_YAML_NODES } from '../../server/src/common/node-count';

function yamlNodes(text: string): number {
  let nodes = 0;
  for (const doc of parseAllDocuments(text, { uniqueKeys: false, strict: false })) {
    nodes++;
    visit(doc, () => {
      nodes++;
    });
  }
  return nodes;
}

function jsonNodes(text: string): number {
  const count = (node: JsonNode | undefined): number => (node ? 1 + (node.children ?? []).reduce((n, c) => n + count(c), 0) : 0);
  return count(parseTree(text));
}

/** Shapes written to hide nodes from a naive count: quotes that are not quotes, comments, compact nesting. */
const TRICKY_YAML = [
  "x: [don't, a, b, c, 'quoted, with, commas', \"x\\\" , y\", d]\n",
  'a: b # comment, with, commas\nc: [1,2,3]\n',
  '- - - a\n  - b\n- ? k\n  : v\n',
  'x: {a: [1, {b: c}], d: e}\n',
  '--- a\n--- b\n...\n--- [c, d]\n',
  'k: "multi\n  line, string"\nl: [a,\n  b]\n',
  'x: |\n  literal: text, with: marks\ny: *a\nz: &a [1,2]\n',
];

describe('node counts before parsing', () => {
  it('YAML: the count is at least a third of the nodes `yaml` builds, on every corpus file and on tricky shapes', () => {
    const corpus = loadCorpus().flatMap((w) => [...w.files].filter(([uri]) => /\.ya?ml$/.test(uri)).map(([, text]) => text));
    assert.ok(corpus.length > 50);
    const texts = [...corpus, ...TRICKY_YAML];
    for (const text of texts) {
      const nodes = yamlNodes(text);
      assert.ok(countYamlNodes(text) * 3 >= nodes, `${countYamlNodes(text)} marks for ${nodes} nodes in ${JSON.stringify(text.slice(0, 80))}`);
    }
  });

  it('JSON: the count is at least half of the nodes jsonc-parser builds', () => {
    for (const text of ['{"a": [1, 2, {"b": "c,d:e"}], "f": "\\"[{,"}', '[[[]]]', '"x"', '{}']) {
      assert.ok(countJsonNodes(text) * 2 >= jsonNodes(text), text);
    }
  });

  it('refuses a 2 MB one-line flow list, a block list and a JSON array, in milliseconds', () => {
    const started = Date.now();
    const refusal = (check: () => void): string => {
      try {
        check();
      } catch (e) {
        if (e instanceof LimitExceeded) return e.reason;
        throw e;
      }
      return 'accepted';
    };
    assert.equal(refusal(() => checkYamlNodeCount(`x: [${'a,'.repeat(1_000_000)}a]\n`)), `more than ${MAX_YAML_NODES} YAML nodes`);
    assert.equal(refusal(() => checkYamlNodeCount(`x:\n${'- a\n'.repeat(500_000)}`)), `more than ${MAX_YAML_NODES} YAML nodes`);
    assert.equal(refusal(() => checkJsonNodeCount(`[${'1,'.repeat(1_000_000)}1]`)), `more than ${MAX_JSON_NODES} JSON values`);
    assert.equal(refusal(() => checkYamlNodeCount(`x: [${'a,'.repeat(MAX_YAML_NODES - 10)}a]\n`)), 'accepted');
    assert.ok(Date.now() - started < 2000);
  });
});
