import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { READER_ROLE_ARN as ROLE_ARN, serviceAccountYamlWithRole as yaml } from '../../support/service-account-fixtures';
import { ISSUER, trustPolicy } from '../../support/trust-fixtures';

before(async () => {
  await initParsers();
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
