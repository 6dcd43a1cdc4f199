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
 *                 [--edits 200] [--memory-edits 10000] [--dist DIR[,DIR…]] [--peer] [--peer-rounds 2]
 *
 * `--dist DIR` measures another build (e.g. a copy of `dist/` from before a
 * change) against the same workspaces. `--dist A,B` measures both builds in
 * the same run, alternating per round (floor, A, B, then floor, B, A, …;
 * the servers likewise, and their edits and keystrokes interleaved edit by
 * edit), and reports each build's figures side by side with B's CPU time ÷
 * A's per round: the honest before/after on a loaded machine. `--peer`
 * times yaml-language-server (installed on demand at a pinned version,
 * outside the lockfile: `bench/realistic/peer.ts`) beside the first build's
 * server on the 10k workspace's CRD bundles. Exits 0; there
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
import { measurePeer, type PeerResult, type PeerRound } from './realistic/peer';
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

/** One build's figures on one workspace. */
interface BuildResult {
  readonly dist: string;
  readonly cli: { readonly wallMs: Spread; readonly cpuMs: Spread; readonly maxRssMB: Spread; readonly wallRatio: Spread; readonly cpuRatio: Spread };
  readonly server?: ServerResult;
}

interface WorkspaceResult {
  readonly name: string;
  readonly files: number;
  readonly megabytes: number;
  readonly irsaFiles: number;
  readonly floor: { readonly wallMs: Spread; readonly cpuMs: Spread; readonly maxRssMB: Spread };
  /** One entry per `--dist` build, in the order given. */
  readonly builds: readonly BuildResult[];
  /** With two or more builds: each build's CPU time ÷ the first build's, per round (same round, same load). */
  readonly versusFirst?: readonly { readonly dist: string; readonly cliCpu: Spread; readonly serverScanCpu?: Spread }[];
}

