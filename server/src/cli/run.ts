/**
 * One analysis run: resolve the directory and the rule settings, read the
 * workspace from disk, run the rules. Everything the user can get wrong
 * becomes a `CliError`; the result is a `CliReport` for the formatters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analysis';
import { pathToUri, relativeUri } from '../common/uri';
import { CONFIG_FILE_NAME, mergeRuleSettings, parseConfig, type RuleSettings } from '../config';
import { Workspace } from '../index/workspace';
import { clustersNamedByWorkspace, mergeClusterTargets } from '../live/discovery';
import type { ClusterTarget, LiveFacts, LiveFault } from '../live/types';
import { awsCredentialsConfigured, DEFAULT_LIVE_TIMEOUT_SECONDS, fetchLiveCluster, fetchLiveFacts, LiveClusterCache } from '../node/aws';
import { initParsers, loadWorkspace } from '../node/host';
import { kubeconfigClusters } from '../node/kubeconfig';
import { RULE_IDS } from '../rules/registry';
import type { SeveritySetting } from '../rules/types';
import type { CliOptions, RuleOverride } from './args';
import { CliError } from './errors';
import type { CliReport } from './report';

export async function runAnalysis(options: CliOptions, cwd: string = process.cwd()): Promise<CliReport> {
  const root = resolveDirectory(options.dir, cwd);
  const rules = mergeRuleSettings(readConfigRules(root, options.configPath, cwd), overrideRules(options.ruleOverrides));
  await initParsers();
  const workspace = new Workspace();
  const rootUri = pathToUri(root);
  const skipped = loadWorkspace(workspace, root, { maxFileSizeKB: options.maxFileSizeKB });
  const live = await liveFacts(options, workspace);
  const { findings: all, failures } = analyze(workspace, { rules, ...(live ? { live: live.facts } : {}) });
  const limited = workspace.limitedFiles();
  const findings = options.quiet ? all.filter((f) => f.severity === 'error') : all;
  return {
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
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (explicitPath === undefined && code === 'ENOENT') return {};
    throw new CliError(`cannot read config file ${shown} (${code ?? (e as Error).message})`);
  }
  const { config, errors } = parseConfig(text, RULE_IDS);
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
