import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { READER_SUBJECT as SUBJECT, TRUST_SYNTAXES, trustPolicy } from '../../support/trust-fixtures';

before(async () => {
  await initParsers();
});

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
