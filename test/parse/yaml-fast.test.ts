/**
 * The fast YAML reader (`parse/yaml-fast.ts`) against `yaml`, differentially:
 * wherever it does not give up, `parseYaml` must return exactly what the
 * `yaml` path returns (documents and their offsets, values, spans,
 * `complete` flags, problems). Over every YAML text of the corpus (rule
 * fixtures, test workspaces, examples, the benchmark generator's shapes),
 * over seeded variations of them (comment and blank lines at every
 * indentation, document markers, empty values: where `yaml` attaches what
 * decides the ranges), over whole extractions of every corpus file (YAML
 * heredocs in Terraform and Markdown code blocks with their holes), and
 * over the scalar spellings of the core schema. Then the shapes it must
 * leave to `yaml`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, it } from 'node:test';
import { parse as yamlParse } from 'yaml';
import { generateWorkspace } from '../../bench/realistic/generate';
import { classifyFileName } from '../../shared/formats';
import { Deadline } from '../../server/src/common/budget';
import { unknown } from '../../server/src/common/value';
import { LineIndex } from '../../server/src/common/text';
import { basenameUri, dirnameUri, pathToUri } from '../../server/src/common/uri';
import { extractFile, PIPELINES } from '../../server/src/formats/registry';
import { initParsers } from '../../server/src/node/host';
import { parseYamlWith, yamlFastPath, type ParsedYaml } from '../../server/src/parse/yaml';
import { plainValue, readBlockYaml } from '../../server/src/parse/yaml-fast';
import { extractTerraformModule } from '../../server/src/terraform/module';
import { corpusFiles, walkFiles } from '../support/corpus';
import { prng } from '../fuzz/fuzz';

const isYaml = (uri: string): boolean => /\.ya?ml$/i.test(uri);

let generated: { uri: string; text: string }[] | undefined;
/** The YAML files of a small benchmark workspace: Helm values and templates, Deployments, kustomizations, ServiceAccounts, CRD bundles. */
function generatedYaml(): { uri: string; text: string }[] {
  if (generated) return generated;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-yaml-fast-'));
  try {
    generateWorkspace(root, { files: 150, seed: 7, dense: false });
    generated = [...walkFiles(root)].filter((f) => isYaml(f) && fs.statSync(f).size < 300_000).map((f) => ({ uri: pathToUri(f), text: fs.readFileSync(f, 'utf8') }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return generated;
}

before(async () => {
  await initParsers();
});

function yamlTexts(): { uri: string; text: string }[] {
  return [...[...corpusFiles()].filter((f) => isYaml(f.uri)), ...generatedYaml()];
}

/** Compares the two readers on one text; says whether the fast one read it. */
function compare(uri: string, text: string): boolean {
  let fastRead = false;
  for (const templates of [true, false]) {
    const source = { uri, lines: new LineIndex(text), templates };
    const reference = outcome(() => parseYamlWith(source, 'yaml'));
    const fast = outcome(() => parseYamlWith(source, 'fast'));
    if (fast === undefined) continue;
    fastRead = true;
    assert.deepStrictEqual(fast, reference, `the fast YAML reader differs from yaml on ${uri} (templates: ${templates}):\n${text.slice(0, 600)}`);
  }
  return fastRead;
}

/** What `work` returns with `parseYaml`'s fast path, and without it. */
function withAndWithoutFastPath<T>(work: () => T): [T, T] {
  const fast = work();
  yamlFastPath.enabled = false;
  try {
    return [fast, work()];
  } finally {
    yamlFastPath.enabled = true;
  }
}

function outcome<T>(parse: () => T): T | string {
  try {
    return parse();
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

it('reads every YAML text of the corpus as yaml does, or leaves it to yaml', () => {
  let fast = 0;
  let total = 0;
  for (const { uri, text } of yamlTexts()) {
    total++;
    if (compare(uri, text)) fast++;
  }
  // Most of the corpus is plain block YAML: a reader that gave up on everything would pass the comparison.
  if (process.env.YF_LOG) console.log("corpus", fast, total);
  assert.ok(total > 100 && fast > total * 0.8, `fast path on ${fast} of ${total} texts`);
});

/** One line that changes where `yaml` attaches comments and blank lines, or what an empty value's range is. */
function variationLine(random: () => number, indentOfNeighbour: number): string {
  const indent = ' '.repeat(Math.max(0, indentOfNeighbour + Math.floor(random() * 7) - 3));
  const shapes = [
    '',
    indent,
    `${indent}# note`,
    `#`,
    '---',
    '--- # next',
    `${indent}key:`,
    `${indent}key: # empty`,
    `${indent}- `,
    `${indent}- # empty`,
    `${indent}- item`,
    `${indent}key: value # said`,
    `${indent}- k: v`,
    `${indent}list: []`,
    `${indent}map: {}  # none`,
    `${indent}"quoted key": 'it''s'`,
    `${indent}text: |`,
    `${indent}folded: >-`,
    `${indent}kept: |+`,
    `${indent}- |`,
    `${indent}  more text`,
    `${indent}flow: [a, "b", 1, {k: v}]`,
    `${indent}- {name: x, value: [1, 2.5, ~]}`,
  ];
  return shapes[Math.floor(random() * shapes.length)]!;
}

it('reads variations of the corpus as yaml does: comment lines, blank lines, markers and empty values anywhere', () => {
  const random = prng(15);
  let fast = 0;
  let total = 0;
  for (const { uri, text } of yamlTexts()) {
    if (text.length > 20_000) continue;
    for (let v = 0; v < 12; v++) {
      const lines = text.split('\n');
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (lines.length + 1));
        const neighbour = lines[Math.min(at, lines.length - 1)] ?? '';
        const indent = neighbour.length - neighbour.trimStart().length;
        if (random() < 0.15 && lines.length > 1) lines.splice(at, 1);
        else lines.splice(at, 0, variationLine(random, indent));
      }
      let varied = lines.join('\n');
      if (random() < 0.2) varied = varied.trimEnd();
      // As a heredoc body: every line indented.
      if (random() < 0.15) varied = varied.replace(/^(?=.)/gm, '    '.slice(0, 1 + Math.floor(random() * 4)));
      total++;
      if (compare(uri, varied)) fast++;
    }
  }
  if (process.env.YF_LOG) console.log("variations", fast, total);
  assert.ok(total > 1000 && fast > total * 0.2, `fast path on ${fast} of ${total} variations`);
});

it('extracts the same facts from every corpus file with and without the fast reader (heredocs and Markdown blocks too)', () => {
  let checked = 0;
  for (const { uri, text } of corpusFiles()) {
    const kind = classifyFileName(basenameUri(uri));
    if (!kind || PIPELINES[kind].scope !== 'file') continue;
    const [fast, reference] = withAndWithoutFastPath(() => outcome(() => extractFile(kind, { uri, lines: new LineIndex(text), deadline: new Deadline(60_000) })));
    assert.deepStrictEqual(fast, reference, `facts of ${uri} differ with the fast YAML reader`);
    checked++;
  }
  assert.ok(checked > 200, `checked ${checked}`);
});

it('extracts the same facts from every Terraform directory of the corpus with and without the fast reader (YAML heredocs)', () => {
  const directories = new Map<string, { uri: string; text: string }[]>();
  for (const file of corpusFiles()) {
    const kind = classifyFileName(basenameUri(file.uri));
    if (kind !== 'terraform' && kind !== 'tfvars') continue;
    const key = `${file.workspace} ${dirnameUri(file.uri)}`;
    directories.set(key, [...(directories.get(key) ?? []), file]);
  }
  for (const [key, files] of directories) {
    const dir = key.slice(key.indexOf(' ') + 1);
    const parsed = files.sort((a, b) => (a.uri < b.uri ? -1 : 1)).map(({ uri, text }) => PIPELINES[classifyFileName(basenameUri(uri)) === 'tfvars' ? 'tfvars' : 'terraform'].parse({ uri, lines: new LineIndex(text), deadline: new Deadline(60_000) }));
    const [fast, reference] = withAndWithoutFastPath(() => outcome(() => extractTerraformModule(dir, parsed)));
    assert.deepStrictEqual(fast, reference, `facts of ${key} differ with the fast YAML reader`);
  }
  assert.ok(directories.size > 100, `${directories.size} directories`);
  // The corpus has few YAML heredocs: these read through both readers, with their interpolations as holes.
  for (const [name, tf] of Object.entries(HEREDOCS)) {
    const uri = `file:///heredoc/${name}/main.tf`;
    const parsed = [PIPELINES.terraform.parse({ uri, lines: new LineIndex(tf), deadline: new Deadline(60_000) })];
    const [fast, reference] = withAndWithoutFastPath(() => extractTerraformModule('file:///heredoc/' + name, parsed));
    assert.deepStrictEqual(fast, reference, name);
    assert.ok(fast.serviceAccounts.length > 0, `${name} yields its ServiceAccount`);
    // The body itself, from its offsets in the file, with its interpolations as holes: the fast reader reads it, as yaml does.
    const start = tf.indexOf('\n', tf.indexOf('<<-EOT')) + 1;
    const end = tf.indexOf('EOT', start);
    const holes = [...tf.slice(start, end).matchAll(/\$\{[^}]*\}/g)].map((m) => ({ start: start + m.index, end: start + m.index + m[0].length, value: unknown(m[0]) }));
    const source = { uri, lines: new LineIndex(tf), start, end, holes };
    const viaFast = parseYamlWith(source, 'fast');
    assert.ok(viaFast, `${name}: left to yaml`);
    assert.deepStrictEqual(viaFast, parseYamlWith(source, 'yaml'), name);
  }
});

const HEREDOCS: Record<string, string> = {
  'kubectl-manifest': `locals {
  namespace = "payments"
}

resource "kubectl_manifest" "sa" {
  yaml_body = <<-EOT
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: api
      namespace: \${local.namespace}
      annotations:
        eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/\${local.namespace}-api"
        # the role Terraform makes below
    automountServiceAccountToken: true
  EOT
}
`,
  'helm-values': `variable "role_arn" {
  type = string
}

resource "helm_release" "lb" {
  name      = "aws-load-balancer-controller"
  chart     = "aws-load-balancer-controller"
  namespace = "kube-system"
  values = [<<-EOT
    clusterName: main
    serviceAccount:
      create: true
      name: aws-load-balancer-controller
      annotations:
        eks.amazonaws.com/role-arn: \${var.role_arn}
    tolerations: []
    args: ["--enable-shield=false", --v=2]
  EOT
  ]
}
`,
};

it('types plain scalars as the core schema does', () => {
  const spellings = [
    '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'yes', 'no', 'on', 'off', 'y', 'n',
    '0', '-0', '+0', '007', '-007', '+12', '0o17', '0o8', '0O17', '0x1F', '0xff', '0X1F', '0xg', '-0x1F', '1_000', '12345678901234567890',
    '1.5', '1.', '-1.', '.5', '-.5', '+.5', '1.50', '1e3', '1E-3', '1.2e+3', '.5e3', '1.e3', 'e3', '1e', '.inf', '-.Inf', '+.INF', '.INF', '.nan', '.NaN', '.NAN', '-.nan', '.Nan',
    'NaN', 'Infinity', '-Infinity', '1:20', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '0.0.1', '+', '-a', '.', '..', '-.', '+.', '1-2', '0b101', '1,000', '$1',
    'v1', 'arn:aws:iam::123456789012:role/x', 'https://example.com/a#b', 'a#b', 'x: y' /* not plain: a nested map */,
  ];
  for (const s of spellings) {
    const docs = readBlockYaml(`k: ${s}\n`);
    if (s === 'x: y') {
      assert.equal(docs, undefined, 'a nested map on a key line is an error: left to yaml');
      continue;
    }
    const expected: unknown = (yamlParse(`k: ${s}\n`) as { k: unknown }).k;
    assert.ok(docs && docs[0]!.contents.kind === 'map', s);
    const value = docs[0]!.contents.values[0]!;
    assert.ok(value.kind === 'scalar', s);
    assert.ok(Object.is(value.value, expected), `${s}: fast ${String(value.value)} (${typeof value.value}), yaml ${String(expected)} (${typeof expected})`);
    assert.ok(Object.is(plainValue(s), expected), s);
  }
  // Quoted scalars are strings, escapes resolved; keys take the scalar's text.
  const quoted = `a: "1"\nb: 'true'\nc: "x\\"y\\\\z\\n\\t\\/"\nd: 'it''s'\n1.50: e\n~: f\n"g": ''\n`;
  assert.deepStrictEqual(parseValues(quoted, 'fast'), parseValues(quoted, 'yaml'));
  assert.deepStrictEqual(yamlParse(quoted), { a: '1', b: 'true', c: 'x"y\\z\n\t/', d: "it's", 1.5: 'e', '': 'f', g: '' });
});

function parseValues(text: string, reader: 'fast' | 'yaml'): ParsedYaml | undefined {
  return parseYamlWith({ uri: 'file:///t.yaml', lines: new LineIndex(text) }, reader);
}

it('leaves to yaml what it does not fully understand', () => {
  const leftToYaml: Record<string, string> = {
    anchor: 'a: &x 1\nb: *x\n',
    alias: 'a: 1\nb: *x\n',
    tag: 'a: !!str 1\n',
    'merge key': 'base: {}\nm:\n  <<: {}\n',
    'explicit key': '? a\n: b\n',
    directive: '%YAML 1.2\n---\na: b\n',
    'document end': 'a: b\n...\n',
    tab: 'a:\n\tb: c\n',
    'tab in a value': 'a: b\tc\n',
    crlf: 'a: b\r\nc: d\r\n',
    bom: '\ufeffa: b\n',
    'multi-line plain scalar': 'a: b\n  c\n',
    'multi-line quoted scalar': 'a: "b\n  c"\n',
    'block scalar with an indentation indicator': 'a: |2\n   b\n',
    'empty block scalar': 'a: |\nb: 1\n',
    'block scalar less indented than its collection': 'a:\n  b: |\n  x\n',
    'block scalar with more-indented leading blank lines': 'a: |\n     \n  x\n',
    'flow collection over two lines': 'a: [b,\n  c]\n',
    'trailing comma': 'a: [b, ]\n',
    'pair in a flow sequence': 'a: [b: c]\n',
    'flow map entry without value': 'a: {b}\n',
    'comment inside a flow collection': 'a: [b #c\n  ]\n',
    'compact nested map': 'a: b: c\n',
    'sequence on a key line': 'a: - b\n',
    'nested sequence on one line': '- - a\n',
    'indented root, then less indented': '  a: b\n b: c\n',
    'scalar document': 'just text\n',
    'less indented key': 'a:\n    b: 1\n  c: 2\n',
    'unclosed quote': 'a: "b\n',
    'hex escape': 'a: "\\x41"\n',
    'text after a quoted value': 'a: "b" c\n',
    'text after ---': '--- a: b\n',
    'reserved indicator': 'a: @b\n',
  };
  for (const [name, text] of Object.entries(leftToYaml)) {
    assert.equal(readBlockYaml(text), undefined, name);
    // And `parseYaml` still reads it, through yaml.
    assert.deepStrictEqual(parseYamlWith({ uri: 'file:///t.yaml', lines: new LineIndex(text) }, 'auto'), parseValues(text, 'yaml'), name);
  }
});

it('gives the ranges yaml gives around comments, blank lines, empty values and document markers', () => {
  const cases = [
    'a: 1\nb:\n  c: x  \n  d: []\ne:\n- f\n- g: h\n  i: j\n\n# tail\n',
    '# lead\n\na: 1\n',
    '---\na: 1\n---\n',
    '---\n\n--- # x\nc: d\n',
    'k:\nl: # c\n  \nm:',
    '- \n-\n- a',
    'a:\n  b: 1\n  # same column\n# column 0\n',
    'a:\n  b: 1\n    # deeper\n\n  # same\nc: 2',
    'a: {}\n  # x\n  # y\nb: []\n',
    'a:\n  # only a comment\nb: 1',
    '- a\n  # indented\n- b\n',
    'a:\n  - b:\n    # c\n  - d\n',
    'x:\n  y:\n\n\n    # deep\n  z: 1\n',
    'only: key\n---\n# comment only\n',
    'a: |\n  x\n\n   y\n\nb: >\n  p\n  q\n\n  r\n   s\n  t\nc: |-\n  u\n  \n',
    'a: |+\n  x\n\n  \nb: 1\n',
    'l:\n- |\n x\n- k: >\n   folded\n   text\n  # after\n- [a, "b, c", {d: e}]  # end\n',
    'a: [ 1 , -2 , .5 , true , null , "q" , \'s\' ]\nb: {x: [], y: {}, z: [[1], [2]]}\n',
    '    a: 1\n    b:\n      c: 2\n    # t\n',
    '  # lead\n  - a\n  - b\n  # t\n# u\n',
    '# nothing but comments\n',
    '',
  ];
  for (const text of cases) assert.ok(compare('file:///ranges.yaml', text) || readBlockYaml(text) === undefined, text);
  // These must take the fast path (not merely agree by giving up).
  for (const text of cases.slice(0, 12).concat(cases.slice(15, 17), cases.slice(18, 22))) assert.ok(readBlockYaml(text), `left to yaml: ${JSON.stringify(text)}`);
});
