/**
 * The peer comparison of `npm run bench -- --peer` (issue #15): IRSA Lint's
 * language server beside `yaml-language-server`, both over stdio as an
 * editor runs them, timed from opening the workspace's large YAML files
 * (the CRD bundles of 1–2 MB) to their first diagnostics.
 *
 * The peer is installed on demand, outside the lockfile, at a pinned version
 * (`npm install --no-save --prefix <cache>`): CI never runs the benchmark,
 * and the project does not depend on it.
 *
 * What "first diagnostics" means for each side, and how the comparison is
 * kept fair, is in docs/benchmarks.md ("Beside a peer"). In short: both
 * servers get the same folder (the directory of the bundles, so IRSA Lint's
 * own scan is of those files only) and are idle before the files are
 * opened; the peer validates every document against a small local schema
 * (no network: schema store and CRD store off); two variants:
 * - `asOnDisk`: the bundles as they are. The peer parses and validates them
 *   and publishes an empty list per file; IRSA Lint's pre-filter sets them
 *   aside and publishes nothing (it never publishes an empty list for a
 *   file that showed nothing), so its time is until it answers a request
 *   again after the opens (past its 10 ms analysis timer).
 * - `withServiceAccount`: each bundle with one ServiceAccount appended whose
 *   role ARN is malformed. The peer reports it through the schema's pattern
 *   (timed until every file shows it); IRSA Lint's pre-filter now passes the
 *   file, its YAML parse stops at the 20,000-node budget
 *   (`common/node-count.ts`) and the file is skipped with that reason in the
 *   log, so it too is timed until idle, and reports no ARN.
 * Each side's CPU time (from /proc) is taken from the first open to the end.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToUri } from '../../server/src/common/uri';
import type { Manifest } from './generate';
import { ServerSession, type Settings } from './server-session';

/** 2.x needs Node 22.13 or later; this machine and the project's floor (`engines`) are Node 20. */
export const PEER_VERSION = '1.25.0';
export const PEER_PACKAGE = 'yaml-language-server';

/** The appended document: a ServiceAccount whose role ARN lacks a colon (five parts, not six). */
const BAD_ARN = 'arn:aws:iam:111122223333:role/bench-peer';
const APPENDED = `\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: bench-peer\n  namespace: bench\n  annotations:\n    eks.amazonaws.com/role-arn: ${BAD_ARN}\n`;

/**
 * A small schema of a Kubernetes object, written beside the peer and mapped
 * to every YAML file: the peer validates each document against it, and its
 * pattern catches the malformed role ARN as IRSA Lint's rule does.
 */
const SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Kubernetes object (IRSA Lint benchmark)',
  type: 'object',
  required: ['apiVersion', 'kind'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        namespace: { type: 'string' },
        annotations: {
          type: 'object',
          properties: { 'eks.amazonaws.com/role-arn': { type: 'string', pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$' } },
        },
      },
    },
  },
};

/**
 * The peer's server script, installed into `cacheDir` when missing. Returns
 * undefined (and says why) when npm cannot install it.
 */
