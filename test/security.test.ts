/**
 * Security guarantees (issue #7): workspace content is never executed,
 * nothing outside the workspace is read (through `file()`/`templatefile()`
 * arguments or through symbolic links), and credentials never reach a log.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { redact } from '../server/src/common/redact';
import { findingHeads, runCli, scratchWorkspace } from './cli/support';
import { hasRule, withServer } from './lsp/harness';
import { TRUST_POLICY_TEXT } from './robustness/samples';

const REPO = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mjs|js)$/.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * A trust policy outside the scanned folder that every rule would flag
 * (a wildcard under StringEquals): if it were read, a finding would say so.
 */
const OUTSIDE_POLICY = TRUST_POLICY_TEXT.replace('system:serviceaccount:demo:s3-reader', 'system:serviceaccount:*');

function roleReading(name: string, read: string): string {
  return `resource "aws_iam_role" "${name}" {\n  name               = "${name}"\n  assume_role_policy = ${read}\n}\n`;
}

/** ws/ is the workspace; outside/ and the absolute paths are not. */
function workspaceWithOutsideReferences(root: string): void {
  fs.mkdirSync(path.join(root, 'outside'), { recursive: true });
  fs.writeFileSync(path.join(root, 'outside', 'trust.json'), OUTSIDE_POLICY);
  fs.mkdirSync(path.join(root, 'ws', 'iam'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'ws', 'iam', 'main.tf'),
    [
      roleReading('relative', 'file("../../outside/trust.json")'),
      roleReading('module_relative', 'file("${path.module}/../../outside/trust.json")'),
      roleReading('absolute', `file("${path.join(root, 'outside', 'trust.json')}")`),
      roleReading('passwd', 'file("../../../../../../../../etc/passwd")'),
      roleReading('template', `templatefile("../../outside/trust.json", { cluster = "x" })`),
      roleReading('linked', 'file("${path.module}/linked.json")'),
    ].join('\n'),
  );
  fs.symlinkSync(path.join(root, 'outside', 'trust.json'), path.join(root, 'ws', 'iam', 'linked.json'));
  fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'ws', 'outside-dir'));
  fs.symlinkSync('/etc', path.join(root, 'ws', 'etc'));
}

describe('security', () => {
  it('never executes workspace content: no child processes, eval or vm in the product code', () => {
    const offenders: string[] = [];
    for (const file of [...sourceFiles(path.join(REPO, 'server', 'src')), ...sourceFiles(path.join(REPO, 'client', 'src'))]) {
      const text = fs.readFileSync(file, 'utf8');
      for (const pattern of [/child_process/, /\beval\s*\(/, /new\s+Function\s*\(/, /['"](node:)?vm['"]/, /\bexecSync\b|\bspawnSync\b|\bexecFile\b/]) {
        if (pattern.test(text)) offenders.push(`${path.relative(REPO, file)}: ${pattern.source}`);
      }
    }
    assert.deepEqual(offenders, [], 'the product never starts a process (no `terraform`, no shell) and never evaluates workspace text as code');
  });

  it('CLI: file()/templatefile() paths and symbolic links out of the workspace are never read', () => {
    const root = scratchWorkspace(undefined, {});
    workspaceWithOutsideReferences(root);
    const run = runCli([path.join(root, 'ws'), '--exit-zero']);
    assert.equal(run.status, 0, run.stderr);
    // Nothing of the outside policy: no wildcard finding, no finding on a path out of ws/.
    assert.ok(!findingHeads(run.stdout).some((h) => h.includes('trust-wildcard-under-stringequals') || h.startsWith('..') || h.startsWith('/')), run.stdout);
    for (const link of ['iam/linked.json', 'outside-dir', 'etc']) assert.match(run.stderr, new RegExp(`skipped ${link}: symbolic link to a path outside the workspace`));
  });

  it('language server: the same workspace as a folder, nothing outside it is read or reported', async () => {
    await withServer({ prepare: workspaceWithOutsideReferences, folders: ['ws'] }, async (server) => {
      await server.waitForScanEnd();
      const logs = server.logMessages.map((m) => m.message).join('\n');
      assert.match(logs, /skipped .*linked\.json: symbolic link to a path outside the workspace/);
      assert.ok(!server.publications.some(([file]) => !file.startsWith('ws/')), `published: ${server.publications.map(([f]) => f).join(', ')}`);
      // A watcher event for the link (a client may report it) does not read it either.
      await server.notifyWatchedFiles([['ws/iam/linked.json', 2]]);
      await server.openDocument('ws/iam/main.tf');
      // An inline policy in the edit gives the file a finding: proof that the edit was analysed.
      await server.replaceInDocument('ws/iam/main.tf', 'file("../../outside/trust.json")', `<<EOF\n${TRUST_POLICY_TEXT}EOF\n`);
      await server.waitForDiagnostics('ws/iam/main.tf', hasRule('trust-missing-aud'));
      assert.ok(!server.publications.some(([, ds]) => ds.some((d) => d.code === 'trust-wildcard-under-stringequals')));
      assert.equal(await server.shutdown(), 0);
    });
  });

  it('credentials, tokens and signatures are masked in everything logged', () => {
    const secrets = [
      ['AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
      ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
      ['{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG"}', 'wJalrXUtnFEMI/K7MDENG'],
      ['AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH', 'IQoJb3JpZ2luX2VjEJr'],
      ['x-amz-security-token: FwoGZXIvYXdzEBYaDH', 'FwoGZXIvYXdzEBYaDH'],
      ['https://b.s3.amazonaws.com/k?X-Amz-Credential=ASIAxyz%2F20260101&X-Amz-Signature=0123456789abcdef0123', '0123456789abcdef0123'],
      ['authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7', '5d672d79c15b'],
    ] as const;
    for (const [line, secret] of secrets) {
      const masked = redact(`request failed: ${line}`);
      assert.ok(!masked.includes(secret), `${masked} still shows ${secret}`);
      assert.ok(masked.startsWith('request failed: '), 'the rest of the line stays');
    }
    const harmless = 'Skipped /work/ws/iam/main.tf: analysis took longer than the 2000 ms budget for one file';
    assert.equal(redact(harmless), harmless);
  });
});
