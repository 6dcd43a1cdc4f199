/**
 * Fixes for `trust-wildcard-under-stringequals`: a `*` under StringEquals is
 * a literal asterisk, so the condition admits no pod.
 * - "Use the exact subject `…`" (preferred) when exactly one ServiceAccount
 *   that uses the role matches the pattern: what the pattern was meant to
 *   admit, and no more.
 * - "Use StringLike (widens …)" turns the operator into StringLike, which
 *   admits every ServiceAccount the pattern matches, now and later: a
 *   widening fix, labelled so and never preferred. Not offered when the
 *   statement already has a StringLike block (the keys would collide).
 */
import { globMatch } from '../index/irsa';
import { replace, spanText } from './edits';
import { conditionValueAt, policySyntax } from './locate';
import { byFile } from './service-account-edits';
import { subjectOfAccount } from './subjects';
import type { Fix, FixProvider } from './types';
import { editableString, rewriteString } from './values';

export const fix: FixProvider = {
  ruleId: 'trust-wildcard-under-stringequals',
  fixes(finding, context) {
    const site = conditionValueAt(context.model, finding.span);
    const pattern = finding.data?.['value'];
    const syntax = site && policySyntax(site.policy);
    if (!site || !syntax || site.policy.generated || typeof pattern !== 'string') return [];
    const fixes: Fix[] = [];

    const matching = new Set<string>();
    for (const role of context.model.rolesOfTrustPolicy(site.policy)) {
      for (const sa of context.model.serviceAccountsOfRole(role)) {
        const subject = subjectOfAccount(sa);
        if (subject !== undefined && globMatch(pattern, subject)) matching.add(subject);
      }
    }
    const target = editableString(context, site.value, { span: site.policy.span, syntax });
    if (matching.size === 1 && target) {
      const [subject] = matching;
      fixes.push({ title: `Use the exact subject \`${subject}\``, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, subject!) }]), preferred: true });
    }

    const operator = site.condition.operator.value;
    const like = operator.replace('StringEquals', 'StringLike');
    const lines = context.lines(site.condition.operator.span.uri);
    const written = lines && spanText(lines, site.condition.operator.span);
    const at = written?.indexOf('StringEquals') ?? -1;
    const collides = site.policy.origin !== 'policy-document' && site.statement.conditions.some((c) => c.operator.value === like);
    if (lines && written && written.replace(/^"|"$/g, '') === operator && at >= 0 && !collides) {
      const start = lines.offsetAt(site.condition.operator.span.range.start) + at;
      fixes.push({
        title: `Use StringLike (widens the role to every ServiceAccount matching \`${pattern}\`)`,
        changes: byFile([{ uri: site.condition.operator.span.uri, edit: replace(lines.range(start, start + 'StringEquals'.length), 'StringLike') }]),
        widens: true,
      });
    }
    return fixes;
  },
};
