/**
 * What a big repository needs to adopt irsa-lint: baselines (robust to
 * lines moving, shrinking as findings are fixed), the rule list, `warn`
 * for `warning`, "did you mean" for a mistyped rule id, and `--quiet`
 * saying what it hid. On the cli-roots fixture: one error in gitops/, one
 * warning in infra/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/rules/registry';
import { findingHeads, runCli, scratchWorkspace } from './support';

const BILLING_SA = 'gitops/apps/billing/serviceaccount.yaml';
const MISMATCH = `${BILLING_SA}:8:33 error sa-role-trust-mismatch`;
const UNUSED_SUB = 'infra/iam/workload-roles.tf:40:19 warning trust-sub-no-service-account';

function baselineOf(dir: string, file = 'irsa-baseline.json'): { ruleId: string; path: string; fingerprint: string }[] {
  return (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { findings: { ruleId: string; path: string; fingerprint: string }[] }).findings;
}

describe('irsa-lint baselines', () => {
  it('--write-baseline records every finding and reports none; --baseline then stays quiet, even after lines move', () => {
    const dir = scratchWorkspace('cli-roots');
    const write = runCli(['.', '--write-baseline', 'irsa-baseline.json'], { cwd: dir });
    assert.equal(write.status, 0, write.stderr);
    assert.equal(write.stdout, '');
    assert.match(write.stderr, /irsa-lint: wrote 2 findings to the baseline irsa-baseline\.json\n/);
    assert.deepEqual(
      baselineOf(dir).map((e) => `${e.ruleId} ${e.path}`),
      [`sa-role-trust-mismatch ${BILLING_SA}`, 'trust-sub-no-service-account infra/iam/workload-roles.tf'],
    );

    // Lines move in both files: a comment on top of each.
    for (const file of [BILLING_SA, 'infra/iam/workload-roles.tf']) fs.writeFileSync(path.join(dir, file), `# moved down\n${fs.readFileSync(path.join(dir, file), 'utf8')}`);
    const again = runCli(['.', '--baseline', 'irsa-baseline.json'], { cwd: dir });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /irsa-lint: 2 findings in the baseline irsa-baseline\.json not reported\n/);
  });

  it('reports a new finding beside baselined ones, and fails on it', () => {
    const dir = scratchWorkspace('cli-roots');
    runCli(['.', '--write-baseline', 'irsa-baseline.json'], { cwd: dir });
    // A second ServiceAccount on the same mismatched role: a new error, not in the baseline.
    fs.writeFileSync(path.join(dir, 'gitops/apps/billing/reports-sa.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reports\n  namespace: payments\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::444455556666:role/billing-worker\n');
    const run = runCli(['.', '--baseline', 'irsa-baseline.json'], { cwd: dir });
    assert.equal(run.status, 1, run.stderr);
    assert.ok(findingHeads(run.stdout).some((h) => h.startsWith('gitops/apps/billing/reports-sa.yaml:7:')), run.stdout);
    assert.ok(!findingHeads(run.stdout).includes(MISMATCH), 'the baselined finding stays hidden');
  });

  it('shrinks: a fixed finding leaves an unmatched entry, and --baseline F --write-baseline F drops it without adding new ones', () => {
    const dir = scratchWorkspace('cli-roots');
    runCli(['.', '--write-baseline', 'irsa-baseline.json'], { cwd: dir });
    const sa = path.join(dir, BILLING_SA);
    fs.writeFileSync(sa, fs.readFileSync(sa, 'utf8').replace('namespace: payments', 'namespace: billing'));
    // And a new warning elsewhere, which shrinking must not record.
    fs.writeFileSync(path.join(dir, 'infra/iam/extra.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::444455556666:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'oidc.eks.eu-central-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9:sub': 'system:serviceaccount:shop:orders-api' } } }] }, null, 2));
    const stale = runCli(['.', '--baseline', 'irsa-baseline.json'], { cwd: dir });
    assert.match(stale.stderr, /irsa-lint: 2 baseline entries no longer match a finding \(fixed\?\): --baseline irsa-baseline\.json --write-baseline irsa-baseline\.json drops them\n/);
    const shrink = runCli(['.', '--baseline', 'irsa-baseline.json', '--write-baseline', 'irsa-baseline.json'], { cwd: dir });
    assert.match(shrink.stderr, /wrote 0 findings to the baseline/);
    assert.deepEqual(baselineOf(dir), []);
    assert.notEqual(shrink.stdout, '', 'the new finding is reported, not recorded');
  });

  it('counts identical findings: one entry excuses one of them', () => {
    const dir = scratchWorkspace('cli-roots');
    runCli(['.', '--write-baseline', 'irsa-baseline.json'], { cwd: dir });
    const entries = baselineOf(dir);
    fs.writeFileSync(path.join(dir, 'irsa-baseline.json'), JSON.stringify({ version: 1, tool: 'irsa-lint', findings: entries.filter((e) => e.ruleId !== 'sa-role-trust-mismatch') }));
    assert.deepEqual(findingHeads(runCli(['.', '--baseline', 'irsa-baseline.json'], { cwd: dir }).stdout), [MISMATCH]);
  });

  it('keeps paths relative to the baseline file, so it works from a subdirectory', () => {
    const dir = scratchWorkspace('cli-roots');
    runCli(['.', '--write-baseline', 'irsa-baseline.json'], { cwd: dir });
    const run = runCli(['..', '--baseline', '../irsa-baseline.json'], { cwd: path.join(dir, 'gitops') });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
  });

  it('refuses a baseline that is missing or not one (exit 2)', () => {
    const dir = scratchWorkspace('cli-roots', { 'other.json': '{"version": 1, "findings": [{"ruleId": 3}]}', 'broken.json': '{' });
    assert.deepEqual(
      ['missing.json', 'other.json', 'broken.json'].map((f) => {
        const run = runCli(['.', '--baseline', f], { cwd: dir });
        return `${run.status} ${run.stderr.split('\n')[0]}`;
      }),
      [
        '2 irsa-lint: cannot read baseline missing.json (ENOENT)',
        '2 irsa-lint: baseline other.json is not an irsa-lint baseline (version 1); write one with --write-baseline other.json',
        '2 irsa-lint: baseline broken.json is not JSON; write one with --write-baseline broken.json',
      ],
    );
  });
});

describe('irsa-lint rule ids and severities', () => {
  it('--list-rules lists every rule with its default severity and title', () => {
    const run = runCli(['--list-rules']);
    assert.equal(run.status, 0, run.stderr);
    for (const { meta } of RULES) assert.match(run.stdout, new RegExp(`^${meta.id} +${meta.defaultSeverity} +(fix)? +${meta.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(run.stdout, /docs\/rules\/<rule-id>\.md/);
  });

  it('accepts warn for warning, in --rule and in .irsa-lint.json', () => {
    const dir = scratchWorkspace('cli-roots', { '.irsa-lint.json': '{ "rules": { "trust-sub-no-service-account": "off" } }' });
    assert.deepEqual(findingHeads(runCli(['.', '--rule', 'sa-role-trust-mismatch=warn'], { cwd: dir }).stdout), [`${BILLING_SA}:8:33 warning sa-role-trust-mismatch`]);
    fs.writeFileSync(path.join(dir, '.irsa-lint.json'), '{ "rules": { "sa-role-trust-mismatch": "warn" } }');
    const run = runCli(['.'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), [`${BILLING_SA}:8:33 warning sa-role-trust-mismatch`, UNUSED_SUB]);
  });

  it('suggests the rule id meant, in --rule and in .irsa-lint.json', () => {
    const dir = scratchWorkspace('cli-roots', { '.irsa-lint.json': '{ "rules": { "trust-missing-audience": "off" } }', 'empty-config.json': '{ "rules": {} }' });
    const inFile = runCli(['.'], { cwd: dir });
    assert.equal(inFile.status, 2);
    assert.match(inFile.stderr, /Unknown rule id "trust-missing-audience"; did you mean "trust-missing-aud"\?/);
    const onLine = runCli(['.', '--rule', 'sa-role-trust-missmatch=off', '--config', 'empty-config.json'], { cwd: dir });
    assert.equal(onLine.status, 2);
    assert.match(onLine.stderr, /unknown rule id 'sa-role-trust-missmatch' in --rule; did you mean "sa-role-trust-mismatch"\?/);
    assert.doesNotMatch(runCli(['.', '--rule', 'completely-else=off', '--config', 'empty-config.json'], { cwd: dir }).stderr, /did you mean/);
  });

  it('--quiet says how many findings it hid', () => {
    const run = runCli(['cli-roots', '--quiet']);
    assert.equal(run.status, 1);
    assert.deepEqual(findingHeads(run.stdout), [MISMATCH]);
    assert.equal(run.stderr, '✖ 1 problem (1 error, 0 warnings, 0 notes)\nirsa-lint: --quiet hid 1 warning\n');
  });
});

describe('irsa-lint ignore entries in .irsa-lint.json', () => {
  const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9';
  // Both condition keys carry https://: two trust-condition-key-scheme errors, lines 12 and 13.
  const trust = JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`https://${ISSUER}:sub`]: 'system:serviceaccount:payments:reader', [`https://${ISSUER}:aud`]: 'sts.amazonaws.com' } },
        },
      ],
    },
    null,
    2,
  );
  const pointer = (key: string): string => `/Statement/0/Condition/StringEquals/https:~1~1${ISSUER.replace(/\//g, '~1')}:${key}`;
  const heads = (dir: string): string[] => findingHeads(runCli(['.', '--rule', 'trust-sub-no-service-account=off'], { cwd: dir }).stdout);

  it('an entry with "at" silences the finding at that JSON Pointer and below, and nothing else', () => {
    const dir = scratchWorkspace(undefined, { 'iam/reader-trust.json': trust });
    assert.deepEqual(heads(dir), ['iam/reader-trust.json:12:11 error trust-condition-key-scheme', 'iam/reader-trust.json:13:11 error trust-condition-key-scheme']);
    fs.writeFileSync(path.join(dir, '.irsa-lint.json'), JSON.stringify({ ignore: [{ file: 'iam/reader-trust.json', rule: 'trust-condition-key-scheme', at: pointer('sub') }] }));
    assert.deepEqual(heads(dir), ['iam/reader-trust.json:13:11 error trust-condition-key-scheme']);
    // A pointer to the statement covers both; the same entry for another rule covers neither.
    fs.writeFileSync(path.join(dir, '.irsa-lint.json'), JSON.stringify({ ignore: [{ file: './iam/reader-trust.json', rule: 'trust-condition-key-scheme', at: '/Statement/0' }] }));
    assert.deepEqual(heads(dir), []);
    fs.writeFileSync(path.join(dir, '.irsa-lint.json'), JSON.stringify({ ignore: [{ file: 'iam/reader-trust.json', rule: 'trust-missing-aud', at: '/Statement/0' }] }));
    assert.equal(heads(dir).length, 2);
    // Without "at": the whole file.
    fs.writeFileSync(path.join(dir, '.irsa-lint.json'), JSON.stringify({ ignore: [{ file: 'iam/reader-trust.json', rule: 'trust-condition-key-scheme' }] }));
    assert.deepEqual(heads(dir), []);
  });

  it('a malformed entry fails the run and says which entry and why, without echoing the file name', () => {
    const dir = scratchWorkspace(undefined, {
      'iam/reader-trust.json': trust,
      '.irsa-lint.json': JSON.stringify({ ignore: [{ file: '../secret-token-abc', rule: 'trust-condition-key-scheme' }, { file: 'a.json', rule: 'trust-condition-key-shceme' }, { file: 'a.json', rule: 'trust-missing-aud', at: 'Statement' }, { file: 'a.json', rule: 'trust-missing-aud', line: 3 }] }),
    });
    const run = runCli(['.'], { cwd: dir });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /ignore\[0\]\.file must be a path relative to the folder of \.irsa-lint\.json/);
    assert.match(run.stderr, /ignore\[1\]\.rule: unknown rule id "trust-condition-key-shceme"; did you mean "trust-condition-key-scheme"\?/);
    assert.match(run.stderr, /ignore\[2\]\.at must be a JSON Pointer/);
    assert.match(run.stderr, /ignore\[3\]: unknown key "line"/);
    assert.doesNotMatch(run.stderr, /secret-token/);
  });
});
