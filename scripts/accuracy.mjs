// Runs the built CLI (dist/cli.js) on real repositories and prints what it
// reports, for the review recorded in docs/accuracy.md: one summary row per
// repository (files read, findings by severity and rule), then every error
// and warning with its place and the first sentence of its message, which
// is what a reviewer judges.
//
//   node scripts/accuracy.mjs /path/to/repo [/path/to/another …] [--all]
//
// `--all` lists notes too. The repositories are not ours to commit: fetch
// them (the search tool's `fetch`, then `git clone` from the mirror) beside
// the checkout, and record the commit you reviewed in docs/accuracy.md.
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const args = process.argv.slice(2);
const listNotes = args.includes('--all');
const repos = args.filter((a) => !a.startsWith('--'));
if (repos.length === 0) {
  console.error('usage: node scripts/accuracy.mjs <repository directory>… [--all]');
  process.exit(2);
}

const firstSentence = (message) => (/^(.*?[.!?])(\s|$)/.exec(message)?.[1] ?? message).slice(0, 200);

for (const repo of repos) {
  let commit = '';
  try {
    commit = execFileSync('git', ['-C', repo, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    commit = '(not a git checkout)';
  }
  const run = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), '.', '--format', 'json', '--exit-zero', '--no-live'], { cwd: repo, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) {
    console.log(`## ${path.basename(repo)} @ ${commit}: the CLI exited ${run.status}\n${run.stderr}`);
    continue;
  }
  const report = JSON.parse(run.stdout);
  const bySeverity = { error: 0, warning: 0, note: 0 };
  const byRule = new Map();
  for (const f of report.findings) {
    bySeverity[f.severity]++;
    byRule.set(`${f.severity} ${f.ruleId}`, (byRule.get(`${f.severity} ${f.ruleId}`) ?? 0) + 1);
  }
  console.log(`## ${path.basename(repo)} @ ${commit}`);
  console.log(`errors ${bySeverity.error}, warnings ${bySeverity.warning}, notes ${bySeverity.note}; skipped files ${report.skipped?.length ?? 0}`);
  for (const [key, n] of [...byRule].sort()) console.log(`  ${n} × ${key}`);
  for (const f of report.findings) {
    if (f.severity === 'note' && !listNotes) continue;
    console.log(`  ${f.severity} ${f.ruleId} ${f.path}:${f.line}: ${firstSentence(f.message)}`);
  }
  console.log('');
}
