/** `trust-sub-wildcard`: `StringLike` with a wildcard sub admits every ServiceAccount the pattern matches. */
import { claimValues, hasWildcard } from '../index/irsa';
import { subjectProblem } from '../index/well-formed';
import { forEachEksStatement } from './support/memo';
import { defineRule } from './types';

export const rule = defineRule({
  meta: { id: 'trust-sub-wildcard', defaultSeverity: 'warning', title: 'StringLike sub condition with a wildcard admits many ServiceAccounts' },
  check(model, report) {
    forEachEksStatement(
      model,
      'trust-sub-wildcard',
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
          });
        }
      },
      report,
    );
  },
});
