import { SUBJECT_PREFIX } from '../index/irsa';
import { claimValues, hasWildcard, STS_ACCESS_DENIED } from './support/common';
import { forEachEksStatement } from './support/memo';
import type { Rule } from './types';

const ID = 'trust-aud-value';

/** An aud value no token in this workspace will carry. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'aud condition value cannot be a token audience' },
  check(model, report) {
    const inUse = model.audiencesInUse();
    const list = [...inUse].map((a) => `\`${a}\``).join(', ');
    forEachEksStatement(
      model,
      ID,
      [model.audiencesInUse()],
      ({ statement }, report) => {
        const values = claimValues(statement, 'aud');
        for (const v of values) {
          const swapped = v.value.startsWith(SUBJECT_PREFIX);
          if (!swapped && ((v.semantics === 'like' && hasWildcard(v.value)) || v.semantics === 'other' || inUse.has(v.value))) continue;
          // Values of one condition are alternatives: beside a good one, a bad value is dead weight, not a failure.
          const alternative = values.find((o) => o.condition === v.condition && o !== v && inUse.has(o.value) && o.semantics !== 'other');
          const consequence = alternative
            ? `this value never matches (the condition still admits \`${alternative.value}\`). Remove it.`
            : swapped
              ? `this condition never matches and STS answers ${STS_ACCESS_DENIED}. Put the subject under the \`:sub\` key and \`sts.amazonaws.com\` under \`:aud\`.`
              : `this condition never matches and STS answers ${STS_ACCESS_DENIED}. Use \`sts.amazonaws.com\`, or the audience set with the \`eks.amazonaws.com/audience\` annotation.`;
          report({
            span: v.span,
            ...(alternative ? { severity: 'warning' as const } : {}),
            message: swapped
              ? `\`${v.value}\` is a subject, not an audience: the sub and aud conditions look swapped. Tokens carry aud \`sts.amazonaws.com\`, so ${consequence}`
              : `No token in this workspace carries the audience \`${v.value}\` (audiences in use: ${list}), so ${consequence}`,
            data: { value: v.value, suggestion: 'sts.amazonaws.com' },
          });
        }
      },
      report,
    );
  },
};
