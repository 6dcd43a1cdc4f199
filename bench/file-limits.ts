/**
 * `npm run build && tsc -p . && node out/bench/file-limits.js`: what one
 * file costs at the limits of docs/reliability.md, shape by shape. Each
 * shape runs in a fresh process (so one's garbage does not count against
 * the next), through `Workspace.setFile` and the model, as the server does
 * on an edit. Prints time, the peak resident memory above the process's
 * own (parsers loaded, text built), and whether the file was analysed or
 * skipped with which reason. No assertion: the figures go in the docs.
 *
 * `--shape NAME --size N` runs one shape in this process (what the parent
 * spawns); `--at-cap` (default) sizes each shape just under its node cap,
 * `--size-mb M` at M MB instead.
 */
import { spawnSync } from 'node:child_process';
import { MAX_JSON_NODES, MAX_YAML_NODES } from '../server/src/common/node-count';
import { Workspace } from '../server/src/index/workspace';
import { initParsers } from '../server/src/node/host';

interface Shape {
  readonly file: string;
  /** The text with `n` repetitions of the shape's unit. */
  readonly make: (n: number) => string;
  /** Repetitions that stay just under the node cap. */
  readonly atCap: number;
  /** Bytes per repetition, to size a shape in MB. */
  readonly unitBytes: number;
}

const SHAPES: Record<string, Shape> = {
  'yaml flow list': { file: 'x.yaml', make: (n) => `x: [${'a,'.repeat(n)}a]\n`, atCap: MAX_YAML_NODES - 10, unitBytes: 2 },
  // One entry a line: on one line, the block-nesting estimate would count each `: ` as a level.
  'yaml flow map': { file: 'x.yaml', make: (n) => `x: {\n${'  a: b,\n'.repeat(n)}  a: b}\n`, atCap: MAX_YAML_NODES / 2 - 10, unitBytes: 8 },
  'yaml block list': { file: 'x.yaml', make: (n) => `x:\n${'- a\n'.repeat(n)}`, atCap: MAX_YAML_NODES - 10, unitBytes: 4 },
  'yaml block map': { file: 'x.yaml', make: (n) => Array.from({ length: n }, (_, i) => `k${i}: v${i}\n`).join(''), atCap: MAX_YAML_NODES - 10, unitBytes: 12 },
  'yaml documents': { file: 'x.yaml', make: (n) => 'kind: ServiceAccount\n---\n'.repeat(n), atCap: MAX_YAML_NODES / 3 - 10, unitBytes: 25 },
  'json array': { file: 'x.json', make: (n) => `[${'1,'.repeat(n)}1]`, atCap: MAX_JSON_NODES - 10, unitBytes: 2 },
  'json object': { file: 'x.json', make: (n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`, atCap: MAX_JSON_NODES / 2 - 10, unitBytes: 10 },
  'terraform tuple': { file: 'm/main.tf', make: (n) => `locals {\n  x = [${'1,'.repeat(n)}1]\n}\n`, atCap: 1_000_000, unitBytes: 2 },
};

async function runOne(name: string, repetitions: number): Promise<void> {
  const shape = SHAPES[name]!;
  await initParsers();
  const text = shape.make(repetitions);
  const base = process.memoryUsage().rss;
  const started = performance.now();
  const workspace = new Workspace();
  workspace.setFile(`file:///ws/${shape.file}`, text);
  workspace.model();
  const ms = performance.now() - started;
  const peakMB = (process.resourceUsage().maxRSS * 1024 - base) / 1048576;
  const limited = workspace.limitedFiles()[0]?.reason;
  console.log(JSON.stringify({ name, sizeKB: Math.round(text.length / 1024), ms: Math.round(ms), peakMB: Math.round(Math.max(0, peakMB)), outcome: limited ?? 'analysed' }));
}

function main(): void {
  const args = process.argv.slice(2);
  const shapeIndex = args.indexOf('--shape');
  if (shapeIndex >= 0) {
    void runOne(args[shapeIndex + 1]!, Number(args[args.indexOf('--size') + 1]));
    return;
  }
  const sizeIndex = args.indexOf('--size-mb');
  const sizeMB = sizeIndex >= 0 ? Number(args[sizeIndex + 1]) : undefined;
  console.log(`| shape | size | time | peak memory | outcome |\n|---|---|---|---|---|`);
  for (const [name, shape] of Object.entries(SHAPES)) {
    const repetitions = sizeMB !== undefined ? Math.floor((sizeMB * 1048576) / shape.unitBytes) : shape.atCap;
    const child = spawnSync(process.execPath, [__filename, '--shape', name, '--size', String(repetitions)], { encoding: 'utf8' });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    try {
      const r = JSON.parse(line) as { sizeKB: number; ms: number; peakMB: number; outcome: string };
      console.log(`| ${name} | ${r.sizeKB} KB | ${r.ms} ms | ${r.peakMB} MB | ${r.outcome} |`);
    } catch {
      console.log(`| ${name} | ? | ? | ? | failed: ${child.stderr.trim().split('\n').pop() ?? ''} |`);
    }
  }
}

main();
