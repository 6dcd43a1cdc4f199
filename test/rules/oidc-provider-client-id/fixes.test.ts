import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { ISSUER, trustPolicy } from '../../support/trust-fixtures';

before(async () => {
  await initParsers();
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
