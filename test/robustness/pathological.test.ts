/**
 * Inputs built to make the engine do exponential or unbounded work
 * (issue #12), through the CLI spawned as users run it: each run must end,
 * with the findings a plain input of the same shape gets. The bounds below
 * are generous "it did not hang" limits for a loaded CI machine; each of
 * these inputs took from 23 s to several minutes before the fix.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findingHeads, runCli, scratchWorkspace } from '../cli/support';
import { TRUST_POLICY, TRUST_POLICY_TEXT } from './samples';
import { MAX_JSON_NODES, MAX_YAML_NODES } from '../../server/src/common/node-count';
import { Workspace } from '../../server/src/index/workspace';
import { initParsers } from '../../server/src/node/host';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';

/** A role whose trust policy is written as a JSON object inside `jsonencode` (HCL reads JSON object syntax). */
function webIdentityRole(name: string, action: string, sub: string): string {
  const statement = {
    ...TRUST_POLICY.Statement[0],
    Action: action,
    Condition: { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${ISSUER}:sub`]: sub } },
  };
  return `resource "aws_iam_role" "${name}" {\n  name = "${name}"\n  assume_role_policy = jsonencode(${JSON.stringify({ ...TRUST_POLICY, Statement: [statement] }, null, 2)})\n}\n`;
}

/** Runs the CLI and says how long it took. */
function timedRun(dir: string): { run: ReturnType<typeof runCli>; ms: number } {
  const started = Date.now();
  const run = runCli([dir, '--exit-zero']);
  return { run, ms: Date.now() - started };
}

describe('pathological inputs through the CLI', () => {
  it('wildcards: a StringLike sub with 30 `*` used by a ServiceAccount, and an Action with 21 `*`', () => {
    const dir = scratchWorkspace(undefined, {
      'roles/app.tf': webIdentityRole('app', 'sts:AssumeRoleWithWebIdentity', 'system:serviceaccount:' + '*a'.repeat(30) + 'x'),
      'roles/act.tf': webIdentityRole('act', 'sts:' + '*'.repeat(21) + 'x', 'system:serviceaccount:demo:x'),
      'sa.yaml': `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${'a'.repeat(60)}\n  namespace: ${'a'.repeat(30)}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n`,
    });
    const { run, ms } = timedRun(dir);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), [
      // No ServiceAccount carries role `act`.
      'roles/act.tf:1:1 note role-unused',
      'roles/act.tf:11:17 error trust-action-mismatch',
      'roles/act.tf:17:87 note trust-sub-no-service-account',
      'roles/app.tf:17:87 warning trust-sub-wildcard',
      'sa.yaml:7:33 error sa-role-trust-mismatch',
    ]);
    assert.ok(ms < 20_000, `took ${ms} ms`);
  });

  it('Terraform regular expressions: /^(a+)+$/ in replace(), and a regex() whose value the rules then read', () => {
    const dir = scratchWorkspace(undefined, {
      'roles/app.tf': [
        `locals {\n  slow = replace("${'a'.repeat(40)}b", "/^(a+)+$/", "x")\n  name = regex("[a-z]+", "123reader")\n}\n`,
        webIdentityRole('app', 'sts:AssumeRoleWithWebIdentity', 'system:serviceaccount:${local.slow}:${local.name}'),
      ].join(''),
      // The rule looks for ServiceAccounts only in a workspace that defines some.
      'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: other\n  namespace: demo\n',
    });
    const { run, ms } = timedRun(dir);
    assert.equal(run.status, 0, run.stderr);
    // Both values are known: the sub names a ServiceAccount the workspace does not define.
    assert.match(run.stdout, new RegExp(`No ServiceAccount '${'a'.repeat(40)}b/reader'`));
    assert.ok(ms < 20_000, `took ${ms} ms`);
  });

  it('YAML and JSON with hundreds of thousands of nodes: refused before parsing, within the time budget and 200 MB of heap', () => {
    const files: Record<string, string> = { 'good.json': TRUST_POLICY_TEXT };
    // Just under the default 2048 KB size limit: each took 8-10 s and about 750 MB before the node cap.
    const size = 1_900_000;
    // Each in a shape the pre-filter passes (a ServiceAccount, a policy): a file that cannot matter is never parsed at all.
    for (let i = 0; i < 4; i++) files[`flow${i}.yaml`] = `kind: ServiceAccount\nx: [${'a,'.repeat(size / 2)}a]\n`;
    files['block.yaml'] = `kind: ServiceAccount\nx:\n${'- a\n'.repeat(size / 4)}`;
    files['array.json'] = `{"Statement": [${'1,'.repeat(size / 2)}1]}`;
    const dir = scratchWorkspace(undefined, files);
    const started = Date.now();
    // A heap limit makes memory a failure, not a figure: V8 aborts the process past it.
    const run = runCli([dir, '--exit-zero'], { env: { NODE_OPTIONS: '--max-old-space-size=200' } });
    const ms = Date.now() - started;
    assert.equal(run.status, 0, run.stderr);
    assert.ok(findingHeads(run.stdout).includes('good.json:7:22 warning trust-missing-aud'), run.stdout);
    for (let i = 0; i < 4; i++) assert.match(run.stderr, new RegExp(`skipped flow${i}\\.yaml: more than ${MAX_YAML_NODES} YAML nodes`));
    assert.match(run.stderr, new RegExp(`skipped block\\.yaml: more than ${MAX_YAML_NODES} YAML nodes`));
    assert.match(run.stderr, new RegExp(`skipped array\\.json: more than ${MAX_JSON_NODES} JSON values`));
    assert.ok(ms < 15_000, `took ${ms} ms`);
  });
});

describe('the time budget reaches every step of a file', () => {
  it('Terraform evaluation: a module whose locals multiply out is cut at the budget, not run to its end', async () => {
    await initParsers();
    // The budget counts clock readings (one "millisecond" each), so the outcome does not depend on the machine's load.
    // Parsing this small file reads the clock a few times; evaluating the nested for expressions, hundreds of times.
    let ticks = 0;
    const workspace = new Workspace({ fileBudgetMs: 300, clock: () => ticks++ });
    const items = Array.from({ length: 40 }, (_, i) => `"${i}"`).join(', ');
    workspace.setFile(
      'file:///ws/m/main.tf',
      `locals {\n  x = [${items}]\n  y = [for a in local.x : [for b in local.x : [for c in local.x : "\${a}\${b}\${c}"]]]\n}\n` +
        'resource "kubernetes_service_account_v1" "sa" {\n  metadata {\n    name = element(flatten(local.y), 7)\n  }\n}\n',
    );
    assert.deepEqual(
      workspace.limitedFiles().map((l) => [l.uri, l.reason]),
      [['file:///ws/m', 'Terraform module: analysis took longer than the 300 ms budget for one file']],
    );
  });
});

describe('the time budget of a Terraform directory', () => {
  // Each file costs a few hundred clock readings to extract (one reading per 64 checks): under a 100 ms budget per file,
  // a directory of such files fits only because its budget is its files' together.
  const role = (i: number): string =>
    `resource "aws_iam_role" "r${i}" {\n  name = "r${i}"\n  assume_role_policy = jsonencode({ Statement = [for a in local.x : { Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity", Sid = "\${a}" }] })\n}\n`;
  const locals = `locals {\n  x = [${Array.from({ length: 30 }, (_, i) => `"${i}"`).join(', ')}]\n}\n`;

  async function extractionTicks(files: number): Promise<number> {
    let ticks = 0;
    const workspace = new Workspace({ fileBudgetMs: 1_000_000, clock: () => ticks++ });
    workspace.setFile('file:///ws/iam/locals.tf', locals);
    for (let i = 0; i < files; i++) workspace.setFile(`file:///ws/iam/r${i}.tf`, role(i));
    workspace.model();
    return ticks;
  }

  it('is the per-file budget times its files: a large module is read, not skipped', async () => {
    await initParsers();
    const perFile = Math.ceil((await extractionTicks(1)) / 2) + 5;
    // Every file alone fits its budget; the twelve together exceed one file's budget but not thirteen files'.
    assert.ok((await extractionTicks(12)) > perFile, 'the directory costs more than one file is allowed');
    let ticks = 0;
    const workspace = new Workspace({ fileBudgetMs: perFile, clock: () => ticks++ });
    workspace.setFile('file:///ws/iam/locals.tf', locals);
    for (let i = 0; i < 12; i++) workspace.setFile(`file:///ws/iam/r${i}.tf`, role(i));
    assert.deepEqual(workspace.limitedFiles(), []);
    assert.equal(workspace.model().roles.length, 12);
  });

  it('names the directory and its size when even that runs out', async () => {
    await initParsers();
    let ticks = 0;
    const workspace = new Workspace({ fileBudgetMs: 300, clock: () => ticks++ });
    const items = Array.from({ length: 40 }, (_, i) => `"${i}"`).join(', ');
    workspace.setFile('file:///ws/m/locals.tf', `locals {\n  x = [${items}]\n  y = [for a in local.x : [for b in local.x : [for c in local.x : "\${a}\${b}\${c}"]]]\n}\n`);
    workspace.setFile('file:///ws/m/main.tf', 'resource "kubernetes_service_account_v1" "sa" {\n  metadata {\n    name = element(flatten(local.y), 7)\n  }\n}\n');
    assert.deepEqual(
      workspace.limitedFiles().map((l) => [l.uri, l.reason]),
      [['file:///ws/m', 'Terraform module: analysis took longer than the 600 ms budget for a Terraform directory of 2 files']],
    );
  });

  it('stops growing at 15 files: a runaway in a large directory still ends', async () => {
    await initParsers();
    const items = Array.from({ length: 40 }, (_, i) => `"${i}"`).join(', ');
    const load = (workspace: Workspace): void => {
      workspace.setFile('file:///ws/m/locals.tf', `locals {\n  x = [${items}]\n  y = [for a in local.x : [for b in local.x : [for c in local.x : "\${a}\${b}\${c}"]]]\n}\n`);
      workspace.setFile('file:///ws/m/main.tf', 'resource "kubernetes_service_account_v1" "sa" {\n  metadata {\n    name = element(flatten(local.y), 7)\n  }\n}\n');
      for (let i = 0; i < 18; i++) workspace.setFile(`file:///ws/m/v${i}.tf`, `variable "v${i}" {}\n`);
    };
    // What reading the 20 files costs in clock readings, parsing (a few per file) and extracting (most of it) together.
    let ticks = 0;
    const unbounded = new Workspace({ fileBudgetMs: 1_000_000_000, clock: () => ticks++ });
    load(unbounded);
    unbounded.model();
    // Twenty files' budget would cover it (20 × cost / 18), fifteen files' does not.
    const perFile = Math.ceil(ticks / 18);
    ticks = 0;
    const workspace = new Workspace({ fileBudgetMs: perFile, clock: () => ticks++ });
    load(workspace);
    assert.deepEqual(
      workspace.limitedFiles().map((l) => [l.uri, l.reason]),
      [['file:///ws/m', `Terraform module: analysis took longer than the ${15 * perFile} ms budget for a Terraform directory of 20 files`]],
    );
  });
});

describe('paths', () => {
  it('names that are not valid UTF-8: reported with the reason, the rest analysed', () => {
    const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT });
    const latin1 = (name: string, byte: number): Buffer => Buffer.concat([Buffer.from(path.join(dir, name)), Buffer.from([byte])]);
    fs.mkdirSync(latin1('caf', 0xe9));
    fs.writeFileSync(Buffer.concat([latin1('caf', 0xe9), Buffer.from('/trust.json')]), TRUST_POLICY_TEXT);
    fs.writeFileSync(Buffer.concat([latin1('x', 0xff), Buffer.from('.json')]), TRUST_POLICY_TEXT);
    const run = runCli([dir, '--exit-zero']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), ['good.json:7:22 warning trust-missing-aud']);
    assert.match(run.stderr, /skipped caf\uFFFD: its name is not valid UTF-8/);
    assert.match(run.stderr, /skipped x\uFFFD\.json: its name is not valid UTF-8/);
  });

  it('a file reached through a symbolic link inside the workspace is analysed once, through its own path', () => {
    const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT, 'node_modules/pkg/trust.json': TRUST_POLICY_TEXT });
    fs.symlinkSync('good.json', path.join(dir, 'alias.json'));
    fs.symlinkSync(path.join(dir, 'good.json'), path.join(dir, 'zz-alias.json'));
    // The only path to this one is the link: it is read through it.
    fs.symlinkSync('node_modules/pkg/trust.json', path.join(dir, 'vendored.json'));
    const run = runCli([dir, '--exit-zero']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), ['good.json:7:22 warning trust-missing-aud', 'vendored.json:7:22 warning trust-missing-aud']);
  });
});
