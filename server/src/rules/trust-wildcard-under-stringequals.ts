import { claimValues, eksStatements, hasWildcard, STS_ACCESS_DENIED } from './support/common';
import type { Rule } from './types';

/** `StringEquals` compares literally: `*` is an asterisk, so the condition matches no real token. */
export const rule: Rule = {
  meta: { id: 'trust-wildcard-under-stringequals', defaultSeverity: 'error', title: 'Wildcard in a StringEquals sub condition matches nothing' },
  check(model, report) {
    for (const { statement } of eksStatements(model)) {
      for (const v of claimValues(statement, 'sub')) {
        if (v.semantics !== 'equals' || !hasWildcard(v.value)) continue;
        report({
          span: v.span,
          message:
            `\`${v.condition.operator.value}\` compares literally, so \`${v.value}\` matches only a subject containing a literal ` +
            `\`${v.value.includes('*') ? '*' : '?'}\`: no pod's token matches and STS answers ${STS_ACCESS_DENIED}. ` +
            `Use the exact \`system:serviceaccount:<namespace>:<name>\`, or StringLike if you really mean a pattern (it widens access).`,
          data: { value: v.value },
        });
      }
    }
  },
};
