import { before, describe, it } from 'node:test';
import { initParsers } from '../../server/src/node/host';
import { checkFix, checkNoFix } from '../support/fixes';
import { ISSUER, trustPolicy } from '../support/trust-fixtures';

before(async () => {
  await initParsers();
});

const ROLE_ARN = 'arn:aws:iam::111122223333:role/reader';

const yaml = (roleArn: string, audience?: string): string => `//- /k8s/reader.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: ${roleArn}${audience ? `\n    eks.amazonaws.com/audience: ${audience}` : ''}
`;

const terraform = (roleArn: string): string => `//- /infra/sa.tf
resource "kubernetes_service_account_v1" "reader" {
  metadata {
    name      = "reader"
    namespace = "payments"
    annotations = {
      "eks.amazonaws.com/role-arn" = "${roleArn}"
    }
  }
}
`;

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

describe('fixes for sa-audience-mismatch', () => {
  const RULE = 'sa-audience-mismatch';
  it('sets the annotation to the audience the trust accepts (preferred for sts.amazonaws.com)', () => {
    checkFix({
      rule: RULE,
      title: 'Set the audience annotation to `sts.amazonaws.com`',
      preferred: true,
      before: trustPolicy('json') + yaml(ROLE_ARN, 'sts.amazon.com'),
      after: yaml(ROLE_ARN, 'sts.amazonaws.com'),
    });
  });

  it('offers the other audience, not preferred', () => {
    const provider = `//- /infra/oidc.tf
resource "aws_iam_openid_connect_provider" "eks" {
  url            = "https://${ISSUER}"
  client_id_list = ["sts.amazonaws.com", "vault"]
}
`;
    checkFix({
      rule: RULE,
      title: 'Set the audience annotation to `vault`',
      preferred: false,
      before: trustPolicy('json', { aud: 'vault' }) + provider + yaml(ROLE_ARN, 'sts.amazonaws.com'),
      after: yaml(ROLE_ARN, 'vault'),
    });
  });

  it('offers nothing for a ServiceAccount with the default audience', () => {
    checkNoFix(trustPolicy('json', { aud: 'vault' }) + yaml(ROLE_ARN), RULE);
  });
});

describe('fixes for oidc-provider-client-id', () => {
  const RULE = 'oidc-provider-client-id';
  const provider = (list: string): string => `//- /infra/oidc.tf
resource "aws_iam_openid_connect_provider" "eks" {
  url            = "https://${ISSUER}"
  client_id_list = ${list}
}
`;
  const before = (list: string): string => trustPolicy('json', { aud: 'vault' }) + provider(list);

  it('appends to a one-line list (not preferred)', () => {
    checkFix({ rule: RULE, title: 'Add `vault` to `client_id_list`', preferred: false, before: before('["sts.amazonaws.com"]'), after: provider('["sts.amazonaws.com", "vault"]') });
  });

  it('fills an empty list', () => {
    checkFix({ rule: RULE, title: 'Add `vault` to `client_id_list`', finding: 0, before: before('[]'), after: provider('["vault"]') });
  });

  it('appends a line to a multi-line list, keeping a trailing comma', () => {
    checkFix({
      rule: RULE,
      title: 'Add `vault` to `client_id_list`',
      before: before('[\n    "sts.amazonaws.com",\n  ]'),
      after: provider('[\n    "sts.amazonaws.com",\n    "vault",\n  ]'),
    });
    checkFix({
      rule: RULE,
      title: 'Add `vault` to `client_id_list`',
      before: before('[\n    "sts.amazonaws.com"\n  ]'),
      after: provider('[\n    "sts.amazonaws.com",\n    "vault"\n  ]'),
    });
  });

  it('offers nothing for a list from an expression', () => {
    checkNoFix(before('concat(["sts.amazonaws.com"], [])'), RULE);
  });
});
