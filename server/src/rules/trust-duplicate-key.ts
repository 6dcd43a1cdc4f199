import { STS_ACCESS_DENIED } from '../index/describe';
import { defineRule } from './types';

const ID = 'trust-duplicate-key';

/**
 * A key written twice in one JSON object of a trust policy. JSON parsers
 * keep only the last value (the AWS provider's encoding/json, and IAM), so
 * the first block vanishes without a word: a second `StringEquals` silently
 * drops the conditions of the first. In `jsonencode({...})` Terraform
 * refuses the object outright. The engine reads the policy as IAM does
 * (last value kept); this rule points at what was dropped.
 */
export const rule = defineRule({
  meta: { id: ID, defaultSeverity: 'error', title: 'Key written twice in one object of a trust policy: only the last one counts' },
  check(model, report) {
    for (const policy of model.trustPolicies) {
      if (policy.generated) continue;
      for (const duplicate of policy.duplicateKeys ?? []) {
        const key = `\`${duplicate.key}\``;
        const effect =
          policy.origin === 'jsonencode'
            ? `Terraform refuses the object at plan time (\`Duplicate object attribute: An attribute named "${duplicate.key}" was already defined\`), so the role is never created or updated.`
            : `JSON parsers keep only the last ${key} (the AWS provider and IAM both do), so everything under this one is silently dropped: ` +
              `if it held the \`:sub\` or \`:aud\` condition the role admits more than it says, and if the kept one is the wrong one STS answers ${STS_ACCESS_DENIED}.`;
        report({
          span: duplicate.dropped,
          message: `${key} appears more than once in this object. ${effect} Merge the two ${key} entries into one.`,
          related: [{ span: duplicate.kept, message: `The ${key} that is kept.` }],
        });
      }
    }
  },
});
