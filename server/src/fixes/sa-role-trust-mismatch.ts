/**
 * Fixes for `sa-role-trust-mismatch`: the ServiceAccount's role does not
 * trust `system:serviceaccount:<ns>:<name>`. Either side can be the
 * mistake, so both are offered, each correcting one side only:
 * - "Move the ServiceAccount to namespace `<ns>`" when the trust pins the
 *   same name in exactly one other namespace (its workloads move along);
 * - "Rename to `<sa>`" when it pins exactly one other name in this namespace;
 * - "Pin sub to `system:serviceaccount:<ns>:<sa>`" on the trust side, when
 *   the role has exactly one sub value, written as a literal.
 * None is preferred, except the move of a ServiceAccount that names no
 * namespace: a manifest without one is the likelier slip.
 */
import { knownNamespaceAndName } from '../rules/support/common';
import { linkedRoles } from '../rules/support/sa-links';
import { subjectOf } from '../index/irsa';
import { sameSpan } from './locate';
import { byFile, moveServiceAccount, renameServiceAccount } from './service-account-edits';
import { exactSubjects, onlySubValue, pinSub } from './subjects';
import type { Fix, FixProvider } from './types';

export const fix: FixProvider = {
  ruleId: 'sa-role-trust-mismatch',
  fixes(finding, context) {
    const sa = context.model.serviceAccounts.find((s) => s.roleArn && sameSpan(s.roleArn.span, finding.span));
    const id = sa && knownNamespaceAndName(sa);
    const roles = sa && linkedRoles(context.model, sa);
    if (!sa || !id || !roles || roles.length === 0) return [];
    const fixes: Fix[] = [];

    const admitted = exactSubjects(roles.flatMap((r) => r.webStatements));
    const namespaces = distinct(admitted.filter((s) => s.name === id.name && s.namespace !== id.namespace).map((s) => s.namespace));
    if (namespaces.length === 1) {
      const changes = moveServiceAccount(context, sa, namespaces[0]!);
      if (changes) fixes.push({ title: moveTitle(namespaces[0]!), changes, preferred: sa.namespaceDefaulted });
    }
    const names = distinct(admitted.filter((s) => s.namespace === id.namespace && s.name !== id.name).map((s) => s.name));
    if (names.length === 1) {
      const changes = renameServiceAccount(context, sa, names[0]!);
      if (changes) fixes.push({ title: `Rename the ServiceAccount to \`${names[0]}\``, changes });
    }

    // The trust side: only for a role the ServiceAccount certainly means, with one sub value.
    const only = roles.length === 1 ? onlySubValue(roles[0]!.webStatements) : undefined;
    // The edit goes to the policy that holds the statement: for the karpenter controller role, the document passed to the module.
    const holder = only && context.model.policyHoldingStatement(roles[0]!.policy, only.statement);
    const pin = only && holder && pinSub(context, holder, only.condition, only.value, subjectOf(id.namespace, id.name), sa);
    if (pin && holder && context.model.rolesOfTrustPolicy(holder).length === 1) fixes.push({ title: pin.title, changes: byFile([pin.edit]) });
    return fixes;
  },
};

/** The title the editor shows for the ServiceAccount side (and that e2e tests click). */
export function moveTitle(namespace: string): string {
  return `Move the ServiceAccount to namespace \`${namespace}\``;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
