import { claimValues, hasWildcard } from './support/common';
import { subjectProblem } from './trust-sub-format';
import { forEachEksStatement } from './support/memo';
import type { Rule } from './types';

const ID = 'trust-sub-wildcard';

/** `StringLike` with a wildcard sub admits every ServiceAccount the pattern matches. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'warning', title: 'StringLike sub condition with a wildcard admits many ServiceAccounts' },
  check(model, report) {
    forEachEksStatement(
      model,
      ID,
      [],
      ({ policy, statement }, report) => {
        // terraform-aws-modules builds the pattern from `namespace_service_accounts` and its condition test input.
        const inputs = policy.moduleInputs;
        const fix = inputs
          ? `List exact \`<namespace>:<name>\` entries in \`${inputs.subjects}\` and drop the StringLike condition test (one role per ServiceAccount).`
          : 'Pin the exact `system:serviceaccount:<namespace>:<name>` with StringEquals (one role per ServiceAccount).';
        for (const v of claimValues(statement, 'sub')) {
          if (v.semantics !== 'like' || !hasWildcard(v.value)) continue;
          // A pattern no subject can match widens nothing: trust-sub-format reports it.
          if (subjectProblem(v.value, true) !== undefined) continue;
          const whom = /^system:serviceaccount:[*?]*$|^\*$/.test(v.value) ? 'every ServiceAccount in the cluster' : 'every ServiceAccount matching the pattern';
          report({
            span: v.span,
            message:
              `\`${v.value}\` under ${v.condition.operator.value} lets ${whom} assume this role, ` +
              `including ones created later by anyone who can create ServiceAccounts there. ${fix}`,
            data: { value: v.value },
          });
        }
      },
      report,
    );
  },
};
