import { before, describe, it } from 'node:test';
import { initParsers } from '../../server/src/node/host';
import { checkFix, checkNoFix } from '../support/fixes';
import { ISSUER, OTHER_ISSUER, providerArn, TRUST_SYNTAXES, trustPolicy } from '../support/trust-fixtures';

before(async () => {
  await initParsers();
});

const SUBJECT = 'system:serviceaccount:payments:reader';

const provider = (issuer: string): string => `//- /infra/oidc.tf
resource "aws_iam_openid_connect_provider" "eks" {
  url            = "https://${issuer}"
  client_id_list = ["sts.amazonaws.com"]
}
`;

const account = (audience?: string): string => `//- /k8s/reader.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/reader${audience ? `\n    eks.amazonaws.com/audience: ${audience}` : ''}
`;

describe('fixes for trust-sub-format', () => {
  const RULE = 'trust-sub-format';
  const near = ['system:serviceaccounts:payments:reader', 'serviceaccount:payments:reader', 'system:serviceaccount:payments/reader', 'payments:reader', 'payments/reader'];
  for (const syntax of TRUST_SYNTAXES) {
    for (const sub of near) {
      it(`rewrites ${sub} in ${syntax} (preferred)`, () => {
        checkFix({ rule: RULE, title: `Rewrite sub as \`${SUBJECT}\``, preferred: true, before: trustPolicy(syntax, { sub }), after: trustPolicy(syntax, { sub: SUBJECT }) });
      });
    }
  }

  it('offers nothing when the intended subject is not plain', () => {
    checkNoFix(trustPolicy('json', { sub: 'system:serviceaccounts:payments' }), RULE);
    checkNoFix(trustPolicy('json', { sub: 'system:serviceaccount' }), RULE);
    checkNoFix(trustPolicy('json', { sub: 'payments:reader:extra' }), RULE);
    checkNoFix(trustPolicy('json', { sub: 'Payments/Reader' }), RULE);
  });

  it('offers nothing for a value from a local', () => {
    const before = trustPolicy('jsonencode', { sub: '${local.subject}' }).replace('resource "aws_iam_role"', 'locals {\n  subject = "payments/reader"\n}\n\nresource "aws_iam_role"');
    checkNoFix(before, RULE);
  });
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

describe('fixes for trust-aud-value', () => {
  const RULE = 'trust-aud-value';
  for (const syntax of TRUST_SYNTAXES) {
    it(`sets the audience the role's ServiceAccount carries in ${syntax} (preferred)`, () => {
      checkFix({
        rule: RULE,
        title: 'Set aud to `sts.amazonaws.com`',
        preferred: true,
        before: trustPolicy(syntax, { aud: 'sts.amazon.com' }) + account(),
        after: trustPolicy(syntax, {}),
      });
    });
  }

  it('without ServiceAccounts, offers the one audience in use, not preferred', () => {
    checkFix({ rule: RULE, title: 'Set aud to `sts.amazonaws.com`', preferred: false, before: trustPolicy('json', { aud: 'https://sts.amazonaws.com' }), after: trustPolicy('json', {}) });
  });

  it('offers nothing for a subject under the aud key', () => {
    checkNoFix(trustPolicy('json', { aud: SUBJECT }), RULE);
  });
});

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
