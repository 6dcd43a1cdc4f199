/**
 * Fix-all over several providers in one file: every preferred fix that
 * does not overlap another is applied at once; a second run finds nothing.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis';
import { applyFix } from '../../server/src/edit/edits';
import { fixAllInFile, fixContextOf } from '../../server/src/rules/fixes';
import { initParsers } from '../../server/src/node/host';
import { FIXTURE_ROOT, parseFixture, workspaceOf } from '../support/fixture';
import { ISSUER } from '../support/trust-fixtures';

const TRUST = `${FIXTURE_ROOT}/iam/reader.json`;

before(async () => {
  await initParsers();
});

describe('fix all in a file', () => {
  it('applies the preferred fixes of three rules at once (key scheme, wildcard, missing aud)', () => {
    const workspace = workspaceOf(
      parseFixture(`//- /iam/reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${ISSUER}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "https://${ISSUER}:sub": "system:serviceaccount:payments:reader-*"
        }
      }
    }
  ]
}
//- /k8s/reader.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader-api
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/reader
`),
    );
    const run = (): string | undefined => {
      const fix = fixAllInFile(TRUST, analyze(workspace).findings, fixContextOf(workspace));
      if (!fix) return undefined;
      const text = applyFix((uri) => workspace.text(uri), fix).get(TRUST)!;
      workspace.setFile(TRUST, text);
      return fix.title;
    };
    assert.equal(run(), 'Fix 3 IRSA problems in this file');
    assert.equal(run(), undefined, 'nothing left that fix-all may do');
    assert.ok(workspace.text(TRUST)!.includes(`"${ISSUER}:sub": "system:serviceaccount:payments:reader-api",\n          "${ISSUER}:aud": "sts.amazonaws.com"\n`));
    const remaining = analyze(workspace).findings.filter((f) => f.span.uri === TRUST).map((f) => f.ruleId);
    assert.deepEqual(remaining, []);
  });
});
