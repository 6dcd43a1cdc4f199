// The GitHub Action's last step (action.yml): reads the SARIF log irsa-lint
// wrote, rebases its file locations on the repository (code scanning reads a
// relative path as relative to the repository, while irsa-lint writes them
// relative to each directory analysed: `paths: infra apps` would otherwise
// put apps/k8s/sa.yaml at k8s/sa.yaml), prints each finding as a workflow command (`::error file=…::…`, an
// annotation on the pull request's diff even without code scanning), sets
// the step outputs (absolute `sarif-file`, `errors`, `warnings`, `notes`)
// and exits 1 when a finding is at or above `fail-on` (error, warning; none
// never fails).
//
// usage: node scripts/action-report.mjs <sarif-file> <fail-on>
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [sarifArg, failOn = 'error'] = process.argv.slice(2);
if (sarifArg === undefined || !['error', 'warning', 'none'].includes(failOn)) {
  console.error('usage: node scripts/action-report.mjs <sarif-file> <error|warning|none>');
  process.exit(2);
}
const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
const sarifFile = path.resolve(workspace, sarifArg);
const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
const run = log.runs[0];
const bases = run.originalUriBaseIds ?? {};
const workspaceUri = pathToFileURL(workspace).href.replace(/\/?$/, '/');

/**
 * Every `{ uri, uriBaseId }` of a root, for a file inside the repository,
 * becomes relative to the repository (`%SRCROOT%`); a file outside it keeps
 * its root, the first one renamed `ROOT1` since `%SRCROOT%` is now the repository.
 */
function rebase(node) {
  if (Array.isArray(node)) return node.forEach(rebase);
  if (node === null || typeof node !== 'object') return;
  if (typeof node.uri === 'string' && typeof node.uriBaseId === 'string' && bases[node.uriBaseId] !== undefined) {
    const relative = path.relative(workspace, fileURLToPath(new URL(node.uri, bases[node.uriBaseId].uri)));
    if (relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative)) {
      node.uri = relative.split(path.sep).map(encodeURIComponent).join('/');
      node.uriBaseId = '%SRCROOT%';
    } else if (node.uriBaseId === '%SRCROOT%') {
      node.uriBaseId = 'ROOT1';
    }
    return;
  }
  for (const value of Object.values(node)) rebase(value);
}
const { originalUriBaseIds: _, ...located } = run;
rebase(located);
const used = new Set([...JSON.stringify(located).matchAll(/"uriBaseId":"([^"]*)"/g)].map((m) => m[1]));
run.originalUriBaseIds = { '%SRCROOT%': { uri: workspaceUri } };
for (const [id, base] of Object.entries(bases)) {
  const renamed = id === '%SRCROOT%' ? 'ROOT1' : id;
  if (used.has(renamed)) run.originalUriBaseIds[renamed] = base;
}
fs.writeFileSync(sarifFile, JSON.stringify(log, null, 2) + '\n');

/** Workflow command values: `%`, CR and LF always; `:` and `,` too in properties. */
const escapeData = (s) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** A result's file relative to the workspace (what annotations want), from its root's base URI. */
function fileOf(location) {
  const artifact = location?.physicalLocation?.artifactLocation;
  if (artifact?.uri === undefined) return undefined;
  const base = run.originalUriBaseIds[artifact.uriBaseId]?.uri;
  const absolute = fileURLToPath(base !== undefined ? new URL(artifact.uri, base) : new URL(artifact.uri, `file://${workspace}/`));
  return path.relative(workspace, absolute).split(path.sep).join('/');
}

const counts = { error: 0, warning: 0, note: 0 };
for (const result of run.results ?? []) {
  const level = result.level ?? 'warning';
  if (level in counts) counts[level]++;
  const location = result.locations?.[0];
  const region = location?.physicalLocation?.region ?? {};
  const file = fileOf(location);
  const properties = [
    ...(file !== undefined ? [`file=${escapeProperty(file)}`] : []),
    ...['line', 'endLine', 'col', 'endColumn']
      .map((name) => [name, region[name === 'line' ? 'startLine' : name === 'col' ? 'startColumn' : name]])
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${value}`),
    `title=${escapeProperty(`irsa-lint ${result.ruleId}`)}`,
  ];
  const command = level === 'error' ? 'error' : level === 'warning' ? 'warning' : 'notice';
  console.log(`::${command} ${properties.join(',')}::${escapeData(annotationText(result.message?.text ?? ''))}`);
}
for (const notification of run.invocations?.[0]?.toolExecutionNotifications ?? []) {
  console.log(`::warning title=irsa-lint::${escapeData(notification.message?.text ?? '')}`);
}

const outputs = { 'sarif-file': sarifFile, errors: counts.error, warnings: counts.warning, notes: counts.note };
if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(''));

const total = counts.error + counts.warning + counts.note;
console.log(total === 0 ? 'irsa-lint: no problems found.' : `irsa-lint: ${counts.error} errors, ${counts.warning} warnings, ${counts.note} notes (SARIF: ${sarifFile}).`);
const failing = failOn === 'error' ? counts.error : failOn === 'warning' ? counts.error + counts.warning : 0;
if (failing > 0) {
  console.log(`::error title=irsa-lint::${failing} finding${failing === 1 ? '' : 's'} at or above fail-on: ${failOn}`);
  process.exit(1);
}

/**
 * SARIF text links a mention of the other side of a finding to its related
 * location (`[web.json:10](1)`); an annotation shows plain text, so the
 * mention stays and the link syntax goes. An escaped bracket (`\[`) is the
 * message's own.
 */
function annotationText(text) {
  return text.replace(/(?<!\\)\[([^\]]*)\]\((\d+)\)/g, '$1').replace(/\\([[\]])/g, '$1');
}
