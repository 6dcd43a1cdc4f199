/**
 * `irsa-lint --fix` and `--fix-dry-run` on a temporary copy of the cli-fix
 * workspace: the files rewritten exactly, a second run changing nothing,
 * the dry run writing nothing and printing a patch that applies, exit
 * codes, and no write through a symlink.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { unifiedDiff } from '../../server/src/cli/diff';
import { findingHeads, runCli, scratchWorkspace } from './support';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';

const READER_AFTER = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/reader
    eks.amazonaws.com/token-expiration: "600"
    eks.amazonaws.com/sts-regional-endpoints: "true"
`;
const WRITER_AFTER = '\ufeffapiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: writer\r\n  namespace: payments\r\n  annotations:\r\n    eks.amazonaws.com/token-expiration: "7200"\r\n';

function snapshot(dir: string): Map<string, { text: string; mtimeMs: number }> {
  const out = new Map<string, { text: string; mtimeMs: number }>();
  for (const name of ['k8s/reader.yaml', 'k8s/writer.yaml', 'k8s/untouched.yaml', 'roles/reader.json']) {
    const file = path.join(dir, name);
    out.set(name, { text: fs.readFileSync(file, 'utf8'), mtimeMs: fs.statSync(file).mtimeMs });
  }
  return out;
}

describe('irsa-lint --fix', () => {
  it('rewrites the fixable files exactly, keeps BOM and CRLF, leaves the others alone, and exits on what remains', () => {
    const dir = scratchWorkspace('cli-fix');
    const before = snapshot(dir);
    assert.equal(runCli([dir]).status, 1);

    const run = runCli([dir, '--fix']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^irsa-lint: fixed 5 problems in 3 files\n/);
    const after = snapshot(dir);
    assert.equal(after.get('k8s/reader.yaml')!.text, READER_AFTER);
    assert.equal(fs.readFileSync(path.join(dir, 'k8s/writer.yaml'), 'utf8'), WRITER_AFTER);
    const trust = after.get('roles/reader.json')!.text;
    assert.equal(
      trust,
      before
        .get('roles/reader.json')!
        .text.replace('"sts:AssumeRole"', '"sts:AssumeRoleWithWebIdentity"')
        .replace(`:sub": "payments/reader"`, `:sub": "system:serviceaccount:payments:reader"`),
    );
    assert.equal(after.get('k8s/untouched.yaml')!.mtimeMs, before.get('k8s/untouched.yaml')!.mtimeMs, 'a file without fixes is not written');

    const again = runCli([dir, '--fix']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /^irsa-lint: fixed 0 problems in 0 files\n/);
    assert.deepEqual(snapshot(dir), after, 'the second run is a no-op');
  });

  it('exits 1 when an error-level finding remains, and reports it', () => {
    const dir = scratchWorkspace('cli-fix', { 'roles/other.json': otherTrust('payments:*') });
    const run = runCli([dir, '--fix']);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^irsa-lint: fixed 5 problems in 3 files\n/);
    assert.deepEqual(findingHeads(run.stdout), ['roles/other.json:8:103 error trust-wildcard-under-stringequals']);
  });

  it('--fix-dry-run writes nothing, prints a patch that --fix would write, and exits on what would remain', () => {
    const dir = scratchWorkspace('cli-fix');
    const before = snapshot(dir);
    const run = runCli([dir, '--fix-dry-run']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^irsa-lint: would fix 5 problems in 3 files\n/);
    assert.deepEqual(snapshot(dir), before, 'nothing written');
    assert.match(run.stdout, /^--- a\/k8s\/reader\.yaml\n\+\+\+ b\/k8s\/reader\.yaml\n@@ -5,5 \+5,5 @@\n/);
    assert.ok(run.stdout.includes('-    eks.amazonaws.com/token-expiration: "300"\n-    eks.amazonaws.com/sts-regional-endpoints: "yes"\n+    eks.amazonaws.com/token-expiration: "600"\n'));

    // The patch applies and gives exactly what --fix writes.
    const apply = spawnSync('git', ['apply', '-p1', '-'], { cwd: dir, input: run.stdout, encoding: 'utf8' });
    if (apply.error === undefined && apply.status === 0) {
      const fixed = scratchWorkspace('cli-fix');
      runCli([fixed, '--fix']);
      for (const name of snapshot(dir).keys()) assert.equal(fs.readFileSync(path.join(dir, name), 'utf8'), fs.readFileSync(path.join(fixed, name), 'utf8'), name);
    } else {
      assert.fail(`git apply failed: ${apply.stderr}`);
    }
  });

  it('refuses --fix with --fix-dry-run', () => {
    const run = runCli(['cli-fix', '--fix', '--fix-dry-run']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /'--fix' and '--fix-dry-run' do not go together/);
  });

  it('never writes through a symlink, and never follows one out of the directory', () => {
    const outside = scratchWorkspace('cli-fix');
    const dir = scratchWorkspace(undefined);
    fs.mkdirSync(path.join(dir, 'real'));
    fs.copyFileSync(path.join(outside, 'k8s', 'reader.yaml'), path.join(dir, 'real', 'reader.yaml'));
    // Inside the directory: the file is read once, through the first path the walk meets (`inner/`).
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'inner'));
    // Out of the directory: neither read nor written.
    fs.symlinkSync(path.join(outside, 'k8s'), path.join(dir, 'linked'));
    const before = snapshot(outside);
    const realBefore = fs.readFileSync(path.join(dir, 'real', 'reader.yaml'), 'utf8');
    const run = runCli([dir, '--fix']);
    assert.match(run.stderr, /^irsa-lint: fixed 0 problems in 0 files\n/);
    assert.match(run.stderr, /skipped linked: symbolic link to a path outside the workspace/);
    assert.deepEqual(snapshot(outside), before);
    assert.equal(fs.readFileSync(path.join(dir, 'real', 'reader.yaml'), 'utf8'), realBefore);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(findingHeads(run.stdout).includes('inner/reader.yaml:8:41 warning sa-token-expiration'), 'the finding stays reported');
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts and marks a missing final newline', () => {
    assert.equal(unifiedDiff('f', 'a\n', 'a\n'), '');
    assert.equal(unifiedDiff('f', 'a\nb', 'a\nc'), '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
  });

  it('keeps hunks apart when changes are far apart, and counts an insertion', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const after = [...lines];
    after[1] = 'x1';
    after.splice(15, 0, 'new');
    assert.equal(
      unifiedDiff('f', `${lines.join('\n')}\n`, `${after.join('\n')}\n`),
      '--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n l0\n-l1\n+x1\n l2\n l3\n l4\n@@ -13,6 +13,7 @@\n l12\n l13\n l14\n+new\n l15\n l16\n l17\n',
    );
  });
});

function otherTrust(sub: string): string {
  return `{
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${ISSUER}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": { "${ISSUER}:sub": "system:serviceaccount:${sub}", "${ISSUER}:aud": "sts.amazonaws.com" }
      }
    }
  ]
}
`;
}
