import { claimValues, hasWildcard, STS_ACCESS_DENIED } from './support/common';
import { forEachEksStatement } from './support/memo';
import type { Rule } from './types';

const ID = 'trust-wildcard-under-stringequals';

/** `StringEquals` compares literally: `*` is an asterisk, so the condition matches no real token. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'Wildcard in a StringEquals sub condition matches nothing' },
  check(model, report) {
    forEachEksStatement(
      model,
      ID,
      [],
      ({ policy, statement }, report) => {
        // terraform-aws-modules builds the condition from `namespace_service_accounts`: the fix is in the module's inputs.
        const inputs = policy.moduleInputs;
        for (const v of claimValues(statement, 'sub')) {
          if (v.semantics !== 'equals' || !hasWildcard(v.value)) continue;
          const fix = inputs
            ? `List exact \`<namespace>:<name>\` entries in \`${inputs.subjects}\`, or set the module's condition test ` +
              `(\`${inputs.conditionTest}\`) to \`StringLike\` if you really mean a pattern (it widens access).`
            : 'Use the exact `system:serviceaccount:<namespace>:<name>`, or StringLike if you really mean a pattern (it widens access).';
          report({
            span: v.span,
            message:
              `\`${v.condition.operator.value}\` compares literally, so \`${v.value}\` matches only a subject containing a literal ` +
              `\`${v.value.includes('*') ? '*' : '?'}\`: no pod's token matches and STS answers ${STS_ACCESS_DENIED}. ${fix}`,
            data: { value: v.value },
          });
        }
      },
      report,
    );
  },
};