export function installPeer(cacheDir: string, log: (s: string) => void): { serverJs: string; schemaUri: string } | undefined {
  const prefix = path.join(cacheDir, `${PEER_PACKAGE}-${PEER_VERSION}`);
  const serverJs = path.join(prefix, 'node_modules', PEER_PACKAGE, 'bin', PEER_PACKAGE);
  if (!fs.existsSync(serverJs)) {
    log(`  installing ${PEER_PACKAGE}@${PEER_VERSION} into ${prefix} (outside the lockfile)`);
    fs.mkdirSync(prefix, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = spawnSync(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', prefix, `${PEER_PACKAGE}@${PEER_VERSION}`], { encoding: 'utf8', shell: process.platform === 'win32' });
    if (run.status !== 0 || !fs.existsSync(serverJs)) {
      log(`  could not install ${PEER_PACKAGE}@${PEER_VERSION}: ${(run.stderr || run.error?.message || '').trim().split('\n').slice(-3).join(' ')}`);
      return undefined;
    }
  }
  const schemaFile = path.join(prefix, 'k8s-object.schema.json');
  fs.writeFileSync(schemaFile, JSON.stringify(SCHEMA, null, 2));
  return { serverJs, schemaUri: pathToUri(schemaFile) };
}

/** What the benchmark's editor tells yaml-language-server: validate, no network, the local schema for every YAML file. */
function peerSettings(schemaUri: string): Settings {
  return (section) => {
    if (section === 'yaml') {
      return {
        validate: true,
        hover: false,
        completion: false,
        format: { enable: false },
        schemaStore: { enable: false },
        kubernetesCRDStore: { enable: false },
        schemas: { [schemaUri]: '*.yaml' },
        customTags: [],
        yamlVersion: '1.2',
      };
    }
    return section === 'http' || section === '[yaml]' || section === 'editor' ? {} : null;
  };
}

export interface PeerTiming {
  readonly wallMs: number;
  /** CPU time of the server process between the first open and the last diagnostics (/proc, 10 ms ticks). */
  readonly cpuMs: number;
  /** Files whose diagnostics name the appended malformed role ARN when the time was taken. */
  readonly filesShowingTheArn: number;
  /** Diagnostics shown on the files then, in all. */
  readonly diagnostics: number;
}

export interface PeerRound {
  readonly variant: 'asOnDisk' | 'withServiceAccount';
  readonly ours: PeerTiming;
  readonly peer: PeerTiming;
}

export interface PeerResult {
  readonly peer: string;
  readonly files: number;
  readonly megabytes: number;
  readonly rounds: readonly PeerRound[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Times both servers on the manifest's large YAML files, `rounds` times per
 * variant, alternating which server goes first.
 */
export async function measurePeer(ourServerJs: string, root: string, manifest: Manifest, rounds: number, cacheDir: string, log: (s: string) => void): Promise<PeerResult | undefined> {
  if (manifest.largeYaml.length === 0) return undefined;
  const installed = installPeer(cacheDir, log);
  if (!installed) return undefined;
  const folder = path.dirname(path.join(root, manifest.largeYaml[0]!));
  const files = manifest.largeYaml.map((f) => path.join(root, f)).filter((f) => path.dirname(f) === folder);
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const uris = files.map((f) => pathToUri(f));
  const megabytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  log(`  peer: ${PEER_PACKAGE}@${PEER_VERSION} and irsa-lint on ${files.length} YAML files (${megabytes.toFixed(1)} MB) in ${path.relative(root, folder)}`);

  const time = async (which: 'ours' | 'peer', variant: PeerRound['variant']): Promise<PeerTiming> => {
    const s =
      which === 'ours'
        ? await ServerSession.start(ourServerJs, pathToUri(folder), 'peer')
        : await ServerSession.start(installed.serverJs, pathToUri(folder), 'peer', ['--stdio'], peerSettings(installed.schemaUri));
    try {
      // Both idle before the files open: IRSA Lint's scan of the folder is over, the peer has read its settings.
      if (which === 'ours') await s.waitFor(() => s.scanEnded !== undefined, 10 * 60_000, 'the end of the scan');
      await sleep(500);
      await s.ping();
      const cpu = s.cpuMs();
      const started = performance.now();
      for (let i = 0; i < files.length; i++) await s.open(uris[i]!, 'yaml', variant === 'asOnDisk' ? texts[i]! : texts[i]! + APPENDED);
      const arnShown = (uri: string): boolean => (s.latest.get(uri) ?? []).some((d) => (which === 'ours' ? d.code === 'sa-role-arn-malformed' : /pattern/i.test(typeof d.message === 'string' ? d.message : d.message.value)));
      if (which === 'peer') {
        // The peer publishes a list for every file it validated, empty or not.
        const done = variant === 'asOnDisk' ? (u: string): boolean => s.latest.has(u) : arnShown;
        await s.waitFor(() => uris.every(done), 10 * 60_000, `peer: diagnostics on every file (${variant})`);
      } else {
        // IRSA Lint publishes nothing for a file that shows nothing: its time is until it answers a fix-all request again,
        // which it does only after the analysis the opens scheduled; with the ServiceAccount appended, until it shows the ARN.
        await s.settle(uris[uris.length - 1]!);
        if (variant !== 'asOnDisk') await s.waitFor(() => uris.every(arnShown), 10 * 60_000, `irsa-lint: the malformed ARN on every file (${variant})`);
      }
      const wallMs = performance.now() - started;
      const cpuMs = s.cpuMs() - cpu;
      const filesShowingTheArn = uris.filter(arnShown).length;
      const diagnostics = uris.reduce((n, u) => n + (s.latest.get(u)?.length ?? 0), 0);
      return { wallMs, cpuMs, filesShowingTheArn, diagnostics };
    } finally {
      await s.stop();
    }
  };

  const results: PeerRound[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const variant of ['asOnDisk', 'withServiceAccount'] as const) {
      const order = r % 2 === 0 ? (['ours', 'peer'] as const) : (['peer', 'ours'] as const);
      const timing: Partial<Record<'ours' | 'peer', PeerTiming>> = {};
      for (const which of order) timing[which] = await time(which, variant);
      results.push({ variant, ours: timing.ours!, peer: timing.peer! });
      const shows = (t: PeerTiming): string => `${t.diagnostics} diagnostics, the ARN in ${t.filesShowingTheArn} of ${files.length} files`;
      log(`  peer round ${r + 1}, ${variant}: irsa-lint ${timing.ours!.wallMs.toFixed(0)} ms wall / ${timing.ours!.cpuMs.toFixed(0)} ms CPU (${shows(timing.ours!)}); ${PEER_PACKAGE} ${timing.peer!.wallMs.toFixed(0)} ms wall / ${timing.peer!.cpuMs.toFixed(0)} ms CPU (${shows(timing.peer!)})`);
    }
  }
  return { peer: `${PEER_PACKAGE}@${PEER_VERSION}`, files: files.length, megabytes, rounds: results };
}
