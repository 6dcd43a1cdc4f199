/**
 * Inputs built to make the engine do exponential or unbounded work
 * (issue #12), through the CLI spawned as users run it: each run must end,
 * with the findings a plain input of the same shape gets. The bounds below
 * are generous "it did not hang" limits for a loaded CI machine; each of
 * these inputs took from 23 s to several minutes before the fix.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingHeads, runCli, scratchWorkspace } from '../cli/support';
import { TRUST_POLICY } from './samples';

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
    assert.match(run.stdout, new RegExp(`No ServiceAccount \`${'a'.repeat(40)}b/reader\``));
    assert.ok(ms < 20_000, `took ${ms} ms`);
  });
});
