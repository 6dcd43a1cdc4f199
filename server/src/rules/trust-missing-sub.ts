import { isKnown } from '../common/value';
import { conditionsForClaim, splitConditionKey } from '../index/irsa';
import { claimKeyFor, principalAnchor, STS_ACCESS_DENIED } from './support/common';
import { forEachEksStatement } from './support/memo';
import type { Rule } from './types';

/** An EKS web-identity statement without a `:sub` condition admits every ServiceAccount of the cluster. */
const ID = 'trust-missing-sub';

export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'Web-identity trust statement for an EKS issuer has no :sub condition' },
  check(model, report) {
    forEachEksStatement(
      model,
      ID,
      [],
      ({ statement }, report) => {
        // A condition the tool could not read might be the sub condition.
        if (!statement.conditionsComplete) return;
        if (conditionsForClaim(statement, 'sub').length > 0) return;
        // So might a condition whose key is computed (`variable = var.key`): its claim is not known.
        if (statement.conditions.some((c) => !isKnown(c.key.value) && splitConditionKey(c.key.value) === undefined)) return;
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
