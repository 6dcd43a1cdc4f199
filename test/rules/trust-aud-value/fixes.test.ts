import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { READER_ROLE_ARN, serviceAccountYamlWithRole } from '../../support/service-account-fixtures';
import { READER_SUBJECT as SUBJECT, TRUST_SYNTAXES, trustPolicy } from '../../support/trust-fixtures';

before(async () => {
  await initParsers();
});

describe('fixes for trust-aud-value', () => {
  const RULE = 'trust-aud-value';
  for (const syntax of TRUST_SYNTAXES) {
    it(`sets the audience the role's ServiceAccount carries in ${syntax} (preferred)`, () => {
      checkFix({
        rule: RULE,
        title: 'Set aud to `sts.amazonaws.com`',
        preferred: true,
        before: trustPolicy(syntax, { aud: 'sts.amazon.com' }) + serviceAccountYamlWithRole(READER_ROLE_ARN),
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
