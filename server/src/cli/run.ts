/**
 * One analysis run: resolve the directories and files named and the rule
 * settings, read the workspace from disk, run the rules. Everything the user can get wrong
 * becomes a `CliError`; the result is a `CliReport` for the formatters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type AnalysisOptions } from '../analysis';
import { isUnder, pathToUri, uriToPath } from '../common/uri';
import { CONFIG_FILE_NAME, didYouMean, mergeRuleSettings, parseConfig, resolveIgnores, type Config, type Ignore, type RuleSettings } from '../config';
import { Workspace } from '../index/workspace';
import { clustersNamedByWorkspace, mergeClusterTargets, roleArnsNamedByWorkspace } from '../live/discovery';
import type { ClusterTarget, LiveFacts, LiveFault } from '../live/types';
import { awsCredentialsConfigured, DEFAULT_LIVE_TIMEOUT_SECONDS } from '../node/aws';
import { gatherLiveFacts, LiveCaches } from '../node/live-facts';
import { refusalToWrite, writeFilesAtomically, type PlannedWrite } from '../node/atomic-write';
import { readConfigFile } from '../node/config-file';
import { initParsers, loadWorkspace } from '../node/host';
import { kubeconfigClusters } from '../node/kubeconfig';
import { fixContextOf, fixesFor } from '../rules/fixes';
import { RULE_IDS } from '../rules/registry';
import type { Finding, SeveritySetting } from '../rules/types';
import type { Fix } from '../edit/types';
import type { CliOptions, RuleOverride } from './args';
import { unifiedDiff } from './diff';
import { CliError } from './errors';
import { fixWorkspace, isCertainFix } from './fix';
import { baselineEntries, matchBaseline, readBaseline, writeBaseline } from './baseline';
import { relativePath, type CliReport } from './report';
import { resolveTargets, type Root } from './targets';

/** What `--fix` / `--fix-dry-run` did, for the summary line and the diff. */
export interface FixSummary {
  readonly mode: 'write' | 'dry-run';
  /** Problems fixed (or that would be). */
  readonly fixed: number;
  /** Paths relative to the current directory of the files written (or that would be). */
  readonly files: readonly string[];
  /** Files a fix would have changed but that may not be written, with the reason (their findings stay). */
  readonly refused: readonly { readonly path: string; readonly reason: string }[];
  /** The unified diff of those files (dry run only). */
  readonly diff: string;
}

/**
 * Analyses the directories named (or those enclosing the files named) as
 * one workspace; with `--fix` or `--fix-dry-run`, fixes first and reports
 * what remains. With files named, only their findings are reported (and fixed).
 */
export async function runCli(options: CliOptions, cwd: string = process.cwd()): Promise<{ report: CliReport; fix?: FixSummary }> {
  const targets = resolveTargets(options.paths, cwd);
  const displayBaseUri = pathToUri(cwd);
  const config = readConfigs(targets.roots, options.configPath, cwd);
  const rules = mergeRuleSettings(config.rules, overrideRules(options.ruleOverrides));
  await initParsers();
  const workspace = new Workspace();
  const skipped = targets.roots.flatMap((root) => loadWorkspace(workspace, root.path, { maxFileSizeKB: options.maxFileSizeKB }));
  const live = await liveFacts(options, workspace);
  // Runbooks are read unless `--no-markdown` or a configuration file turns them off.
  const analysisOptions = {
    rules,
    ignore: config.ignore,
    markdown: options.markdown && !config.markdownOff,
    ...(config.trustPolicyMaxLength !== undefined ? { trustPolicyMaxLength: config.trustPolicyMaxLength } : {}),
    ...(live ? { live: live.facts } : {}),
  };
  const named = (uri: string): boolean => targets.files === undefined || targets.files.has(uri);
  const selected = (f: Finding): boolean => (!options.quiet || f.severity === 'error') && named(f.span.uri);
  const fix = options.fix === 'off' ? undefined : applyFixes(workspace, targets.roots, displayBaseUri, options.fix, analysisOptions, selected);
  const { findings: all, failures } = analyze(workspace, analysisOptions);
  const limited = workspace.limitedFiles();
  const anchorOf = (f: Finding): string => workspace.lines(f.span.uri)?.lineText(f.span.range.start.line).trim() ?? '';
  const inNamed = all.filter((f) => named(f.span.uri));
  const selectedFindings = inNamed.filter(selected);
  const { findings, notices } = applyBaselines(selectedFindings, selectedFindings.map(anchorOf), options, cwd);
  if (options.quiet) notices.unshift(...quietNotice(inNamed.filter((f) => !selected(f))));
  const show = (uri: string): string => relativePath(displayBaseUri, uri);
  const report: CliReport = {
    roots: targets.roots,
    displayBaseUri,
    findings,
    anchorLines: findings.map(anchorOf),
    ...(options.format === 'sarif' ? { certainFixes: certainFixes(workspace, findings, targets.roots) } : {}),
    skipped: [
      ...skipped.map((s) => pathToUri(s.path)).map((uri, i) => ({ uri, reason: skipped[i]!.reason })),
      // Read, but over a limit (time budget, nesting): analysed as if absent.
      ...limited.map((l) => ({ uri: l.uri, reason: l.reason })),
    ]
      .filter((s) => named(s.uri))
      .map((s) => ({ path: show(s.uri), uri: s.uri, reason: s.reason })),
    failures,
    fileCount: targets.files !== undefined ? [...targets.files].filter((uri) => workspace.has(uri)).length : workspace.size - limited.filter((l) => workspace.has(l.uri)).length,
    ...(live && live.faults.length > 0 ? { liveFaults: live.faults.map((f) => f.message) } : {}),
    ...(notices.length > 0 ? { notices } : {}),
  };
  return fix ? { report, fix } : { report };
}

