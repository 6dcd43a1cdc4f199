/**
 * One analysis run: resolve the directory and the rule settings, read the
 * workspace from disk, run the rules. Everything the user can get wrong
 * becomes a `CliError`; the result is a `CliReport` for the formatters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type AnalysisOptions } from '../analysis';
import { pathToUri, relativeUri, uriToPath } from '../common/uri';
import { CONFIG_FILE_NAME, mergeRuleSettings, parseConfig, type RuleSettings } from '../config';
import { Workspace } from '../index/workspace';
import { clustersNamedByWorkspace, mergeClusterTargets } from '../live/discovery';
import type { ClusterTarget, LiveFacts, LiveFault } from '../live/types';
import { awsCredentialsConfigured, DEFAULT_LIVE_TIMEOUT_SECONDS, fetchLiveCluster, fetchLiveFacts, LiveClusterCache } from '../node/aws';
import { refusalToWrite, writeFilesAtomically, type PlannedWrite } from '../node/atomic-write';
import { readConfigFile } from '../node/config-file';
import { initParsers, loadWorkspace } from '../node/host';
import { kubeconfigClusters } from '../node/kubeconfig';
import { RULE_IDS } from '../rules/registry';
import type { SeveritySetting } from '../rules/types';
import type { CliOptions, RuleOverride } from './args';
import { unifiedDiff } from './diff';
import { CliError } from './errors';
import { fixWorkspace } from './fix';
import type { CliReport } from './report';

/** What `--fix` / `--fix-dry-run` did, for the summary line and the diff. */
export interface FixSummary {
  readonly mode: 'write' | 'dry-run';
  /** Problems fixed (or that would be). */
  readonly fixed: number;
  /** Paths relative to the scanned directory of the files written (or that would be). */
  readonly files: readonly string[];
  /** Files a fix would have changed but that may not be written, with the reason (their findings stay). */
  readonly refused: readonly { readonly path: string; readonly reason: string }[];
  /** The unified diff of those files (dry run only). */
  readonly diff: string;
}

/** Analyses the directory; with `--fix` or `--fix-dry-run`, fixes first and reports what remains. */
export async function runCli(options: CliOptions, cwd: string = process.cwd()): Promise<{ report: CliReport; fix?: FixSummary }> {
  const root = resolveDirectory(options.dir, cwd);
  const rules = mergeRuleSettings(readConfigRules(root, options.configPath, cwd), overrideRules(options.ruleOverrides));
  await initParsers();
  const workspace = new Workspace();
  const rootUri = pathToUri(root);
  const skipped = loadWorkspace(workspace, root, { maxFileSizeKB: options.maxFileSizeKB });
  const live = await liveFacts(options, workspace);
  const analysisOptions = { rules, ...(live ? { live: live.facts } : {}) };
  const fix = options.fix === 'off' ? undefined : applyFixes(workspace, root, rootUri, options.fix, analysisOptions, options.quiet);
  const { findings: all, failures } = analyze(workspace, analysisOptions);
  const limited = workspace.limitedFiles();
  const findings = options.quiet ? all.filter((f) => f.severity === 'error') : all;
  const report: CliReport = {
    rootUri,
    findings,
    anchorLines: findings.map((f) => workspace.lines(f.span.uri)?.lineText(f.span.range.start.line).trim() ?? ''),
    skipped: [
      ...skipped.map((s) => ({ path: relativeUri(rootUri, pathToUri(s.path)), reason: s.reason })),
      // Read, but over a limit (time budget, nesting): analysed as if absent.
      ...limited.map((l) => ({ path: relativeUri(rootUri, l.uri), reason: l.reason })),
    ],
    failures,
    fileCount: workspace.size - limited.filter((l) => workspace.has(l.uri)).length,
    ...(live && live.faults.length > 0 ? { liveFaults: live.faults.map((f) => f.message) } : {}),
  };
  return fix ? { report, fix } : { report };
}

/**
 * Fixes the workspace in memory, then writes the changed files (`write`)
 * or diffs them (`dry-run`). Only files that are safe to write are edited
 * at all (`refusalToWrite`), so the report after it is exactly what is on
 * disk, and the files are written all or none (`writeFilesAtomically`):
 * on a failure the error says which files were changed and which were not.
 */
