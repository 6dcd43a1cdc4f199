// The fast YAML reader (server/src/parse/yaml-fast.ts) against `yaml`, over
// every .yaml/.yml file below the directories given (real repositories, which
// CI does not have): wherever the fast reader does not give up, `parseYaml`'s
// result through it must deep-equal the `yaml` path's (documents, values,
// spans, problems), with and without template reading. `--variations N` also
// compares N seeded variations of each file (comment, blank, marker and
// value lines inserted or lines dropped, as test/parse/yaml-fast.test.ts does).
//
//   npx tsc -p . && node scripts/yaml-fast-diff.mjs /work/real/* [--variations 10]
//
// Prints one line per file that differs and a JSON summary; exits 1 on any
// difference.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const out = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'out');
const { parseYamlWith } = require(path.join(out, 'server/src/parse/yaml.js'));
const { LineIndex } = require(path.join(out, 'server/src/common/text.js'));
const { prng } = require(path.join(out, 'test/fuzz/fuzz.js'));

const args = process.argv.slice(2);
const vi = args.indexOf('--variations');
const variations = vi >= 0 ? Number(args.splice(vi, 2)[1]) : 0;

const files = [];
function walk(p) {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    if (/(^|\/)(node_modules|\.git)$/.test(p)) return;
    for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
  } else if (/\.ya?ml$/i.test(p)) files.push(p);
}
for (const dir of args) walk(dir);

function outcome(parse) {
  try {
    return parse();
  } catch (e) {
    return `throws ${e.message}`;
  }
}

const summary = { files: files.length, bytes: 0, fastFiles: 0, fastBytes: 0, variations: 0, fastVariations: 0, unequal: 0 };
function compare(name, text) {
  let fast = false;
  for (const templates of [true, false]) {
    const source = { uri: 'file:///check.yaml', lines: new LineIndex(text), templates };
    const viaFast = outcome(() => parseYamlWith(source, 'fast'));
    if (viaFast === undefined) continue;
    fast = true;
    try {
      assert.deepStrictEqual(viaFast, outcome(() => parseYamlWith(source, 'yaml')));
    } catch {
      summary.unequal++;
      console.log(`differs: ${name} (templates: ${templates})`);
    }
  }
  return fast;
}

const random = prng(15);
const shapes = (ind) => ['', ind, `${ind}# note`, '#', '---', '--- # next', `${ind}key:`, `${ind}key: # empty`, `${ind}- `, `${ind}- item`, `${ind}key: value # said`, `${ind}- k: v`, `${ind}list: []`, `${ind}map: {}`, `${ind}text: |`, `${ind}folded: >-`, `${ind}  more text`, `${ind}flow: [a, "b", 1, {k: v}]`];
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  summary.bytes += text.length;
  if (compare(file, text)) {
    summary.fastFiles++;
    summary.fastBytes += text.length;
  }
  for (let v = 0; v < variations && text.length < 30_000; v++) {
    const lines = text.split('\n');
    for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
      const at = Math.floor(random() * (lines.length + 1));
      const neighbour = lines[Math.min(at, lines.length - 1)] ?? '';
      const indent = ' '.repeat(Math.max(0, neighbour.length - neighbour.trimStart().length + Math.floor(random() * 7) - 3));
      const options = shapes(indent);
      if (random() < 0.15 && lines.length > 1) lines.splice(at, 1);
      else lines.splice(at, 0, options[Math.floor(random() * options.length)]);
    }
    let varied = lines.join('\n');
    // As a heredoc body: every line indented.
    if (random() < 0.15) varied = varied.replace(/^(?=.)/gm, '    '.slice(0, 1 + Math.floor(random() * 4)));
    summary.variations++;
    if (compare(`${file} (variation ${v})`, varied)) summary.fastVariations++;
  }
}
console.log(JSON.stringify(summary));
process.exitCode = summary.unequal > 0 ? 1 : 0;
