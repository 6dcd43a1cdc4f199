/**
 * `--fix` under faults (issue #12): a full disk or file-size limit, a
 * read-only file, a hard link out of the workspace. Whatever happens, every
 * file is byte for byte either as it was or as a clean `--fix` writes it,
 * no temporary file is left behind, and the output names exactly the files
 * that were changed and those that were not.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { writeFilesAtomically } from '../../server/src/node/atomic-write';
import { CLI, runCli, scratchWorkspace, type CliRun } from './support';

/** The files of the cli-fix workspace that `--fix` changes, and one it leaves alone. */
const FIXED = ['k8s/reader.yaml', 'k8s/writer.yaml', 'roles/reader.json'];
const ALL = [...FIXED, 'k8s/untouched.yaml'];

function bytes(dir: string): Map<string, Buffer> {
  return new Map(ALL.map((name) => [name, fs.readFileSync(path.join(dir, name))]));
}

/** The bytes a clean `--fix` writes, from a fresh copy of the same workspace. */
function cleanlyFixed(prepare: (dir: string) => void): Map<string, Buffer> {
  const dir = scratchWorkspace('cli-fix');
  prepare(dir);
  const run = runCli([dir, '--fix']);
  assert.match(run.stderr, /^irsa-lint: fixed 5 problems in 3 files\n/, run.stderr);
  return bytes(dir);
}

/**
 * Each file is its old bytes or its new ones, never anything else; the
 * files `changed` are exactly those with new bytes; no temporary file is left.
 */
function assertWholeFiles(dir: string, before: Map<string, Buffer>, after: Map<string, Buffer>, changed: readonly string[]): void {
  for (const name of ALL) {
    const now = fs.readFileSync(path.join(dir, name));
    if (changed.includes(name)) assert.ok(now.equals(after.get(name)!), `${name} has its fixed bytes`);
    else assert.ok(now.equals(before.get(name)!), `${name} has its old bytes`);
  }
  const leftovers = spawnSync('find', [dir, '-name', '*.irsa-lint-*'], { encoding: 'utf8' }).stdout.trim();
  assert.equal(leftovers, '', 'no temporary file left behind');
}

function changedFiles(run: CliRun): string[] {
  const line = /^ {2}changed: (.*)$/m.exec(run.stderr)?.[1];
  return line === undefined || line === 'none' ? [] : line.split(', ');
}

function padRoleFile(dir: string): void {
  // A trust policy of 4 KB: its new text no longer fits under `ulimit -f 2` (2 KB).
  const file = path.join(dir, 'roles', 'reader.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"Version"', `"Sid": "${'x'.repeat(4000)}",\n  "Version"`));
}

describe('irsa-lint --fix under faults', () => {
  it('a file-size limit (ulimit -f) hit while writing: no file changed, none cut, and the error says so', () => {
    const after = cleanlyFixed(padRoleFile);
    const dir = scratchWorkspace('cli-fix');
    padRoleFile(dir);
    const before = bytes(dir);
    const result = spawnSync('bash', ['-c', 'ulimit -f 2; exec "$0" "$@"', process.execPath, CLI, '.', '--fix'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const run: CliRun = { status: result.status, stdout: result.stdout, stderr: result.stderr };
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /irsa-lint: --fix stopped: roles\/reader\.json: cannot write it \(EFBIG\)\.\n {2}changed: none\n {2}not changed: k8s\/reader\.yaml, k8s\/writer\.yaml, roles\/reader\.json\n/);
    assertWholeFiles(dir, before, after, changedFiles(run));
  });

  it('a read-only file: refused with a message, the other files fixed (as root too, which could write it)', () => {
    const after = cleanlyFixed(() => undefined);
    const dir = scratchWorkspace('cli-fix');
    fs.chmodSync(path.join(dir, 'roles', 'reader.json'), 0o444);
    fs.chmodSync(path.join(dir, 'k8s', 'reader.yaml'), 0o640);
    const before = bytes(dir);
    const run = runCli([dir, '--fix']);
    assert.match(run.stderr, /^irsa-lint: fixed 3 problems in 2 files\nirsa-lint: did not fix roles\/reader\.json: read-only \(no write permission\)\n/);
    assertWholeFiles(dir, before, after, ['k8s/reader.yaml', 'k8s/writer.yaml']);
    assert.equal(fs.statSync(path.join(dir, 'k8s', 'reader.yaml')).mode & 0o777, 0o640, 'the mode is kept');
    // Its findings are still reported: nothing pretends it was fixed.
    assert.match(run.stdout, /roles\/reader\.json:\d+:\d+ error trust-action-mismatch/);
  });

  it('a file the user may not write (run as an unprivileged user): refused with the reason, the others fixed', (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to create files owned by another user');
      return;
    }
    const after = cleanlyFixed(() => undefined);
    const dir = scratchWorkspace('cli-fix');
    // The workspace belongs to `nobody`, except one file that stays root's with mode 644.
    spawnSync('chown', ['-R', '65534:65534', dir]);
    fs.chownSync(path.join(dir, 'roles', 'reader.json'), 0, 0);
    fs.chmodSync(dir, 0o755);
    const before = bytes(dir);
    const result = spawnSync(process.execPath, [CLI, '.', '--fix'], { cwd: dir, encoding: 'utf8', timeout: 60_000, uid: 65534, gid: 65534 });
    assert.match(result.stderr, /^irsa-lint: fixed 3 problems in 2 files\nirsa-lint: did not fix roles\/reader\.json: not writable \(EACCES\)\n/);
    assertWholeFiles(dir, before, after, ['k8s/reader.yaml', 'k8s/writer.yaml']);
    assert.equal(fs.statSync(path.join(dir, 'k8s', 'reader.yaml')).uid, 65534, 'the owner is kept');
  });

  it('a hard link to a file outside the workspace: refused, the outside file untouched', () => {
    const after = cleanlyFixed(() => undefined);
    const outside = scratchWorkspace(undefined, {});
    const dir = scratchWorkspace('cli-fix');
    fs.linkSync(path.join(dir, 'roles', 'reader.json'), path.join(outside, 'copy.json'));
    const outsideBefore = fs.readFileSync(path.join(outside, 'copy.json'));
    const before = bytes(dir);
    const run = runCli([dir, '--fix']);
    assert.match(run.stderr, /^irsa-lint: fixed 3 problems in 2 files\nirsa-lint: did not fix roles\/reader\.json: it has 2 hard links, and a write would change or split the file under its other names\n/);
    assertWholeFiles(dir, before, after, ['k8s/reader.yaml', 'k8s/writer.yaml']);
    assert.ok(fs.readFileSync(path.join(outside, 'copy.json')).equals(outsideBefore));
    assert.equal(fs.statSync(path.join(outside, 'copy.json')).nlink, 2, 'still one file under two names');
  });

  it('a file changed on disk after it was read: nothing written, temporary files removed', () => {
    const dir = scratchWorkspace(undefined, { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    const plan = [
      { file: path.join(dir, 'a.yaml'), shown: 'a.yaml', before: 'a: 1\n', after: 'a: 2\n' },
      { file: path.join(dir, 'b.yaml'), shown: 'b.yaml', before: 'b: 0\n', after: 'b: 2\n' },
    ];
    assert.deepEqual(writeFilesAtomically(plan), { ok: false, message: 'b.yaml: changed while irsa-lint was fixing it; run again', written: [], unchanged: ['a.yaml', 'b.yaml'] });
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.yaml', 'b.yaml']);
    assert.equal(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8'), 'a: 1\n');
  });
});
