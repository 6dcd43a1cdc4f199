/**
 * `trust-condition-operator`: a key under `Condition` that is not an IAM
 * condition operator (a `"Comment"` someone added for documentation, a
 * misspelt `StringEqual`). IAM rejects the whole trust policy with
 * `MalformedPolicyDocument`, so the role is never created or updated. The
 * engine keeps reading the statement's other conditions (an unknown
 * operator's values admit nothing it is sure of).
 */
import { levenshtein } from '../common/strings';
import { CONDITION_OPERATORS, isConditionOperator } from '../facts/iam';
import type { Located } from '../facts/types';
import { forEachStatement } from './support/memo';
import { defineRule } from './types';

const ID = 'trust-condition-operator';

export const rule = defineRule({
  meta: { id: ID, defaultSeverity: 'error', title: 'Key under Condition is not an IAM condition operator' },
  check(model, report) {
    forEachStatement(
      model,
      ID,
      [],
      ({ policy, statement }, report) => {
        if (policy.generated) return;
        // JSON documents list every key; `aws_iam_policy_document` conditions carry their `test`.
        const operators: Located<string>[] = statement.conditionOperators ? [...statement.conditionOperators] : statement.conditions.map((c) => c.operator);
        const seen = new Set<string>();
        for (const op of operators) {
          const at = `${op.span.range.start.line}:${op.span.range.start.character}`;
          if (seen.has(at) || isConditionOperator(op.value)) continue;
          seen.add(at);
          const near = nearestOperator(op.value);
          const advice = near
            ? `Did you mean \`${near}\`?`
            : 'Delete it (JSON policies have no comments: put notes in the role description or tags) or use an operator such as `StringEquals`.';
          report({
            span: op.span,
            message:
              `\`${op.value}\` is not an IAM condition operator. IAM rejects the whole trust policy ` +
              `(\`MalformedPolicyDocument: Invalid Condition type : ${op.value}\`), so the role is not created or updated. ${advice}`,
          });
        }
      },
      report,
    );
  },
});

function nearestOperator(text: string): string | undefined {
  const bare = text.replace(/^(ForAllValues|ForAnyValue):/i, '');
  let best: { op: string; d: number } | undefined;
  for (const op of CONDITION_OPERATORS) {
    const d = levenshtein(bare.toLowerCase(), op.toLowerCase(), 2);
    if (d <= 2 && (!best || d < best.d)) best = { op, d };
  }
  return best ? text.slice(0, text.length - bare.length) + best.op : undefined;
}
