import { lacksClaimCondition } from '../index/irsa';
import { claimKeyFor, principalAnchor, STS_ACCESS_DENIED } from './support/common';
import { forEachEksStatement } from './support/memo';
import type { Rule } from './types';

const ID = 'trust-missing-sub';

/** An EKS web-identity statement without a `:sub` condition admits every ServiceAccount of the cluster. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'Web-identity trust statement for an EKS issuer has no :sub condition' },
  check(model, report) {
    forEachEksStatement(
      model,
      ID,
      [],
      ({ statement }, report) => {
        if (!lacksClaimCondition(statement, 'sub')) return;
        const key = claimKeyFor(statement, 'sub');
        report({
          span: principalAnchor(statement),
          message:
            `This trust statement has no \`${key}\` condition, so every ServiceAccount in the cluster can assume the role: ` +
            `any pod with a projected token from this issuer gets its permissions. ` +
            `Add a StringEquals condition on \`${key}\` with \`system:serviceaccount:<namespace>:<name>\` ` +
            `(the pods you did not mean will then get ${STS_ACCESS_DENIED}, as they should).`,
          data: { claim: 'sub', key },
        });
      },
      report,
    );
  },
};
