import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { READER_ROLE_ARN as ROLE_ARN, serviceAccountTerraform, serviceAccountYamlWithRole as yaml } from '../../support/service-account-fixtures';

before(async () => {
  await initParsers();
});

const terraform = (roleArn: string): string => serviceAccountTerraform('eks.amazonaws.com/role-arn', `"${roleArn}"`);

const eksctl = (roleArn: string): string => `//- /eksctl/cluster.yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: demo
  region: eu-west-1
iam:
  withOIDC: true
  serviceAccounts:
    - metadata:
        name: reader
        namespace: payments
      attachRoleARN: ${roleArn}
`;

describe('fixes for sa-role-arn-malformed', () => {
  const RULE = 'sa-role-arn-malformed';
  const cases: [string, string][] = [
    ['arn:aws:iam:111122223333:role/reader', 'the missing colon'],
    ['arn:aws:iam::111122223333:reader', 'the missing role/'],
    ['"arn:aws:iam::111122223333:role/reader "', 'trailing white space'],
  ];
  for (const [written, what] of cases) {
    it(`corrects ${what} in YAML (preferred)`, () => {
      const after = written.startsWith('"') ? `"${ROLE_ARN}"` : ROLE_ARN;
      checkFix({ rule: RULE, title: `Correct the role ARN to \`${ROLE_ARN}\``, preferred: true, before: yaml(written), after: yaml(after) });
    });
  }

  it('corrects a Terraform annotation', () => {
    checkFix({ rule: RULE, title: `Correct the role ARN to \`${ROLE_ARN}\``, before: terraform('arn:aws:iam:111122223333:role/reader'), after: terraform(ROLE_ARN) });
  });

  it("corrects eksctl's attachRoleARN", () => {
    checkFix({ rule: RULE, title: `Correct the role ARN to \`${ROLE_ARN}\``, before: eksctl('arn:aws:iam::111122223333:reader'), after: eksctl(ROLE_ARN) });
  });

  it('offers nothing when the intended role is not plain', () => {
    checkNoFix(yaml('reader'), RULE);
    checkNoFix(yaml('arn:aws:sts::111122223333:assumed-role/reader/session'), RULE);
    checkNoFix(yaml('arn:aws:iam::111122223333:policy/reader'), RULE);
    checkNoFix(yaml('arn:aws:iam::11112222333:role/reader'), RULE);
  });
});