/** For each finding, the fix `--fix` would apply to it, if it edits only files under the roots (SARIF names files by root). */
function certainFixes(workspace: Workspace, findings: readonly Finding[], roots: readonly Root[]): (Fix | undefined)[] {
  const context = fixContextOf(workspace);
  return findings.map((finding) => fixesFor(finding, context).find((fix) => isCertainFix(fix) && fix.changes.every((c) => roots.some((root) => isUnder(c.uri, root.uri)))));
}

/**
 * `--baseline`: leaves out the findings it records. `--write-baseline`:
 * records the findings (alone: all of them, which are then not reported;
 * with `--baseline`: only those the old baseline excused, so it shrinks).
 * Returns what remains to report and one notice per thing done.
 */
function applyBaselines(findings: readonly Finding[], anchorLines: readonly string[], options: CliOptions, cwd: string): { findings: Finding[]; notices: string[] } {
  const notices: string[] = [];
  let excused = findings.map(() => false);
  if (options.baselinePath !== undefined) {
    const file = path.resolve(cwd, options.baselinePath);
    const match = matchBaseline(baselineEntries(findings, anchorLines, file), readBaseline(file, options.baselinePath));
    excused = [...match.excused];
    const count = excused.filter(Boolean).length;
    if (count > 0) notices.push(`${plural(count, 'finding')} in the baseline ${options.baselinePath} not reported`);
    if (match.unmatched > 0 && options.writeBaselinePath === undefined) {
      notices.push(`${plural(match.unmatched, 'baseline entry', 'baseline entries')} no longer match a finding (fixed?): --baseline ${options.baselinePath} --write-baseline ${options.baselinePath} drops them`);
    }
  }
  if (options.writeBaselinePath !== undefined) {
    const file = path.resolve(cwd, options.writeBaselinePath);
    const recorded = options.baselinePath !== undefined ? findings.filter((_, i) => excused[i]) : findings;
    writeBaseline(file, options.writeBaselinePath, baselineEntries(recorded, anchorLines.filter((_, i) => options.baselinePath === undefined || excused[i]), file));
    notices.push(`wrote ${plural(recorded.length, 'finding')} to the baseline ${options.writeBaselinePath}`);
    if (options.baselinePath === undefined) excused = findings.map(() => true);
  }
  return { findings: findings.filter((_, i) => !excused[i]), notices };
}

/** `--quiet hid 2 warnings and 1 note`, so that a quiet run does not read as a clean one. */
function quietNotice(hidden: readonly Finding[]): string[] {
  if (hidden.length === 0) return [];
  const warnings = hidden.filter((f) => f.severity === 'warning').length;
  const notes = hidden.filter((f) => f.severity === 'note').length;
  const parts = [...(warnings > 0 ? [plural(warnings, 'warning')] : []), ...(notes > 0 ? [plural(notes, 'note')] : [])];
  return [`--quiet hid ${parts.join(' and ')}`];
}

function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/**
 * Fixes the workspace in memory, then writes the changed files (`write`)
 * or diffs them (`dry-run`). Only files that are safe to write are edited
 * at all (`refusalToWrite`, against the root the file was read from), so
 * the report after it is exactly what is on disk, and the files are written
 * all or none (`writeFilesAtomically`): on a failure the error says which
 * files were changed and which were not.
 */
