/**
 * `trust-missing-sub`: an EKS web-identity statement without a `:sub`
 * condition admits every ServiceAccount of the cluster.
 *
 * Fix: a `StringEquals` sub condition naming the ServiceAccount that uses
 * the role (preferred: it only narrows), or, when none in the workspace
 * does, one with `<namespace>`/`<name>` tab stops. When several use the
 * role nothing is offered: pinning them all would write down a shared role
 * (`trust-shared-role`), which the user should rather split.
 */
import { snippetLiteral } from '../edit/edits';
import { claimKeyToken } from '../edit/claims';
import { byFile } from '../edit/service-accounts';
import { addCondition, policyString, statementSource } from '../edit/trust-policies';
import { STS_ACCESS_DENIED } from '../index/describe';
import { claimKeyFor, lacksClaimCondition, principalAnchor, subjectOfServiceAccount } from '../index/irsa';
import type { EksStatement } from '../index/model';
import { forEachEksStatement } from './support/memo';
import type { WorkspaceModel } from '../index/model';
import { claimInputOf, setModuleInput } from './support/module-inputs';
import { defineRule, type Reporter } from './types';

/** Stands for a tab stop while the text is built, so that the rest can be escaped for the snippet; no quoting escapes it. */
const HOLE = '\uE000';

export const rule = defineRule({
  meta: { id: 'trust-missing-sub', defaultSeverity: 'error', title: 'Web-identity trust statement for an EKS issuer has no :sub condition' },
  check(model: WorkspaceModel, report: Reporter<EksStatement>) {
    forEachEksStatement<EksStatement>(
      model,
      'trust-missing-sub',
      [],
      (site, report) => {
        const { statement } = site;
        if (!lacksClaimCondition(statement, 'sub')) return;
        const input = claimInputOf(model, site.policy, 'sub');
        if (input) {
          // The module writes the statement: the user cannot add a condition, only the module's input.
          report({
            span: principalAnchor(statement),
            message:
              `\`module.${input.call.name}\` builds this trust without a sub condition, so every ServiceAccount in the cluster can assume the role: ` +
              `\`${input.module}\` adds one only from \`${input.input}\`${input.module === 'iam-role' ? ' or `oidc_wildcard_subjects`' : ' or `oidc_subjects_with_wildcards`'}. ` +
              `Set \`${input.input} = ["system:serviceaccount:<namespace>:<name>"]\` on the module.`,
            payload: site,
          });
          return;
        }
        const key = claimKeyFor(statement, 'sub');
        report({
          span: principalAnchor(statement),
          message:
            `This trust statement has no \`${key}\` condition, so every ServiceAccount in the cluster can assume the role: ` +
            `any pod with a projected token from this issuer gets its permissions. ` +
            `Add a StringEquals condition on \`${key}\` with \`system:serviceaccount:<namespace>:<name>\` ` +
            `(the pods you did not mean will then get ${STS_ACCESS_DENIED}, as they should).`,
          payload: site,
        });
      },
      report,
    );
  },
  fixes({ policy, statement }, _finding, context) {
    const input = claimInputOf(context.model, policy, 'sub');
    if (input) {
      // Only with exactly one known ServiceAccount using the role: anything else is the user's choice.
      const subjects = new Set<string | undefined>();
      for (const role of context.model.rolesOfTrustPolicy(policy)) for (const sa of context.model.serviceAccountsOfRole(role)) subjects.add(subjectOfServiceAccount(sa));
      const [subject] = subjects;
      return subjects.size === 1 && subject !== undefined ? setModuleInput(input, subject, context.lines(input.call.blockSpan.uri)) : [];
    }
    const source = statementSource(policy, statement, context);
    const key = source && claimKeyToken(source, statement, 'sub');
    if (!source || !key) return [];
    const subjects = new Set<string>();
    for (const role of context.model.rolesOfTrustPolicy(policy)) {
      for (const sa of context.model.serviceAccountsOfRole(role)) {
        const subject = subjectOfServiceAccount(sa);
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
});
