/**
 * Fixes for `trust-cross-account-no-external-id`: adds a StringEquals
 * `sts:ExternalId` condition to the statement, with a tab stop for the
 * value agreed with the other account (a snippet: the tool cannot know it,
 * so it is never preferred and fix-all leaves it alone).
 */
import { snippetLiteral } from './edits';
import { sameSpan } from './locate';
import { byFile } from './service-account-edits';
import { addCondition, policyString, statementSource } from './trust-edits';
import type { FixProvider } from './types';

/** A private-use character: no quoting escapes it. */
const HOLE = '\uE000';

export const fix: FixProvider = {
  ruleId: 'trust-cross-account-no-external-id',
  fixes(finding, context) {
    for (const policy of context.model.trustPolicies) {
      for (const statement of policy.statements) {
        if (!statement.principals.some((p) => p.type === 'AWS' && sameSpan(p.value.span, finding.span))) continue;
        const source = statementSource(policy, statement, context);
        if (!source) return [];
        const edit = addCondition(source, 'StringEquals', policyString(source, 'sts:ExternalId'), [policyString(source, HOLE)]);
        if (!edit) return [];
        const newText = snippetLiteral(edit.newText).replace(HOLE, '${1:external-id}');
        return [{ title: 'Add an `sts:ExternalId` condition', changes: byFile([{ uri: source.uri, edit: { range: edit.range, newText } }]), snippet: true }];
      }
    }
    return [];
  },
};
