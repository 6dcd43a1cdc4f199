import { claimValues, eksStatements, hasWildcard } from './support/common';
import type { Rule } from './types';

/** `StringLike` with a wildcard sub admits every ServiceAccount the pattern matches. */
export const rule: Rule = {
  meta: { id: 'trust-sub-wildcard', defaultSeverity: 'warning', title: 'StringLike sub condition with a wildcard admits many ServiceAccounts' },
  check(model, report) {
    for (const { statement } of eksStatements(model)) {
      for (const v of claimValues(statement, 'sub')) {
        if (v.semantics !== 'like' || !hasWildcard(v.value)) continue;
        report({
          span: v.span,
          message:
            `\`${v.value}\` under ${v.condition.operator.value} lets every ServiceAccount matching the pattern assume this role, ` +
            `including ones created later by anyone who can create ServiceAccounts there. ` +
            `Pin the exact \`system:serviceaccount:<namespace>:<name>\` with StringEquals (one role per ServiceAccount).`,
          data: { value: v.value },
        });
      }
    }
  },
};
