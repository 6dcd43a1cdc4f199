import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { ISSUER, providerArn, TRUST_SYNTAXES, trustPolicy } from '../../support/trust-fixtures';

before(async () => {
  await initParsers();
});

describe('fixes for trust-action-mismatch', () => {
  const RULE = 'trust-action-mismatch';
  for (const syntax of TRUST_SYNTAXES) {
    it(`sets the action to AssumeRoleWithWebIdentity in ${syntax} (preferred)`, () => {
      checkFix({
        rule: RULE,
        title: 'Set the action to `sts:AssumeRoleWithWebIdentity`',
        preferred: true,
        before: trustPolicy(syntax, { action: 'sts:AssumeRole' }),
        after: trustPolicy(syntax, {}),
      });
    });
  }

  it('offers nothing without a sub condition: the role would open to every pod', () => {
    checkNoFix(
      `//- /iam/reader.json
{
  "Statement": [{
    "Effect": "Allow",
    "Principal": { "Federated": "${providerArn(ISSUER)}" },
    "Action": "sts:AssumeRole"
  }]
}
`,
      RULE,
    );
  });

  const other = (type: string, value: string, action: string): string => `//- /iam/ci.json
{
  "Statement": [{
    "Effect": "Allow",
    "Principal": { "${type}": "${value}" },
    "Action": "${action}"
  }]
}
`;

  it('sets sts:AssumeRole for a Service principal (not preferred)', () => {
    checkFix({
      rule: RULE,
      title: 'Set the action to `sts:AssumeRole`',
      preferred: false,
      before: other('Service', 'ec2.amazonaws.com', 'sts:AssumeRoleWithWebIdentity'),
      after: other('Service', 'ec2.amazonaws.com', 'sts:AssumeRole'),
    });
  });

  it('offers nothing for an AWS principal: it would open the role to that account', () => {
    checkNoFix(other('AWS', 'arn:aws:iam::444455556666:role/ci', 'sts:AssumeRoleWithWebIdentity'), RULE);
  });
});
