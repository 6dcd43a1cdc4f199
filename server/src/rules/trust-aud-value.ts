import { SUBJECT_PREFIX } from '../index/irsa';
import { claimValues, eksStatements, hasWildcard, STS_ACCESS_DENIED } from './support/common';
import type { Rule } from './types';

/** An aud value no token in this workspace will carry. */
export const rule: Rule = {
  meta: { id: 'trust-aud-value', defaultSeverity: 'error', title: 'aud condition value cannot be a token audience' },
  check(model, report) {
    const inUse = model.audiencesInUse();
    const list = [...inUse].map((a) => `\`${a}\``).join(', ');
    for (const { statement } of eksStatements(model)) {
      for (const v of claimValues(statement, 'aud')) {
        if (v.value.startsWith(SUBJECT_PREFIX)) {
          report({
            span: v.span,
            message:
              `\`${v.value}\` is a subject, not an audience: the sub and aud conditions look swapped. Tokens carry ` +
              `aud \`sts.amazonaws.com\`, so this condition never matches and STS answers ${STS_ACCESS_DENIED}. ` +
              `Put the subject under the \`:sub\` key and \`sts.amazonaws.com\` under \`:aud\`.`,
            data: { value: v.value, suggestion: 'sts.amazonaws.com' },
          });
          continue;
        }
        if (v.semantics === 'like' && hasWildcard(v.value)) continue;
        if (v.semantics === 'other' || inUse.has(v.value)) continue;
        report({
          span: v.span,
          message:
            `No token in this workspace carries the audience \`${v.value}\` (audiences in use: ${list}), so this condition ` +
            `never matches and STS answers ${STS_ACCESS_DENIED}. Use \`sts.amazonaws.com\`, or the audience set with the ` +
            `\`eks.amazonaws.com/audience\` annotation.`,
          data: { value: v.value, suggestion: 'sts.amazonaws.com' },
        });
      }
    }
  },
};
