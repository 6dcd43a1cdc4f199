import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { ISSUER, OTHER_ISSUER, providerArn, TRUST_SYNTAXES, trustPolicy } from '../../support/trust-fixtures';

before(async () => {
  await initParsers();
});

const provider = (issuer: string): string => `//- /infra/oidc.tf
resource "aws_iam_openid_connect_provider" "eks" {
  url            = "https://${issuer}"
  client_id_list = ["sts.amazonaws.com"]
}
`;

describe('fixes for trust-issuer-mismatch', () => {
  const RULE = 'trust-issuer-mismatch';
  const stale = { subKey: `${OTHER_ISSUER}:sub`, audKey: `${OTHER_ISSUER}:aud` };

  for (const syntax of TRUST_SYNTAXES) {
    it(`rewrites the key to the principal's issuer in ${syntax}`, () => {
      checkFix({
        rule: RULE,
        title: `Use the principal's issuer in the key: \`${ISSUER}:sub\``,
        preferred: false,
        before: trustPolicy(syntax, { subKey: `${OTHER_ISSUER}:sub` }),
        after: trustPolicy(syntax, {}),
      });
    });
  }

  it('prefers the principal when it names the declared provider', () => {
    checkFix({
      rule: RULE,
      title: `Use the principal's issuer in the key: \`${ISSUER}:sub\``,
      preferred: true,
      before: trustPolicy('json', { subKey: `${OTHER_ISSUER}:sub` }) + provider(ISSUER),
      after: trustPolicy('json', {}),
    });
  });

  it('rewrites the principal when every key names the other issuer, preferred when that is the declared provider', () => {
    checkFix({
      rule: RULE,
      title: `Use the key's issuer in the principal: \`${providerArn(OTHER_ISSUER)}\``,
      finding: 0,
      preferred: true,
      before: trustPolicy('json', stale) + provider(OTHER_ISSUER),
      after: trustPolicy('json', { ...stale, principal: providerArn(OTHER_ISSUER) }),
    });
  });

  it('does not rewrite the principal when another key names its issuer', () => {
    checkNoFix(trustPolicy('json', { subKey: `${OTHER_ISSUER}:sub` }), RULE, `Use the key's issuer in the principal: \`${providerArn(OTHER_ISSUER)}\``);
  });

  it('offers nothing for a key from a local', () => {
    const before = trustPolicy('jsonencode', { subKey: '${local.issuer}:sub' }).replace('resource "aws_iam_role"', `locals {\n  issuer = "${OTHER_ISSUER}"\n}\n\nresource "aws_iam_role"`);
    checkNoFix(before, RULE, `Use the principal's issuer in the key: \`${ISSUER}:sub\``);
  });
});
