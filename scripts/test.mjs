// The test suite, part by part, ending with one line that sums up every part:
// `N passed, N failed`. `npm test` runs the fast parts (build, type check,
// lint, the unit and protocol tests); `npm run test:all` (what .ci/run runs)
// adds the editor end-to-end parts after installing their tools.
//
// A check (build, type check, lint, install) counts as one test that passed
// or failed; a test run counts its tests, from the TAP summary of
// `node --test`. Output streams as it comes; the summary repeats each part's
// result so a failure is easy to find in a long CI log.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const all = process.argv.includes('--all');

/**
 * The compiled `*.test.js` files below `dir`. Given a directory, Node 20's
 * test runner would also run (and count as passing tests) every helper
 * module in it; files are listed lazily, after the build and type check.
 */
function testFiles(dir) {
  return { lazy: () => (fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir), { recursive: true }).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(dir, f)) : []) };
}

/**
 * A suite that hangs is worse than one that fails: CI gives up after an hour
 * and says nothing. A test file's process exits once its tests are done,
 * even if something (a language-server connection, a timer) keeps its event
 * loop alive (seen twice under load in protocol tests that had all passed),
 * and a test that runs longer than `minutes` fails as cancelled.
 * (`--test-force-exit` came in Node 20.14: an older Node 20 runs without it.)
 */
const [major, minor] = process.versions.node.split('.').map(Number);
const NO_HANG = (minutes) => [...(major > 20 || (major === 20 && minor >= 14) ? ['--test-force-exit'] : []), `--test-timeout=${minutes * 60_000}`];

/** @typedef {{ name: string, command: string[], kind: 'check' | 'tests', env?: Record<string, string> }} Part */

/** @type {Part[]} */
const parts = [
  { name: 'build', command: ['node', 'scripts/build.mjs'], kind: 'check' },
  // From an empty out/, so a test whose source was moved or deleted does not run from a stale build.
  { name: 'type check', command: ['sh', '-c', 'rm -rf out && npx tsc -p .'], kind: 'check' },
  { name: 'lint', command: ['npx', 'eslint', '.'], kind: 'check' },
  { name: 'unit and protocol tests', command: ['node', '--test', '--test-reporter=tap', ...NO_HANG(15), testFiles('out/test')], kind: 'tests' },
];
if (all) {
  parts.push(
    { name: 'editor tools install', command: ['bash', 'scripts/e2e-install.sh'], kind: 'check' },
    { name: 'package the .vsix', command: ['node', 'scripts/package.mjs'], kind: 'check' },
    { name: 'editor end-to-end tests', command: ['node', '--test', '--test-reporter=tap', '--test-concurrency=1', ...NO_HANG(30), testFiles('out/e2e')], kind: 'tests' },
  );
}

/** Runs a command, echoing its output, and resolves with its exit code and what it printed. */
function run(spec) {
  const command = spec.flatMap((a) => (typeof a === 'object' ? a.lazy() : [a]));
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('error', (e) => resolve({ code: 127, out: `${out}\n${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** The counts of a `node --test` TAP run: its own summary lines (`# pass N`, `# fail N`, …). */
function tapCounts(out) {
  // The last summary line of each kind: only the top level prints them unindented.
  const count = (label) => Number([...out.matchAll(new RegExp(`^# ${label} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
  return { passed: count('pass'), failed: count('fail') + count('cancelled') };
}

const results = [];
for (const part of parts) {
  console.log(`\n=== ${part.name}: ${part.command.map((a) => (typeof a === 'object' ? '<*.test.js>' : a)).join(' ')}`);
  const { code, out } = await run(part.command);
  if (part.kind === 'check') {
    results.push({ name: part.name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 });
  } else {
    const counts = tapCounts(out);
    // A run that exits non-zero without a failing test (a crash, no summary) still fails.
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    results.push({ name: part.name, ...counts });
  }
  // The later parts need what the earlier built: stop at a broken build or type check.
  if (code !== 0 && (part.name === 'build' || part.name === 'type check')) break;
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.failed === 0 ? 'ok  ' : 'FAIL'} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + (results.length < parts.length ? parts.length - results.length : 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
