/**
 * Fixes for `trust-sub-no-service-account` with a near match: the trust
 * side of a sub mismatch. The policy pins `<ns>:<sa>` and no such
 * ServiceAccount exists, but one of the same name lives in another
 * namespace (or a near name in the same one):
 * - "Pin sub to `system:serviceaccount:<ns>:<sa>`" rewrites this value,
 *   when that ServiceAccount is the only one of its name, or uses this role;
 * - "Move the ServiceAccount to namespace `<ns>`" moves that ServiceAccount
 *   instead, when it uses one of this policy's roles.
 * Neither is preferred: which side is wrong is the user's call.
 */
import { knownText } from '../common/value';
import { parseSubject, SUBJECT_PREFIX } from '../index/irsa';
import { conditionValueAt } from './locate';
import { moveTitle } from './sa-role-trust-mismatch';
import { byFile, moveServiceAccount } from './service-account-edits';
import { pinSub, subjectOfAccount } from './subjects';
import type { Fix, FixProvider } from './types';

export const fix: FixProvider = {
  ruleId: 'trust-sub-no-service-account',
  fixes(finding, context) {
    const suggested = finding.data?.['suggestion'];
    const site = conditionValueAt(context.model, finding.span);
    if (typeof suggested !== 'string' || !site) return [];
    // For an IRSA module the rule suggests a `namespace_service_accounts` entry, `<ns>:<sa>`.
    const suggestion = suggested.startsWith(SUBJECT_PREFIX) ? suggested : SUBJECT_PREFIX + suggested;
    const wanted = parseSubject(suggestion);
    const pinned = parseSubject(knownText(site.value.value) ?? '');
    const near = context.model.serviceAccounts.filter((sa) => subjectOfAccount(sa) === suggestion);
    if (!wanted || !pinned || near.length !== 1) return []; // an ambiguous match
    const sa = near[0]!;
    const roles = new Set(context.model.rolesOfTrustPolicy(site.policy).map((r) => r.id));
    const usesThisRole = context.model.roleLinks(sa).some((l) => roles.has(l.role.id));
    const fixes: Fix[] = [];

    const sameName = context.model.serviceAccounts.filter((s) => knownText(s.name.value) === wanted.name).length === 1 && wanted.name === pinned.name;
    const pin = (sameName || usesThisRole) && pinSub(context, site.policy, site.condition, site.value, suggestion, sa);
    if (pin) fixes.push({ title: pin.title, changes: byFile([pin.edit]) });

    if (usesThisRole && wanted.name === pinned.name) {
      const changes = moveServiceAccount(context, sa, pinned.namespace);
      if (changes) fixes.push({ title: moveTitle(pinned.namespace), changes });
    }
    return fixes;
  },
};