interface ServerResult {
  readonly scanMs: Spread;
  readonly scanRatio: Spread;
  /** CPU time of the server to the end of its scan and first analysis, and its ratio to the floor's CPU time. */
  readonly scanCpuMs: Spread;
  readonly scanCpuRatio: Spread;
  /** The CPU times of each round, in order (for the per-round comparison of builds). */
  readonly scanCpuRounds: readonly number[];
  readonly rssAfterScanMB: number;
  readonly peakRssMB: number;
  readonly namespaceEdit?: Percentiles;
  readonly keystroke?: Percentiles;
  readonly pingMs?: Percentiles;
  readonly memory?: { readonly edits: number; readonly curveMB: readonly { readonly edits: number; readonly rssMB: number }[]; readonly growth: number };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const TRUST_RULE = 'trust-sub-no-service-account';

/** Round `r`'s order of the builds: reversed every other round, so that neither build always runs right after the floor. */
function roundOrder(builds: number, r: number): number[] {
  const order = Array.from({ length: builds }, (_, i) => i);
  return r % 2 === 0 ? order : order.reverse();
}

/**
 * The servers of every build, started and timed per round (floor, then each
 * build, in `roundOrder`); then, on each build's last server, the edits,
 * keystrokes and memory curve, interleaved between builds edit by edit.
 */
async function measureServers(serverJss: readonly string[], root: string, manifest: Manifest, rounds: number, edits: number, memoryEdits: number, floor: () => Promise<ProcessRun>, log: (s: string) => void): Promise<ServerResult[]> {
  const rootUri = pathToUri(root);
  const n = serverJss.length;
  const label = (b: number): string => (n > 1 ? ` [${String.fromCharCode(97 + b)}]` : '');
  const scans = serverJss.map(() => [] as number[]);
  const ratios = serverJss.map(() => [] as number[]);
  const cpus = serverJss.map(() => [] as number[]);
  const cpuRatios = serverJss.map(() => [] as number[]);
  const sessions: (ServerSession | undefined)[] = serverJss.map(() => undefined);
  for (let r = 0; r < rounds; r++) {
    const f = await floor();
    for (const b of roundOrder(n, r)) {
      await sessions[b]?.stop();
      const s = await ServerSession.start(serverJss[b]!, rootUri, path.basename(root));
      sessions[b] = s;
      await s.waitFor(() => s.scanEnded !== undefined, 30 * 60_000, 'the end of the scan');
      await sleep(15);
      await s.ping();
      const scan = performance.now() - s.started;
      const cpu = s.cpuMs();
      scans[b]!.push(scan);
      ratios[b]!.push(scan / f.wallMs);
      cpus[b]!.push(cpu);
      cpuRatios[b]!.push(cpu / f.cpuMs);
      log(`  server round ${r + 1}${label(b)}: scan + first analysis ${scan.toFixed(0)} ms wall / ${cpu.toFixed(0)} ms CPU (floor ${f.wallMs.toFixed(0)} ms wall / ${f.cpuMs.toFixed(0)} ms CPU)`);
    }
  }
  const ss = sessions.map((s) => s!);
  const results: Mutable<ServerResult>[] = ss.map((s, b) => {
    const afterScan = s.memory();
    return {
      scanMs: spread(scans[b]!),
      scanRatio: spread(ratios[b]!),
      scanCpuMs: spread(cpus[b]!),
      scanCpuRatio: spread(cpuRatios[b]!),
      scanCpuRounds: cpus[b]!,
      rssAfterScanMB: (afterScan?.rssKB ?? NaN) / 1024,
      peakRssMB: (afterScan?.peakKB ?? NaN) / 1024,
    };
  });
  try {
    // Edits of a ServiceAccount's namespace → the linked trust file's diagnostics follow.
    const saUri = pathToUri(path.join(root, manifest.serviceAccount.file));
    const trustUri = pathToUri(path.join(root, manifest.trustFile));
    const original = fs.readFileSync(path.join(root, manifest.serviceAccount.file), 'utf8');
    const moved = original.replace(`namespace: ${manifest.serviceAccount.namespace}`, 'namespace: elsewhere');
    for (const s of ss) await s.open(saUri, 'yaml', original);
    const edit = async (s: ServerSession, i: number): Promise<number> => {
      const hasNote = (): boolean => (s.latest.get(trustUri) ?? []).some((d) => d.code === TRUST_RULE);
      const t = performance.now();
      const away = i % 2 === 0;
      await s.change(saUri, away ? moved : original);
      await s.waitFor(() => hasNote() === away, i === 0 ? 60_000 : 120_000, `edit ${i}: ${TRUST_RULE} ${away ? 'on' : 'off'} ${manifest.trustFile}`);
      return performance.now() - t;
    };
    const editTimes = ss.map(() => [] as number[]);
    // On 50k files the trust file's directory (600 role files, one module) goes over the per-file analysis budget and yields no
    // facts, so the edit never shows: said once, and the edit figures left out, instead of failing the whole run.
    let editable = true;
    for (let i = 0; i < edits && editable; i++) {
      for (const b of roundOrder(n, i)) {
        try {
          editTimes[b]!.push(await edit(ss[b]!, i));
        } catch (e) {
          if (i > 0) throw e;
          editable = false;
          log(`  namespace edit: not measured, the first edit did not show (${(e as Error).message}); is ${manifest.trustFile}'s directory over a limit?`);
          break;
        }
      }
    }
    if (editable) {
      ss.forEach((_, b) => {
        const p = percentiles(editTimes[b]!);
        results[b]!.namespaceEdit = p;
        log(`  namespace edit → trust diagnostics${label(b)}: p50 ${p.p50.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms`);
      });
    }

    // Keystrokes in an unrelated 1 MB JSON file → the server answers again.
    const jsonUri = pathToUri(path.join(root, manifest.unrelatedJson));
    const jsonText = fs.readFileSync(path.join(root, manifest.unrelatedJson), 'utf8');
    for (const s of ss) {
      await s.open(jsonUri, 'json', jsonText);
      await sleep(50);
      await s.ping();
    }
    const pings = ss.map(() => [] as number[]);
    const keys = ss.map(() => [] as number[]);
    for (let i = 0; i < edits; i++) {
      for (const b of roundOrder(n, i)) {
        const s = ss[b]!;
        // The probe alone (no edit), then a keystroke and the probe. The probe is a fix-all request, which the server
        // answers only after any analysis the keystroke scheduled: it measures all the keystroke's work, and no timer.
        // (It used to sleep past the 10 ms analysis timer and ping, and the keystroke's work hid in the sleep.)
        let t = performance.now();
        await s.settle(jsonUri);
        pings[b]!.push(performance.now() - t);
        t = performance.now();
        await s.type(jsonUri, 1, 18, 'x');
        await s.settle(jsonUri);
        keys[b]!.push(performance.now() - t);
      }
    }
    ss.forEach((_, b) => {
      const k = (results[b]!.keystroke = percentiles(keys[b]!));
      const p = (results[b]!.pingMs = percentiles(pings[b]!));
      log(`  keystroke in ${manifest.unrelatedJson} → idle${label(b)}: p50 ${k.p50.toFixed(1)} ms, p95 ${k.p95.toFixed(1)} ms (probe alone p50 ${p.p50.toFixed(1)} ms)`);
    });

    if (memoryEdits > 0) {
      const curves = ss.map(() => [] as { edits: number; rssMB: number }[]);
      const step = Math.max(1, Math.floor(memoryEdits / 10));
      const base = edits % 2 === 0 ? edits : edits + 1;
      if (!editable) throw new Error('the memory curve needs the namespace edit');
      if (edits % 2 === 1) for (const s of ss) await edit(s, edits);
      for (let i = 0; i < memoryEdits; i++) {
        for (const b of roundOrder(n, i)) {
          await edit(ss[b]!, base + i);
          if ((i + 1) % step === 0) curves[b]!.push({ edits: i + 1, rssMB: (ss[b]!.memory()?.rssKB ?? NaN) / 1024 });
        }
      }
      ss.forEach((_, b) => {
        const curve = curves[b]!;
        const first = curve[0]?.rssMB ?? NaN;
        const last = curve[curve.length - 1]?.rssMB ?? NaN;
        results[b]!.memory = { edits: memoryEdits, curveMB: curve, growth: last / first - 1 };
        log(`  memory over ${memoryEdits} edits${label(b)}: ${curve.map((c) => c.rssMB.toFixed(0)).join(' → ')} MB`);
      });
    }
    ss.forEach((s, b) => (results[b]!.peakRssMB = (s.memory()?.peakKB ?? NaN) / 1024));
  } finally {
    for (const s of ss) await s.stop();
  }
  return results;
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
  const dists = option(args, '--dist', path.join(REPO, 'dist'))
    .split(',')
    .filter(Boolean)
    .map((d) => path.resolve(d));
  for (const d of dists) if (!fs.existsSync(path.join(d, 'cli.js'))) throw new Error(`${d} holds no cli.js (build it, or copy a built dist/ there)`);
  const label = (b: number): string => (dists.length > 1 ? ` [${String.fromCharCode(97 + b)}]` : '');
  const load = os.loadavg();
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGB: os.totalmem() / 2 ** 30, loadAverage1m: load[0], node: process.version, dists };
  log(`irsa-lint realistic benchmark: ${machine.cpus} CPUs, load ${load.map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
  dists.forEach((d, b) => log(`  build${label(b)}: ${d}`));
  const results: WorkspaceResult[] = [];
  let peer: PeerResult | undefined;
  for (const name of sizes) {
    const { root, manifest, generatedMs } = workspaceFor(name, seed);
    log(`\n${name}: ${manifest.files} files, ${(manifest.bytes / 1e6).toFixed(1)} MB, ${manifest.irsaFiles} IRSA files (${((100 * manifest.irsaFiles) / manifest.files).toFixed(1)} %), ${root}${generatedMs ? ` (generated in ${(generatedMs / 1000).toFixed(1)} s)` : ''}`);
    const floor = (): Promise<ProcessRun> => runProcess([FLOOR_JS, root]);
    await floor(); // page cache warm for both
    const floors: ProcessRun[] = [];
    const clis: ProcessRun[][] = dists.map(() => []);
    for (let r = 0; r < rounds; r++) {
      const f = await floor();
      floors.push(f);
      log(`  round ${r + 1}: floor ${f.wallMs.toFixed(0)} ms wall / ${f.cpuMs.toFixed(0)} ms CPU`);
      for (const b of roundOrder(dists.length, r)) {
        const c = await runProcess([path.join(dists[b]!, 'cli.js'), root, '--format', 'json', '--exit-zero', '--no-live']);
        clis[b]!.push(c);
        log(`    CLI${label(b)} ${c.wallMs.toFixed(0)} ms wall / ${c.cpuMs.toFixed(0)} ms CPU, peak RSS ${c.maxRssMB.toFixed(0)} MB`);
      }
    }
    const builds: Mutable<BuildResult>[] = dists.map((dist, b) => ({
      dist,
      cli: {
        wallMs: spread(clis[b]!.map((c) => c.wallMs)),
        cpuMs: spread(clis[b]!.map((c) => c.cpuMs)),
        maxRssMB: spread(clis[b]!.map((c) => c.maxRssMB)),
        wallRatio: spread(clis[b]!.map((c, i) => c.wallMs / floors[i]!.wallMs)),
        cpuRatio: spread(clis[b]!.map((c, i) => c.cpuMs / floors[i]!.cpuMs)),
      },
    }));
    if (serverRounds > 0) {
      const editsHere = name === '50k' ? Math.min(edits, 50) : edits;
      const servers = await measureServers(
        dists.map((d) => path.join(d, 'server.js')),
        root,
        manifest,
        serverRounds,
        editsHere,
        name === '1k' ? memoryEdits : 0,
        floor,
        log,
      );
      servers.forEach((s, b) => (builds[b]!.server = s));
    }
    const result: Mutable<WorkspaceResult> = {
      name,
      files: manifest.files,
      megabytes: manifest.bytes / 1e6,
      irsaFiles: manifest.irsaFiles,
      floor: { wallMs: spread(floors.map((f) => f.wallMs)), cpuMs: spread(floors.map((f) => f.cpuMs)), maxRssMB: spread(floors.map((f) => f.maxRssMB)) },
      builds,
    };
    if (dists.length > 1) {
      result.versusFirst = dists.slice(1).map((dist, k) => {
        const b = k + 1;
        const first = builds[0]!.server?.scanCpuRounds;
        const here = builds[b]!.server?.scanCpuRounds;
        return {
          dist,
          cliCpu: spread(clis[b]!.map((c, i) => c.cpuMs / clis[0]![i]!.cpuMs)),
          ...(first && here ? { serverScanCpu: spread(here.map((c, i) => c / first[i]!)) } : {}),
        };
      });
    }
    if (args.includes('--peer') && name === '10k') peer = await measurePeer(path.join(dists[0]!, 'server.js'), root, manifest, Number(option(args, '--peer-rounds', '2')), path.join(os.tmpdir(), 'irsa-lint-bench', 'peer'), log);
    results.push(result);
  }
  if (json) {
    console.log(JSON.stringify({ machine, seed, results, ...(peer ? { peer } : {}) }, null, 2));
    return;
  }
  const r = (s: Spread, digits = 1): string => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  console.log('\n| workspace | build | CLI ÷ floor, wall | CLI ÷ floor, CPU | CLI peak RSS MB | server scan ÷ floor, wall / CPU | server RSS after scan MB | namespace edit p50/p95/p99 ms | keystroke idle p50/p95/p99 ms | memory growth |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const x of results) {
    x.builds.forEach((build, b) => {
      const s = build.server;
      const pct = (p: Percentiles | undefined): string => (p ? `${p.p50.toFixed(1)} / ${p.p95.toFixed(1)} / ${p.p99.toFixed(1)}` : '–');
      console.log(
        `| ${x.name} (${x.files} files, ${x.megabytes.toFixed(0)} MB) | ${dists.length > 1 ? String.fromCharCode(97 + b) : path.basename(path.dirname(build.dist)) + '/' + path.basename(build.dist)} | ${r(build.cli.wallRatio)} | ${r(build.cli.cpuRatio)} | ${r(build.cli.maxRssMB, 0)} | ${s ? `${r(s.scanRatio)} / ${r(s.scanCpuRatio)}` : '–'} | ${s ? s.rssAfterScanMB.toFixed(0) : '–'} | ${pct(s?.namespaceEdit)} | ${pct(s?.keystroke)} | ${s?.memory ? `${(100 * s.memory.growth).toFixed(1)} % over ${s.memory.edits}` : '–'} |`,
      );
    });
  }
  for (const x of results) {
    for (const v of x.versusFirst ?? []) console.log(`\n${x.name}: CPU of ${v.dist} ÷ ${dists[0]}, per round: CLI ${r(v.cliCpu, 2)}${v.serverScanCpu ? `, server scan ${r(v.serverScanCpu, 2)}` : ''}`);
  }
  if (peer) {
    console.log(`\n${peer.peer} beside irsa-lint, ${peer.files} YAML files (${peer.megabytes.toFixed(1)} MB), open → first diagnostics, ms (median of ${peer.rounds.length / 2} rounds):`);
    console.log('| variant | irsa-lint wall / CPU | peer wall / CPU |');
    console.log('|---|---|---|');
    for (const variant of ['asOnDisk', 'withServiceAccount'] as const) {
      const rows = peer.rounds.filter((p) => p.variant === variant);
      const m = (f: (p: PeerRound) => number): string => spread(rows.map(f)).median.toFixed(0);
      console.log(`| ${variant} | ${m((p) => p.ours.wallMs)} / ${m((p) => p.ours.cpuMs)} | ${m((p) => p.peer.wallMs)} / ${m((p) => p.peer.cpuMs)} |`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
