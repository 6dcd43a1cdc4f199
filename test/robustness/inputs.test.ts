/**
 * Bad input, one test per kind (issue #7): real files in a temporary
 * workspace, through the CLI spawned as users run it. Each workspace also
 * holds a known-good finding (`good.json`, trust-missing-aud), so every test
 * also proves that the rest of the workspace was still analysed.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LimitExceeded } from '../../server/src/common/budget';
import { initParsers, readTextFile, walkWorkspace } from '../../server/src/node/host';
import { Workspace } from '../../server/src/index/workspace';
import { CLI, findingHeads, runCli, scratchWorkspace, type CliRun } from '../cli/support';
import { TRUST_POLICY, TRUST_POLICY_TEXT } from './samples';

/** The finding that shows the rest of the workspace was analysed. */
const GOOD = 'good.json:7:22 warning trust-missing-aud';

function scan(files: Readonly<Record<string, string | Buffer>>, ...args: string[]): { dir: string; run: CliRun } {
  const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT, ...files });
  return { dir, run: runCli([dir, '--exit-zero', ...args]) };
}

function assertRestAnalysed(run: CliRun): void {
  assert.equal(run.status, 0, run.stderr);
  assert.ok(findingHeads(run.stdout).includes(GOOD), `the good file was analysed:\n${run.stdout}\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /internal error|Maximum call stack/i);
}

describe('bad input through the CLI', () => {
  it('truncated trust policy: a parse error, and no claim about what the cut-off part would say', () => {
    const { run } = scan({ 'cut.json': TRUST_POLICY_TEXT.slice(0, TRUST_POLICY_TEXT.indexOf('"Action"') + 3) });
    assertRestAnalysed(run);
    assert.deepEqual(findingHeads(run.stdout).filter((h) => h.startsWith('cut.json')), ['cut.json:9:7 error parse-error']);
  });

  it('invalid UTF-8 without NUL: skipped with a note, not decoded into a misleading syntax error', () => {
    const bytes = Buffer.from(TRUST_POLICY_TEXT.replace('"Allow"', '"All\u00e9w"'), 'latin1');
    const { run } = scan({ 'latin1.json': bytes });
    assertRestAnalysed(run);
    assert.match(run.stderr, /skipped latin1\.json: not UTF-8 text/);
    assert.ok(!run.stdout.includes('latin1.json'));
  });

  it('NUL bytes in a YAML file: skipped as binary', () => {
    const { run } = scan({ 'nul.yaml': Buffer.concat([Buffer.from('kind: ServiceAccount\n'), Buffer.from([0, 0, 1])]) });
    assertRestAnalysed(run);
    assert.match(run.stderr, /skipped nul\.yaml: binary content/);
  });

  it('BOM and CRLF: the same findings at the same positions as the plain file', () => {
    const { run } = scan({ 'crlf.json': '\ufeff' + TRUST_POLICY_TEXT.replace(/\n/g, '\r\n') });
    assertRestAnalysed(run);
    assert.deepEqual(
      findingHeads(run.stdout).filter((h) => h.startsWith('crlf.json')),
      findingHeads(run.stdout)
        .filter((h) => h.startsWith('good.json'))
        .map((h) => h.replace('good.json', 'crlf.json')),
    );
  });

  it('10 000-deep nesting: JSON and YAML skipped with a note, Terraform read with the deep value unknown', () => {
    const deep = 10_000;
    const { run } = scan({
      // A policy's shape, so that the pre-filter passes it to the parser (a file that cannot matter is never parsed).
      'deep.json': '{"Statement": ' + '['.repeat(deep) + ']'.repeat(deep) + '}',
      'deep.yaml': 'kind: ServiceAccount\nx: ' + '['.repeat(deep) + ']'.repeat(deep) + '\n',
      'deep/main.tf': `locals {\n  x = ${'['.repeat(deep)}${']'.repeat(deep)}\n  y = ${'f('.repeat(deep / 2)}1${')'.repeat(deep / 2)}\n}\n` + trustRoleTf('deep'),
    });
    assertRestAnalysed(run);
    assert.match(run.stderr, /skipped deep\.json: nested more than 200 levels deep/);
    assert.match(run.stderr, /skipped deep\.yaml: nested more than 200 levels deep/);
    // The role beside the deep locals is still checked.
    assert.ok(findingHeads(run.stdout).some((h) => h.startsWith('deep/main.tf:') && h.endsWith('trust-missing-aud')), run.stdout);
  });

  it('a 5 MB single line: read and analysed when the size limit is raised', () => {
    const line = JSON.stringify({ ...TRUST_POLICY, Padding: 'x'.repeat(5 * 1024 * 1024) });
    const { run } = scan({ 'one-line.json': line }, '--max-file-size-kb', '8192');
    assertRestAnalysed(run);
    assert.ok(findingHeads(run.stdout).some((h) => h.startsWith('one-line.json:1:') && h.endsWith('trust-missing-aud')), run.stdout);
  });

  it('a 50 MB file: skipped by size with a note, without being read', () => {
    const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT });
    // Sparse: 50 MB by size, nothing written. Reading it would still cost 50 MB of memory.
    fs.writeFileSync(path.join(dir, 'huge.json'), '');
    fs.truncateSync(path.join(dir, 'huge.json'), 50 * 1024 * 1024);
    const run = runCli([dir, '--exit-zero']);
    assertRestAnalysed(run);
    assert.match(run.stderr, /skipped huge\.json: larger than the 2048 KB size limit/);
  });

  it('a file over the per-file time budget: skipped once with a note, the rest analysed', () => {
    // ~16 MB of Terraform takes tree-sitter about 5 s here: the parse is cancelled at the budget.
    const blocks: string[] = [];
    for (let i = 0, size = 0; size < 16e6; i++) {
      const block = `resource "aws_iam_role" "r${i}" {\n  name = "r${i}"\n  tags = { a = "b", c = [1, 2, 3] }\n}\n`;
      blocks.push(block);
      size += block.length;
    }
    const started = Date.now();
    const { run } = scan({ 'big/main.tf': blocks.join('') }, '--max-file-size-kb', '40000');
    assertRestAnalysed(run);
    const notes = run.stderr.split('\n').filter((l) => l.includes('big/main.tf'));
    assert.deepEqual(notes, ['irsa-lint: skipped big/main.tf: analysis took longer than the 2000 ms budget for one file']);
    // Generous for a loaded CI machine; run to its end, the parse alone would take several times the budget.
    assert.ok(Date.now() - started < 30_000, 'the parse was cut at the budget, not run to its end');
  });

  it('binary content under a .json name: skipped as binary', () => {
    const { run } = scan({ 'logo.json': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
    assertRestAnalysed(run);
    assert.match(run.stderr, /skipped logo\.json: binary content/);
  });

  it('a symlink loop: each real directory is read once', () => {
    const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT, 'a/b/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  namespace: y\n' });
    fs.symlinkSync('../..', path.join(dir, 'a', 'b', 'loop'));
    fs.symlinkSync('.', path.join(dir, 'self'));
    const run = runCli([dir, '--exit-zero']);
    assertRestAnalysed(run);
    assert.equal(findingHeads(run.stdout).filter((h) => h === GOOD).length, 1, 'good.json reported once, not once per path through the loop');
  });

  it('FIFOs and device links under analysed names: refused, never read (a read would block or never end)', () => {
    const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT });
    const fifo = spawnSync('mkfifo', [path.join(dir, 'pipe.json')]);
    assert.equal(fifo.status, 0, 'mkfifo is available');
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
    assert.deepEqual(readTextFile(path.join(dir, 'pipe.json')), { ok: false, reason: 'not a regular file' });
    assert.deepEqual(readTextFile(path.join(dir, 'zero.json')), { ok: false, reason: 'not a regular file' });
    assertRestAnalysed(runCli([dir, '--exit-zero']));
  });

  it('unreadable files: skipped with the reason (run as an unprivileged user when the tests run as root)', () => {
    const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT, 'secret/trust.json': TRUST_POLICY_TEXT, 'locked.yaml': 'kind: ServiceAccount\n' });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'secret'), 0o000);
    fs.chmodSync(path.join(dir, 'locked.yaml'), 0o000);
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, [CLI, '.', '--exit-zero'], { cwd: dir, encoding: 'utf8', timeout: 60_000, ...asUser });
    fs.chmodSync(path.join(dir, 'secret'), 0o755);
    const run: CliRun = { status: result.status, stdout: result.stdout, stderr: result.stderr };
    assertRestAnalysed(run);
    assert.match(run.stderr, /skipped locked\.yaml: unreadable \(EACCES\)/);
    assert.match(run.stderr, /skipped secret: unreadable directory \(EACCES\)/);
  });

  it('files deleted while the workspace is read: skipped with the reason, the walk goes on', async () => {
    await initParsers();
    const dir = scratchWorkspace(undefined, { 'a.json': TRUST_POLICY_TEXT, 'b.json': TRUST_POLICY_TEXT, 'c/d.yaml': 'kind: ServiceAccount\n' });
    const reads: string[] = [];
    let first = true;
    for (const file of walkWorkspace(dir)) {
      if (first) {
        // Between the walk and the reads, everything else goes (a `git checkout`, a build cleaning up).
        for (const other of ['a.json', 'b.json', 'c']) if (path.join(dir, other) !== file) fs.rmSync(path.join(dir, other), { recursive: true, force: true });
        first = false;
        continue;
      }
      const read = readTextFile(file);
      reads.push(read.ok ? 'read' : read.reason);
    }
    assert.ok(reads.length >= 1);
    for (const r of reads) assert.equal(r, 'unreadable (ENOENT)');
  });

  it('YAML anchors and aliases are followed; an alias bomb costs a bounded amount of work', () => {
    const laughs = ['kind: ConfigMap', 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i <= 9; i++) laughs.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const serviceAccount = [
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata:',
      '  name: s3-reader',
      '  namespace: demo',
      '  labels: &common',
      '    eks.amazonaws.com/role-arn: arn:aws:iam::1111:role/short-account-id',
      '  annotations:',
      '    <<: *common',
    ];
    const started = Date.now();
    const { run } = scan({ 'bomb.yaml': laughs.join('\n') + '\n', 'sa.yaml': serviceAccount.join('\n') + '\n' });
    assertRestAnalysed(run);
    assert.ok(Date.now() - started < 10_000, 'a billion laughs is not expanded');
    assert.ok(!run.stdout.includes('bomb.yaml'));
    // The merge key brought the aliased annotation in: its malformed ARN is reported.
    assert.ok(findingHeads(run.stdout).some((h) => h.startsWith('sa.yaml:') && h.endsWith('sa-role-arn-malformed')), run.stdout);
  });

  it('Terraform with unbalanced braces: recovered per top-level block', () => {
    const { run } = scan({
      'tf/main.tf': 'resource "aws_iam_role" "broken" {\n  assume_role_policy = jsonencode({\n    Statement = [{\n}\n\n' + trustRoleTf('after'),
    });
    assertRestAnalysed(run);
    const heads = findingHeads(run.stdout).filter((h) => h.startsWith('tf/main.tf'));
    assert.ok(heads.some((h) => h.endsWith('parse-error')), run.stdout);
    assert.ok(heads.some((h) => h.endsWith('trust-missing-aud')), 'the role after the broken block is analysed');
  });

  it('a file over a limit, in-process: no facts, listed once by limitedFiles(), the rest analysed', async () => {
    await initParsers();
    // The budget counts clock readings, not time: one "millisecond" each. The big file's parse reads the clock far more than
    // 1,000 times; the role file below a handful. Wall-clock time would make the outcome depend on the machine's load.
    let ticks = 0;
    const workspace = new Workspace({ fileBudgetMs: 1000, clock: () => ticks++ });
    const big = Array.from({ length: 20_000 }, (_, i) => `resource "aws_iam_role" "r${i}" {\n  name = "r${i}"\n}\n`).join('');
    workspace.setFile('file:///ws/big/main.tf', big);
    // A policy's shape, so that the pre-filter passes it to the parser (a file that cannot matter is never parsed).
    workspace.setFile('file:///ws/deep.json', '{"Statement": ' + '['.repeat(300) + ']'.repeat(300) + '}');
    workspace.setFile('file:///ws/roles/main.tf', trustRoleTf('kept'));
    assert.deepEqual(
      workspace.limitedFiles().map((l) => [l.uri, l.reason]),
      [
        ['file:///ws/big/main.tf', 'analysis took longer than the 1000 ms budget for one file'],
        ['file:///ws/deep.json', 'nested more than 200 levels deep'],
      ],
    );
    assert.deepEqual(
      workspace.model().roles.map((r) => r.id),
      ['tf:file:///ws/roles#aws_iam_role.kept'],
    );
    assert.ok(new LimitExceeded('x') instanceof Error);
  });
});

function trustRoleTf(name: string): string {
  return `resource "aws_iam_role" "${name}" {
  name = "${name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:sub" = "system:serviceaccount:demo:${name}" } }
    }]
  })
}
`;
}
