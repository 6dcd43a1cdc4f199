/**
 * Fixes for `trust-missing-aud`: adds `<issuer>:aud` = the audience the
 * role's ServiceAccounts' tokens carry (`sts.amazonaws.com` unless they
 * annotate another) under StringEquals, with the issuer written as the sub
 * key writes it. Preferred: it only narrows. Nothing is offered when the
 * ServiceAccounts disagree on the audience.
 */
import { knownText } from '../common/value';
import { DEFAULT_AUDIENCE } from '../facts/kubernetes';
import { claimKeyToken, eksStatementAnchoredAt } from './claims';
import { byFile } from './service-account-edits';
import { addCondition, policyString, statementSource } from './trust-edits';
import type { FixProvider } from './types';

export const fix: FixProvider = {
  ruleId: 'trust-missing-aud',
  fixes(finding, context) {
    const site = eksStatementAnchoredAt(context.model, finding.span);
    const source = site && statementSource(site.policy, site.statement, context);
    const key = source && site && claimKeyToken(source, site.statement, 'aud');
    if (!site || !source || !key) return [];
    const audiences = new Set<string | undefined>();
    for (const role of context.model.rolesOfTrustPolicy(site.policy)) {
      for (const sa of context.model.serviceAccountsOfRole(role)) audiences.add(knownText(context.model.audienceOf(sa).value));
    }
    if (audiences.size > 1 || audiences.has(undefined)) return [];
    const audience = [...audiences][0] ?? DEFAULT_AUDIENCE;
    const edit = addCondition(source, 'StringEquals', key, [policyString(source, audience)]);
    if (!edit) return [];
    return [{ title: `Add an aud condition for \`${audience}\``, changes: byFile([{ uri: source.uri, edit }]), preferred: true }];
  },
};