function applyFixes(workspace: Workspace, root: string, rootUri: string, mode: 'write' | 'dry-run', options: AnalysisOptions, quiet: boolean): FixSummary {
  const realRoot = fs.realpathSync(root);
  const refusals = new Map<string, string | undefined>();
  const canEdit = (uri: string): boolean => {
    if (!refusals.has(uri)) refusals.set(uri, refusalToWrite(uriToPath(uri), root, realRoot));
    return refusals.get(uri) === undefined;
  };
  const outcome = fixWorkspace(workspace, options, (f) => !quiet || f.severity === 'error', canEdit);
  const refused = [...refusals].flatMap(([uri, reason]) => (reason !== undefined ? [{ path: relativeUri(rootUri, uri), reason }] : []));
  const planned: PlannedWrite[] = [...outcome.files].map(([uri, { before, after }]) => ({ file: uriToPath(uri), shown: relativeUri(rootUri, uri), before, after }));
  const files = planned.map((p) => p.shown);
  if (mode === 'dry-run') return { mode, fixed: outcome.fixed, files, refused, diff: planned.map((p) => unifiedDiff(p.shown, p.before, p.after)).join('') };
  const written = writeFilesAtomically(planned);
  if (!written.ok) {
    const list = (paths: readonly string[]): string => (paths.length > 0 ? paths.join(', ') : 'none');
    throw new CliError(`--fix stopped: ${written.message}.\n  changed: ${list(written.written)}\n  not changed: ${list(written.unchanged)}`);
  }
  return { mode, fixed: outcome.fixed, files, refused, diff: '' };
}

/**
 * Live checks run when the user names a cluster (`--cluster`), or when AWS
 * credentials are configured without asking the network and the workspace
 * or kubeconfig names EKS clusters. A machine without either (CI, the
 * README's first command) makes no AWS call and pays nothing; see
 * docs/cli.md for why. Faults never fail the run.
 */
async function liveFacts(options: CliOptions, workspace: Workspace): Promise<{ facts: LiveFacts; faults: readonly LiveFault[] } | undefined> {
  if (!options.live) return undefined;
  const named = options.clusters.map((name): ClusterTarget => ({ name, ...(options.region !== undefined ? { region: options.region } : {}), source: 'cli' }));
  if (named.length === 0 && !awsCredentialsConfigured()) return undefined;
  const discovered = [...clustersNamedByWorkspace(workspace.model()), ...kubeconfigClusters()];
  const targets = mergeClusterTargets(named, discovered).map((t) => ({
    ...t,
    ...(t.region === undefined && options.region !== undefined ? { region: options.region } : {}),
    ...(t.profile === undefined && options.profile !== undefined ? { profile: options.profile } : {}),
  }));
  if (targets.length === 0) return undefined;
  const cache = new LiveClusterCache((t) => fetchLiveCluster(t, { timeoutMs: DEFAULT_LIVE_TIMEOUT_SECONDS * 1000 }), Number.POSITIVE_INFINITY);
  return fetchLiveFacts(targets, cache);
}

function resolveDirectory(dir: string, cwd: string): string {
  const root = path.resolve(cwd, dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `no such directory: ${dir}` : `cannot read ${dir} (${code ?? (e as Error).message})`);
  }
  if (!stat.isDirectory()) throw new CliError(`not a directory: ${dir} (irsa-lint scans a directory; pass the folder that contains it)`);
  // The walk reports unreadable subdirectories as skipped; an unreadable root would pass as "0 files, no problems".
  try {
    fs.readdirSync(root);
  } catch (e) {
    throw new CliError(`cannot read directory ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return root;
}

/**
 * Rules from `--config`, else from `<root>/.irsa-lint.json` when present.
 * Any problem in the file, including an unknown rule id, is fatal: CI
 * should not pass on a configuration that does not mean what it says.
 */
function readConfigRules(root: string, explicitPath: string | undefined, cwd: string): RuleSettings {
  const file = explicitPath !== undefined ? path.resolve(cwd, explicitPath) : path.join(root, CONFIG_FILE_NAME);
  const shown = explicitPath ?? path.relative(cwd, file);
  // The default file is the repository's own and must stay inside it; a file named with --config is the user's choice.
  const read = readConfigFile(file, explicitPath === undefined ? root : undefined);
  if (!read.ok) {
    if ('absent' in read) {
      if (explicitPath === undefined) return {};
      throw new CliError(`cannot read config file ${shown} (ENOENT)`);
    }
    throw new CliError(`cannot read config file ${shown} (${read.reason})`);
  }
  const { config, errors } = parseConfig(read.text, RULE_IDS);
  if (errors.length > 0) {
    // parseConfig names the default file in its messages; name the file actually read instead.
    const details = errors.map((e) => `  ${e.startsWith(CONFIG_FILE_NAME) ? shown + e.slice(CONFIG_FILE_NAME.length) : e}`);
    throw new CliError(`invalid config file ${shown}:\n${details.join('\n')}`);
  }
  return config.rules;
}

function overrideRules(overrides: readonly RuleOverride[]): RuleSettings {
  const rules: Record<string, SeveritySetting> = {};
  for (const { ruleId, severity } of overrides) {
    if (!RULE_IDS.has(ruleId)) throw new CliError(`unknown rule id '${ruleId}' in --rule (see --help for where the rules are listed)`);
    rules[ruleId] = severity;
  }
  return rules;
}
