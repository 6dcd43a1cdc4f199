// The GitHub Action's last step (action.yml): reads the SARIF log irsa-lint
// wrote, prints each finding as a workflow command (`::error file=…::…`, an
// annotation on the pull request's diff even without code scanning), sets
// the step outputs (absolute `sarif-file`, `errors`, `warnings`, `notes`)
// and exits 1 when a finding is at or above `fail-on` (error, warning; none
// never fails).
//
// usage: node scripts/action-report.mjs <sarif-file> <fail-on>
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const [sarifArg, failOn = 'error'] = process.argv.slice(2);
if (sarifArg === undefined || !['error', 'warning', 'none'].includes(failOn)) {
  console.error('usage: node scripts/action-report.mjs <sarif-file> <error|warning|none>');
  process.exit(2);
}
const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
const sarifFile = path.resolve(workspace, sarifArg);
const run = JSON.parse(fs.readFileSync(sarifFile, 'utf8')).runs[0];
const bases = run.originalUriBaseIds ?? {};

/** Workflow command values: `%`, CR and LF always; `:` and `,` too in properties. */
const escapeData = (s) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** A result's file relative to the workspace (what annotations want), from its root's base URI. */
function fileOf(location) {
  const artifact = location?.physicalLocation?.artifactLocation;
  if (artifact?.uri === undefined) return undefined;
  const base = bases[artifact.uriBaseId]?.uri;
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
  console.log(`::${command} ${properties.join(',')}::${escapeData(result.message?.text ?? '')}`);
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
