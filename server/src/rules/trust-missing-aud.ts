import { lacksClaimCondition } from '../index/irsa';
import { claimKeyFor, principalAnchor } from './support/common';
import { forEachEksStatement } from './support/memo';
import type { Rule } from './types';

const ID = 'trust-missing-aud';

/** Without an `:aud` condition, any audience the provider accepts can be used to assume the role. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'warning', title: 'Web-identity trust statement for an EKS issuer has no :aud condition' },
  check(model, report) {
    forEachEksStatement(
      model,
      ID,
      [],
      ({ statement }, report) => {
        if (!lacksClaimCondition(statement, 'aud')) return;
        const key = claimKeyFor(statement, 'aud');
        report({
          span: principalAnchor(statement),
          message:
            `This trust statement does not pin the token audience: there is no \`${key}\` condition, so a token minted for any ` +
            `audience in the OIDC provider's client-id list can assume the role. ` +
            `Add \`"${key}": "sts.amazonaws.com"\` under StringEquals, next to the sub condition.`,
          data: { claim: 'aud', key },
        });
      },
      report,
    );
  },
};
