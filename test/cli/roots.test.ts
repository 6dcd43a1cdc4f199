/**
 * Several directories and named files. test/fixtures/workspaces/cli-roots
 * holds an infrastructure tree (`infra/`, Terraform roles) and a GitOps tree
 * (`gitops/`, ServiceAccounts): the billing ServiceAccount's namespace does
 * not match its role's trust policy, which only shows when both are read
 * together. Paths print relative to the current directory.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { JsonReport } from '../../server/src/cli/format/json';
import type { SarifLog } from '../../server/src/cli/format/sarif-types';
import { findingHeads, runCli, scratchWorkspace, WORKSPACES } from './support';

const FIXTURE = path.join(WORKSPACES, 'cli-roots');
const BILLING_SA = 'gitops/apps/billing/serviceaccount.yaml';
const ORDERS_SA = 'gitops/apps/orders/serviceaccount.yaml';
const MISMATCH = `${BILLING_SA}:8:33 error sa-role-trust-mismatch`;
const UNUSED_SUB = 'infra/iam/workload-roles.tf:40:19 warning trust-sub-no-service-account';

describe('irsa-lint on several directories', () => {
  it('links a ServiceAccount in one directory to a role in another', () => {
    const both = runCli(['infra', 'gitops'], { cwd: FIXTURE });
    assert.equal(both.status, 1, both.stderr);
    assert.deepEqual(findingHeads(both.stdout), [MISMATCH, UNUSED_SUB]);
    // Each alone sees one half and says nothing: the finding needs both.
    for (const alone of ['infra', 'gitops']) {
      const run = runCli([alone], { cwd: FIXTURE });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, '', alone);
    }
  });

  it('`irsa-lint lint …` is `irsa-lint …` (the default subcommand); ./lint names a directory called lint', () => {
    assert.deepEqual(findingHeads(runCli(['lint', 'infra', 'gitops'], { cwd: FIXTURE }).stdout), [MISMATCH, UNUSED_SUB]);
    const dir = scratchWorkspace(undefined);
    fs.cpSync(FIXTURE, path.join(dir, 'lint'), { recursive: true });
    assert.deepEqual(findingHeads(runCli(['./lint'], { cwd: dir }).stdout), [`lint/${MISMATCH}`, `lint/${UNUSED_SUB}`]);
  });

  it('reads a directory inside another given once', () => {
    const run = runCli(['.', 'infra', './gitops/apps'], { cwd: FIXTURE });
    assert.deepEqual(findingHeads(run.stdout), [MISMATCH, UNUSED_SUB]);
  });

  it('prints paths relative to the current directory, not to the directory scanned', () => {
    const run = runCli(['cli-roots/gitops', 'cli-roots/infra'], { cwd: WORKSPACES });
    assert.deepEqual(findingHeads(run.stdout), [`cli-roots/${MISMATCH}`, `cli-roots/${UNUSED_SUB}`]);
    const json = JSON.parse(runCli(['cli-roots/gitops', 'cli-roots/infra', '--format', 'json'], { cwd: WORKSPACES }).stdout) as JsonReport;
    assert.deepEqual(
      json.findings.map((f) => f.path),
      [`cli-roots/${BILLING_SA}`, 'cli-roots/infra/iam/workload-roles.tf'],
    );
    assert.equal(json.findings[0]!.related[0]!.path, 'cli-roots/infra/iam/workload-roles.tf');
  });

  it('names each file in SARIF relative to its own root, one originalUriBaseIds entry per root', () => {
    const log = JSON.parse(runCli(['gitops', 'infra', '--format', 'sarif'], { cwd: FIXTURE }).stdout) as SarifLog;
    const run = log.runs[0];
    assert.deepEqual(run.originalUriBaseIds, {
      '%SRCROOT%': { uri: `${new URL(`file://${path.join(FIXTURE, 'gitops')}`).href}/` },
      ROOT2: { uri: `${new URL(`file://${path.join(FIXTURE, 'infra')}`).href}/` },
    });
    const [mismatch, unused] = run.results;
    assert.deepEqual(mismatch!.locations[0]!.physicalLocation.artifactLocation, { uri: 'apps/billing/serviceaccount.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(mismatch!.relatedLocations![0]!.physicalLocation.artifactLocation, { uri: 'iam/workload-roles.tf', uriBaseId: 'ROOT2' });
    assert.deepEqual(unused!.locations[0]!.physicalLocation.artifactLocation, { uri: 'iam/workload-roles.tf', uriBaseId: 'ROOT2' });
  });

  it("merges each root's .irsa-lint.json, a later root's setting winning", () => {
    const dir = scratchWorkspace('cli-roots', {
      'infra/.irsa-lint.json': '{ "rules": { "sa-role-trust-mismatch": "warning", "trust-sub-no-service-account": "off" } }',
      'gitops/.irsa-lint.json': '{ "rules": { "sa-role-trust-mismatch": "note" } }',
    });
    assert.deepEqual(findingHeads(runCli(['infra', 'gitops'], { cwd: dir }).stdout), [`${BILLING_SA}:8:33 note sa-role-trust-mismatch`]);
    assert.deepEqual(findingHeads(runCli(['gitops', 'infra'], { cwd: dir }).stdout), [`${BILLING_SA}:8:33 warning sa-role-trust-mismatch`]);
  });
});

describe('irsa-lint on named files (what pre-commit and lint-staged pass)', () => {
  it('analyses the whole workspace and reports only the files named', () => {
    const run = runCli([BILLING_SA], { cwd: FIXTURE });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), [MISMATCH]);
    assert.equal(run.stderr, '✖ 1 problem (1 error, 0 warnings, 0 notes)\n');
    const clean = runCli([ORDERS_SA, 'infra/iam/workload-roles.tf'], { cwd: FIXTURE });
    assert.deepEqual(findingHeads(clean.stdout), [UNUSED_SUB]);
  });

  it('with directories given, analyses them and reports the named files', () => {
    const run = runCli(['infra', 'gitops', ORDERS_SA], { cwd: FIXTURE });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'No problems found in 1 file.\n');
  });

  it('finds the enclosing workspace by its .git (or .irsa-lint.json), from a subdirectory', () => {
    const dir = scratchWorkspace('cli-roots');
    fs.mkdirSync(path.join(dir, '.git'));
    const run = runCli(['apps/billing/serviceaccount.yaml'], { cwd: path.join(dir, 'gitops') });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), ['apps/billing/serviceaccount.yaml:8:33 error sa-role-trust-mismatch']);
    // The related location in the other tree, relative to the current directory too.
    const json = JSON.parse(runCli(['apps/billing/serviceaccount.yaml', '--format', 'json'], { cwd: path.join(dir, 'gitops') }).stdout) as JsonReport;
    assert.equal(json.findings[0]!.related[0]!.path, path.join(dir, 'infra/iam/workload-roles.tf'), 'outside the current directory: absolute');
  });

  it('a file that is not a format irsa-lint reads: nothing to report', () => {
    const dir = scratchWorkspace('cli-roots', { 'notes.txt': 'hello\n' });
    const run = runCli(['notes.txt'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
  });
});
