/**
 * Fixes for `trust-missing-sub`: the statement admits every ServiceAccount
 * of the cluster. Adds a `StringEquals` sub condition naming the
 * ServiceAccount that uses the role (preferred: it only narrows), or, when
 * none in the workspace does, one with `<namespace>`/`<name>` tab stops.
 * When several use the role, nothing is offered: pinning them all would
 * write down a shared role (`trust-shared-role`), which the user should
 * rather split.
 */
import { snippetLiteral } from './edits';
import { claimKeyToken, eksStatementAnchoredAt } from './claims';
import { byFile } from './service-account-edits';
import { subjectOfAccount } from './subjects';
import { addCondition, policyString, statementSource } from './trust-edits';
import type { FixProvider } from './types';

/** Stands for a tab stop while the text is built, so that the rest can be escaped for the snippet; no quoting escapes it. */
const HOLE = '\uE000';

export const fix: FixProvider = {
  ruleId: 'trust-missing-sub',
  fixes(finding, context) {
    const site = eksStatementAnchoredAt(context.model, finding.span);
    const source = site && statementSource(site.policy, site.statement, context);
    const key = source && site && claimKeyToken(source, site.statement, 'sub');
    if (!site || !source || !key) return [];
    const subjects = new Set<string>();
    for (const role of context.model.rolesOfTrustPolicy(site.policy)) {
      for (const sa of context.model.serviceAccountsOfRole(role)) {
        const subject = subjectOfAccount(sa);
        if (subject === undefined) return []; // a ServiceAccount with a computed name: the list would be incomplete
        subjects.add(subject);
      }
    }
    if (subjects.size > 1) return [];
    const [subject] = subjects;
    if (subject !== undefined) {
      const edit = addCondition(source, 'StringEquals', key, [policyString(source, subject)]);
      if (!edit) return [];
      return [{ title: `Add a StringEquals sub condition for \`${subject}\``, changes: byFile([{ uri: source.uri, edit }]), preferred: true }];
    }
    const edit = addCondition(source, 'StringEquals', key, [policyString(source, `system:serviceaccount:${HOLE}1${HOLE}:${HOLE}2${HOLE}`)]);
    if (!edit) return [];
    const newText = snippetLiteral(edit.newText)
      .replace(`${HOLE}1${HOLE}`, '${1:namespace}')
      .replace(`${HOLE}2${HOLE}`, '${2:name}');
    return [{ title: 'Add a StringEquals sub condition for a ServiceAccount', changes: byFile([{ uri: source.uri, edit: { range: edit.range, newText } }]), snippet: true }];
  },
};
