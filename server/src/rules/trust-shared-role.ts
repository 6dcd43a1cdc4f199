import { conditionsForClaim, operatorSemantics } from '../index/irsa';
import { claimValues, eksStatements, hasWildcard } from './support/common';
import type { Rule } from './types';

/** One statement pinned to several ServiceAccounts: each gets the union of what the others need. */
export const rule: Rule = {
  meta: { id: 'trust-shared-role', defaultSeverity: 'warning', title: 'One trust statement admits several ServiceAccounts' },
  check(model, report) {
    for (const { statement } of eksStatements(model)) {
      const subjects = claimValues(statement, 'sub').filter((v) => v.semantics === 'equals' && !hasWildcard(v.value));
      const distinct = [...new Map(subjects.map((s) => [s.value, s])).values()];
      if (distinct.length < 2) continue;
      const condition = conditionsForClaim(statement, 'sub').find((c) => operatorSemantics(c.operator.value) === 'equals');
      report({
        span: condition?.key.span ?? distinct[0]!.span,
        message:
          `This statement admits ${distinct.length} ServiceAccounts (${distinct.map((d) => `\`${d.value}\``).join(', ')}): each of them gets every ` +
          `permission the role holds for the others. Give each ServiceAccount its own role with one pinned subject.`,
        related: distinct.map((d) => ({ span: d.span, message: `admits ${d.value}` })),
        data: { subjects: distinct.map((d) => d.value) },
      });
    }
  },
};