function applyFixes(workspace: Workspace, roots: readonly Root[], displayBaseUri: string, mode: 'write' | 'dry-run', options: AnalysisOptions, select: (f: Finding) => boolean): FixSummary {
  const realRoots = roots.map((root) => fs.realpathSync(root.path));
  const refusals = new Map<string, string | undefined>();
  const canEdit = (uri: string): boolean => {
    if (!refusals.has(uri)) {
      const index = roots.findIndex((root) => isUnder(uri, root.uri));
      refusals.set(uri, index < 0 ? 'outside the scanned directories' : refusalToWrite(uriToPath(uri), roots[index]!.path, realRoots[index]!));
    }
    return refusals.get(uri) === undefined;
  };
  const show = (uri: string): string => relativePath(displayBaseUri, uri);
  const outcome = fixWorkspace(workspace, options, select, canEdit);
  const refused = [...refusals].flatMap(([uri, reason]) => (reason !== undefined ? [{ path: show(uri), reason }] : []));
  const planned: PlannedWrite[] = [...outcome.files].map(([uri, { before, after }]) => ({ file: uriToPath(uri), shown: show(uri), before, after }));
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
 * Live checks run when the user names a cluster (`--cluster`) or a
 * kubeconfig context (`--kube-context`), or when AWS credentials are
 * configured without asking the network: then the clusters the workspace or
 * kubeconfig names are described, the roles the workspace's ServiceAccounts
 * name by ARN are read from IAM, and the current kubeconfig context's
 * ServiceAccounts are listed (when the workspace has ServiceAccounts). A
 * machine without either (CI, the README's first command) makes no call and
 * pays nothing; see docs/cli.md for why. Faults never fail the run.
 */
/** What a live lookup needs of the command line (`lint` and `inventory --live`). */
export type LiveOptions = Pick<CliOptions, 'live' | 'clusters' | 'region' | 'profile' | 'kubeContexts'>;

/** Live facts for the workspace: clusters, the roles it names by ARN, ServiceAccounts of the kubeconfig contexts. */
export async function liveFacts(options: LiveOptions, workspace: Workspace): Promise<{ facts: LiveFacts; faults: readonly LiveFault[] } | undefined> {
  if (!options.live) return undefined;
  const named = options.clusters.map((name): ClusterTarget => ({ name, ...(options.region !== undefined ? { region: options.region } : {}), source: 'cli' }));
  const aws = named.length > 0 || awsCredentialsConfigured();
  if (!aws && options.kubeContexts.length === 0) return undefined;
  const model = workspace.model();
  const discovered = aws ? [...clustersNamedByWorkspace(model), ...kubeconfigClusters()] : [];
  const targets = mergeClusterTargets(named, discovered).map((t) => ({
    ...t,
    ...(t.region === undefined && options.region !== undefined ? { region: options.region } : {}),
    ...(t.profile === undefined && options.profile !== undefined ? { profile: options.profile } : {}),
  }));
  const roleArns = aws ? roleArnsNamedByWorkspace(model) : [];
  const kubernetes = options.kubeContexts.length > 0 || (aws && model.serviceAccounts.length > 0);
  if (targets.length === 0 && roleArns.length === 0 && !kubernetes) return undefined;
  const caches = new LiveCaches(() => DEFAULT_LIVE_TIMEOUT_SECONDS * 1000, Number.POSITIVE_INFINITY, () => options.profile);
  return gatherLiveFacts({ targets, roleArns, ...(kubernetes ? { kubernetesContexts: options.kubeContexts } : {}), ...(options.profile !== undefined ? { profile: options.profile } : {}) }, caches);
}

/**
 * Settings and `ignore` entries from `--config`, else from each root's
 * `.irsa-lint.json` when present; settings merged in argument order (a later
 * root's setting wins), entries resolved against their file's folder. Any
 * problem in a file, including an unknown rule id, is fatal: CI should not
 * pass on a configuration that does not mean what it says.
 */
function readConfigs(roots: readonly Root[], explicitPath: string | undefined, cwd: string): { rules: RuleSettings; ignore: Ignore[]; markdownOff: boolean; trustPolicyMaxLength?: number } {
  const files = explicitPath !== undefined ? [{ file: path.resolve(cwd, explicitPath), shown: explicitPath, within: undefined }] : roots.map((root) => {
    const file = path.join(root.path, CONFIG_FILE_NAME);
    return { file, shown: path.relative(cwd, file), within: root.path };
  });
  const configs = files.map(({ file, shown, within }) => ({ folderUri: pathToUri(path.dirname(file)), config: readConfigAt(file, shown, within) }));
  const lengths = configs.map((c) => c.config.trustPolicyMaxLength).filter((n): n is number => n !== undefined);
  return {
    rules: mergeRuleSettings(...configs.map((c) => c.config.rules)),
    ignore: configs.flatMap(({ folderUri, config }) => resolveIgnores(folderUri, config.ignore)),
    ...(lengths.length > 0 ? { trustPolicyMaxLength: lengths[lengths.length - 1]! } : {}),
    // One run analyses the roots as one workspace: a root whose file turns runbooks off turns them off for the run.
    markdownOff: configs.some((c) => c.config.markdown === false),
  };
}

/**
 * One config file. The default file is the repository's own and must stay
 * inside its root (`within`); a file named with --config is the user's
 * choice, and its absence is an error.
 */
function readConfigAt(file: string, shown: string, within: string | undefined): Config {
  const read = readConfigFile(file, within);
  if (!read.ok) {
    if ('absent' in read) {
      if (within !== undefined) return { rules: {}, ignore: [] };
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
  return config;
}

function overrideRules(overrides: readonly RuleOverride[]): RuleSettings {
  const rules: Record<string, SeveritySetting> = {};
  for (const { ruleId, severity } of overrides) {
    if (!RULE_IDS.has(ruleId)) throw new CliError(`unknown rule id '${ruleId}' in --rule${didYouMean(ruleId, RULE_IDS)} (irsa-lint --list-rules lists them)`);
    rules[ruleId] = severity;
  }
  return rules;
}
