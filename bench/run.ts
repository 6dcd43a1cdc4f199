/**
 * `npm run bench`: the engine on realistic workspaces (issue #15), measured
 * the way users meet it, as ratios to a read floor measured in the same run.
 *
 * Workspaces are generated from a seed (`bench/realistic/generate.ts`):
 * platform monorepos of 1k and 10k files (about 5–10 % IRSA files, the rest
 * ordinary Terraform, manifests, Helm, package locks, 0.2–2 MB CloudFormation
 * templates and 1–2 MB CRD bundles), and a dense 10k one (about 60 % IRSA
 * files). They are kept in the temporary directory between runs.
 *
 * For each workspace, alternating so that machine load hits both alike:
 * - the read floor: `out/bench/realistic/floor.js`, a Node process that
 *   walks and reads the files the engine reads, and nothing else;
 * - the CLI, cold, as a process (`dist/cli.js <root> --format json`);
 * - the language server over stdio (`dist/server.js --stdio`), from start
 *   to the end of its scan and first analysis;
 * then, on the last server: edits of a ServiceAccount's namespace until the
 * linked Terraform trust file's diagnostics follow (`--edits`, default
 * 200), keystrokes in an unrelated 1 MB CloudFormation template until the
 * server answers again, and (1k workspace) the server's memory over
 * `--memory-edits` edits (default 10,000).
 *
 * Each pair (floor, measured) gives one ratio; reported are the median of
 * the ratios and their spread (min–max), wall and CPU time, peak RSS.
 *
 *   npm run bench [-- --json] [--sizes 1k,10k,dense10k,50k] [--rounds 3]
 *                 [--edits 200] [--memory-edits 10000] [--dist DIR] [--peer]
 *
 * `--dist DIR` measures another build (e.g. a copy of `dist/` from before a
 * change) against the same workspaces. `--peer` times yaml-language-server
 * (when installed) to first diagnostics on the CRD bundles. Exits 0; there
 * are no pass/fail targets here, the figures go to docs/benchmarks.md.
 * `node out/bench/engine.js` is the earlier in-process benchmark.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToUri } from '../server/src/common/uri';
import { GENERATOR_VERSION, generateWorkspace, type Manifest } from './realistic/generate';
import { ServerSession } from './realistic/server-session';

const REPO = path.join(__dirname, '..', '..');
const FLOOR_JS = path.join(__dirname, 'realistic', 'floor.js');
const HOOK_JS = path.join(__dirname, 'realistic', 'rss-hook.js');

interface ProcessRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMB: number;
}

interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

interface Percentiles {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

const SHAPES: Readonly<Record<string, { files: number; dense: boolean }>> = {
  '1k': { files: 1000, dense: false },
  '10k': { files: 10000, dense: false },
  dense10k: { files: 10000, dense: true },
  '50k': { files: 50000, dense: false },
};

function option(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted.length === 0 ? NaN : median(sorted), min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN };
}

/** Runs `node -r rss-hook <args>` and returns its wall time, CPU time and peak RSS. */
function runProcess(args: readonly string[]): Promise<ProcessRun> {
  const usageFile = path.join(os.tmpdir(), `irsa-bench-usage-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-r', HOOK_JS, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, IRSA_BENCH_USAGE: usageFile } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      try {
        const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { maxRssKB: number; userMs: number; systemMs: number };
        fs.rmSync(usageFile, { force: true });
        if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
        resolve({ wallMs, cpuMs: usage.userMs + usage.systemMs, maxRssMB: usage.maxRssKB / 1024 });
      } catch (e) {
        reject(new Error(`${args.join(' ')} exited ${code} without usage: ${stderr} ${(e as Error).message}`));
      }
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function workspaceFor(name: string, seed: number): { root: string; manifest: Manifest; generatedMs?: number } {
  const shape = SHAPES[name];
  if (!shape) throw new Error(`unknown size ${name} (one of ${Object.keys(SHAPES).join(', ')})`);
  const root = path.join(os.tmpdir(), 'irsa-lint-bench', `${name}-seed${seed}-v${GENERATOR_VERSION}`);
  const manifestFile = path.join(root, '.bench-manifest.json');
  if (fs.existsSync(manifestFile)) return { root, manifest: JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest };
  fs.rmSync(root, { recursive: true, force: true });
  const started = performance.now();
  const manifest = generateWorkspace(root, { files: shape.files, seed, dense: shape.dense });
  return { root, manifest, generatedMs: performance.now() - started };
}

interface WorkspaceResult {
  readonly name: string;
  readonly files: number;
  readonly megabytes: number;
  readonly irsaFiles: number;
  readonly floor: { readonly wallMs: Spread; readonly cpuMs: Spread; readonly maxRssMB: Spread };
  readonly cli: { readonly wallMs: Spread; readonly cpuMs: Spread; readonly maxRssMB: Spread; readonly wallRatio: Spread; readonly cpuRatio: Spread };
  readonly server?: ServerResult;
}

interface ServerResult {
  readonly scanMs: Spread;
  readonly scanRatio: Spread;
  /** CPU time of the server to the end of its scan and first analysis, and its ratio to the floor's CPU time. */
  readonly scanCpuMs: Spread;
  readonly scanCpuRatio: Spread;
  readonly rssAfterScanMB: number;
  readonly peakRssMB: number;
  readonly namespaceEdit?: Percentiles;
  readonly keystroke?: Percentiles;
  readonly pingMs?: Percentiles;
  readonly memory?: { readonly edits: number; readonly curveMB: readonly { readonly edits: number; readonly rssMB: number }[]; readonly growth: number };
}

const TRUST_RULE = 'trust-sub-no-service-account';

async function measureServer(serverJs: string, root: string, manifest: Manifest, rounds: number, edits: number, memoryEdits: number, floor: () => Promise<ProcessRun>, log: (s: string) => void): Promise<ServerResult> {
  const rootUri = pathToUri(root);
  const scans: number[] = [];
  const ratios: number[] = [];
  const cpus: number[] = [];
  const cpuRatios: number[] = [];
  let session: ServerSession | undefined;
  for (let r = 0; r < rounds; r++) {
    const f = await floor();
    await session?.stop();
    session = await ServerSession.start(serverJs, rootUri, path.basename(root));
    const s = session;
    await s.waitFor(() => s.scanEnded !== undefined, 30 * 60_000, 'the end of the scan');
    await sleep(15);
    await s.ping();
    const scan = performance.now() - s.started;
    const cpu = s.cpuMs();
    scans.push(scan);
    ratios.push(scan / f.wallMs);
    cpus.push(cpu);
    cpuRatios.push(cpu / f.cpuMs);
    log(`  server round ${r + 1}: scan + first analysis ${scan.toFixed(0)} ms wall / ${cpu.toFixed(0)} ms CPU (floor ${f.wallMs.toFixed(0)} ms wall / ${f.cpuMs.toFixed(0)} ms CPU)`);
  }
  const s = session!;
  const afterScan = s.memory();
  const result: { -readonly [K in keyof ServerResult]: ServerResult[K] } = {
    scanMs: spread(scans),
    scanRatio: spread(ratios),
    scanCpuMs: spread(cpus),
    scanCpuRatio: spread(cpuRatios),
    rssAfterScanMB: (afterScan?.rssKB ?? NaN) / 1024,
    peakRssMB: (afterScan?.peakKB ?? NaN) / 1024,
  };
  try {
    // Edits of a ServiceAccount's namespace → the linked trust file's diagnostics follow.
    const saUri = pathToUri(path.join(root, manifest.serviceAccount.file));
    const trustUri = pathToUri(path.join(root, manifest.trustFile));
    const original = fs.readFileSync(path.join(root, manifest.serviceAccount.file), 'utf8');
    const moved = original.replace(`namespace: ${manifest.serviceAccount.namespace}`, 'namespace: elsewhere');
    await s.open(saUri, 'yaml', original);
    const hasNote = (): boolean => (s.latest.get(trustUri) ?? []).some((d) => d.code === TRUST_RULE);
    const edit = async (i: number): Promise<number> => {
      const t = performance.now();
      const away = i % 2 === 0;
      await s.change(saUri, away ? moved : original);
      await s.waitFor(() => hasNote() === away, 120_000, `edit ${i}: ${TRUST_RULE} ${away ? 'on' : 'off'} ${manifest.trustFile}`);
      return performance.now() - t;
    };
    const editTimes: number[] = [];
    for (let i = 0; i < edits; i++) editTimes.push(await edit(i));
    result.namespaceEdit = percentiles(editTimes);
    log(`  namespace edit → trust diagnostics: p50 ${result.namespaceEdit.p50.toFixed(1)} ms, p95 ${result.namespaceEdit.p95.toFixed(1)} ms`);

    // Keystrokes in an unrelated 1 MB JSON file → the server answers again.
    const jsonUri = pathToUri(path.join(root, manifest.unrelatedJson));
    await s.open(jsonUri, 'json', fs.readFileSync(path.join(root, manifest.unrelatedJson), 'utf8'));
    await sleep(50);
    await s.ping();
    const pings: number[] = [];
    const keys: number[] = [];
    for (let i = 0; i < edits; i++) {
      // The probe alone (no edit), then an edit: both wait past the analysis timer (10 ms) before asking.
      let t = performance.now();
      await sleep(11);
      await s.ping();
      pings.push(performance.now() - t);
      t = performance.now();
      await s.type(jsonUri, 1, 18, 'x');
      await sleep(11);
      await s.ping();
      keys.push(performance.now() - t);
    }
    result.keystroke = percentiles(keys);
    result.pingMs = percentiles(pings);
    log(`  keystroke in ${manifest.unrelatedJson} → idle: p50 ${result.keystroke.p50.toFixed(1)} ms, p95 ${result.keystroke.p95.toFixed(1)} ms (probe alone p50 ${result.pingMs.p50.toFixed(1)} ms)`);

    if (memoryEdits > 0) {
      const curve: { edits: number; rssMB: number }[] = [];
      const step = Math.max(1, Math.floor(memoryEdits / 10));
      const base = edits % 2 === 0 ? edits : edits + 1;
      if (edits % 2 === 1) await edit(edits);
      for (let i = 0; i < memoryEdits; i++) {
        await edit(base + i);
        if ((i + 1) % step === 0) curve.push({ edits: i + 1, rssMB: (s.memory()?.rssKB ?? NaN) / 1024 });
      }
      const first = curve[0]?.rssMB ?? NaN;
      const last = curve[curve.length - 1]?.rssMB ?? NaN;
      result.memory = { edits: memoryEdits, curveMB: curve, growth: last / first - 1 };
      log(`  memory over ${memoryEdits} edits: ${curve.map((c) => c.rssMB.toFixed(0)).join(' → ')} MB`);
    }
    result.peakRssMB = (s.memory()?.peakKB ?? NaN) / 1024;
  } finally {
    await s.stop();
  }
  return result;
}

async function measurePeer(manifest: Manifest, root: string, log: (s: string) => void): Promise<{ readonly yamlLanguageServerMs: number; readonly ourMs: number; readonly files: number } | undefined> {
  let serverJs: string;
  try {
    serverJs = require.resolve('yaml-language-server/bin/yaml-language-server', { paths: [REPO] });
  } catch {
    log('  yaml-language-server is not installed: no peer comparison (npm install --no-save yaml-language-server)');
    return undefined;
  }
  const time = async (js: string, args: readonly string[], languageId: string): Promise<number> => {
    const s = await ServerSession.start(js, pathToUri(root), 'peer', args);
    try {
      const started = performance.now();
      for (const file of manifest.largeYaml) await s.open(pathToUri(path.join(root, file)), languageId, fs.readFileSync(path.join(root, file), 'utf8'));
      await s.waitFor(() => manifest.largeYaml.every((f) => s.latest.has(pathToUri(path.join(root, f)))), 10 * 60_000, 'diagnostics on every large YAML file');
      return performance.now() - started;
    } finally {
      await s.stop();
    }
  };
  const yamlLanguageServerMs = await time(serverJs, ['--stdio'], 'yaml');
  const ourMs = await time(path.join(REPO, 'dist', 'server.js'), ['--stdio'], 'yaml');
  return { yamlLanguageServerMs, ourMs, files: manifest.largeYaml.length };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const log = (s: string): void => {
    if (!json) console.log(s);
    else process.stderr.write(s + '\n');
  };
  const sizes = option(args, '--sizes', '1k,10k,dense10k').split(',').filter(Boolean);
  const rounds = Number(option(args, '--rounds', '3'));
  const serverRounds = Number(option(args, '--server-rounds', '2'));
  const edits = Number(option(args, '--edits', '200'));
  const memoryEdits = Number(option(args, '--memory-edits', '10000'));
  const seed = Number(option(args, '--seed', '15'));
  const dist = path.resolve(option(args, '--dist', path.join(REPO, 'dist')));
  const cliJs = path.join(dist, 'cli.js');
  const serverJs = path.join(dist, 'server.js');
  const load = os.loadavg();
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGB: os.totalmem() / 2 ** 30, loadAverage1m: load[0], node: process.version, dist };
  log(`irsa-lint realistic benchmark: ${machine.cpus} CPUs, load ${load.map((l) => l.toFixed(1)).join(' ')}, node ${process.version}, ${dist}`);
  const results: WorkspaceResult[] = [];
  let peer: Awaited<ReturnType<typeof measurePeer>>;
  for (const name of sizes) {
    const { root, manifest, generatedMs } = workspaceFor(name, seed);
    log(`\n${name}: ${manifest.files} files, ${(manifest.bytes / 1e6).toFixed(1)} MB, ${manifest.irsaFiles} IRSA files (${((100 * manifest.irsaFiles) / manifest.files).toFixed(1)} %), ${root}${generatedMs ? ` (generated in ${(generatedMs / 1000).toFixed(1)} s)` : ''}`);
    const floor = (): Promise<ProcessRun> => runProcess([FLOOR_JS, root]);
    await floor(); // page cache warm for both
    const floors: ProcessRun[] = [];
    const clis: ProcessRun[] = [];
    for (let r = 0; r < rounds; r++) {
      const f = await floor();
      const c = await runProcess([cliJs, root, '--format', 'json', '--exit-zero', '--no-live']);
      floors.push(f);
      clis.push(c);
      log(`  round ${r + 1}: floor ${f.wallMs.toFixed(0)} ms wall / ${f.cpuMs.toFixed(0)} ms CPU; CLI ${c.wallMs.toFixed(0)} ms wall / ${c.cpuMs.toFixed(0)} ms CPU, peak RSS ${c.maxRssMB.toFixed(0)} MB`);
    }
    const result: { -readonly [K in keyof WorkspaceResult]: WorkspaceResult[K] } = {
      name,
      files: manifest.files,
      megabytes: manifest.bytes / 1e6,
      irsaFiles: manifest.irsaFiles,
      floor: { wallMs: spread(floors.map((f) => f.wallMs)), cpuMs: spread(floors.map((f) => f.cpuMs)), maxRssMB: spread(floors.map((f) => f.maxRssMB)) },
      cli: {
        wallMs: spread(clis.map((c) => c.wallMs)),
        cpuMs: spread(clis.map((c) => c.cpuMs)),
        maxRssMB: spread(clis.map((c) => c.maxRssMB)),
        wallRatio: spread(clis.map((c, i) => c.wallMs / floors[i]!.wallMs)),
        cpuRatio: spread(clis.map((c, i) => c.cpuMs / floors[i]!.cpuMs)),
      },
    };
    if (serverRounds > 0) {
      const editsHere = name === '50k' ? Math.min(edits, 50) : edits;
      result.server = await measureServer(serverJs, root, manifest, serverRounds, editsHere, name === '1k' ? memoryEdits : 0, floor, log);
    }
    if (args.includes('--peer') && name === '10k') peer = await measurePeer(manifest, root, log);
    results.push(result);
  }
  if (json) {
    console.log(JSON.stringify({ machine, seed, results, ...(peer ? { peer } : {}) }, null, 2));
    return;
  }
  const r = (s: Spread, digits = 1): string => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  console.log('\n| workspace | CLI ÷ floor, wall | CLI ÷ floor, CPU | CLI peak RSS MB | server scan ÷ floor, wall / CPU | server RSS after scan MB | namespace edit p50/p95/p99 ms | keystroke idle p50/p95/p99 ms | memory growth |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const x of results) {
    const s = x.server;
    const pct = (p: Percentiles | undefined): string => (p ? `${p.p50.toFixed(1)} / ${p.p95.toFixed(1)} / ${p.p99.toFixed(1)}` : '–');
    console.log(
      `| ${x.name} (${x.files} files, ${x.megabytes.toFixed(0)} MB) | ${r(x.cli.wallRatio)} | ${r(x.cli.cpuRatio)} | ${r(x.cli.maxRssMB, 0)} | ${s ? `${r(s.scanRatio)} / ${r(s.scanCpuRatio)}` : '–'} | ${s ? s.rssAfterScanMB.toFixed(0) : '–'} | ${pct(s?.namespaceEdit)} | ${pct(s?.keystroke)} | ${s?.memory ? `${(100 * s.memory.growth).toFixed(1)} % over ${s.memory.edits}` : '–'} |`,
    );
  }
  if (peer) console.log(`\nyaml-language-server to first diagnostics on ${peer.files} CRD bundles: ${peer.yamlLanguageServerMs.toFixed(0)} ms; irsa-lint: ${peer.ourMs.toFixed(0)} ms`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
