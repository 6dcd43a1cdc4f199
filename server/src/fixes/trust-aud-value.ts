/**
 * Fixes for `trust-aud-value`: an aud value no token carries becomes the
 * audience the tokens of the role's ServiceAccounts carry, when they all
 * carry the same one (preferred: it admits only what the sub condition
 * already admits). A role without ServiceAccounts in the workspace gets
 * the workspace's one audience in use, not preferred: no token proves it.
 * Nothing is offered for a value beside a good alternative (the fix is to
 * remove it), for a subject under the aud key (the conditions look
 * swapped: both must move), or for a computed value.
 */
import { knownText } from '../common/value';
import { SUBJECT_PREFIX } from '../index/irsa';
import { conditionValueAt, policySyntax } from './locate';
import { byFile } from './service-account-edits';
import type { FixProvider } from './types';
import { editableString, elsewhere, rewriteString } from './values';

export const fix: FixProvider = {
  ruleId: 'trust-aud-value',
  fixes(finding, context) {
    const site = conditionValueAt(context.model, finding.span);
    const text = site && knownText(site.value.value);
    const syntax = site && policySyntax(site.policy);
    if (!site || text === undefined || !syntax || site.policy.generated || finding.severity === 'warning' || text.startsWith(SUBJECT_PREFIX)) return [];
    const audiences = new Set<string | undefined>();
    for (const role of context.model.rolesOfTrustPolicy(site.policy)) {
      for (const sa of context.model.serviceAccountsOfRole(role)) audiences.add(knownText(context.model.audienceOf(sa).value));
    }
    const fromTokens = audiences.size > 0;
    const candidates = fromTokens ? audiences : new Set<string | undefined>(context.model.audiencesInUse());
    const audience = candidates.size === 1 ? [...candidates][0] : undefined;
    const target = audience !== undefined && editableString(context, site.value, { span: site.policy.span, syntax });
    if (audience === undefined || !target) return [];
    return [{ title: `Set aud to \`${audience}\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, audience) }]), preferred: fromTokens }];
  },
};
