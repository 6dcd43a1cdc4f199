/**
 * Fixes for `trust-sub-format`: a sub value whose namespace and name are
 * plain, written in a near miss of `system:serviceaccount:<ns>:<name>`:
 * `system:serviceaccounts:ns:name` (plural), `serviceaccount:ns:name`,
 * `system:serviceaccount:ns/name`, `ns:name`, `ns/name`. It is rewritten
 * in place, preferred: the value names one ServiceAccount and the fix
 * spells it the way tokens do. Nothing is offered for a value with a
 * wildcard, a group (`system:serviceaccounts:ns`), a swapped audience,
 * invalid names, or a value that comes from an expression.
 */
import { knownText } from '../common/value';
import { SUBJECT_PREFIX } from '../index/irsa';
import { subjectProblem } from '../rules/trust-sub-format';
import { conditionValueAt, policySyntax } from './locate';
import { byFile } from './service-account-edits';
import type { FixProvider } from './types';
import { editableString, elsewhere, rewriteString } from './values';

const NEAR_MISSES: readonly RegExp[] = [
  /^system:serviceaccounts:([^:/]+):([^:/]+)$/,
  /^serviceaccounts?:([^:/]+):([^:/]+)$/,
  /^system:serviceaccount:([^:/]+)\/([^:/]+)$/,
  /^([^:/]+)[:/]([^:/]+)$/,
];

export const fix: FixProvider = {
  ruleId: 'trust-sub-format',
  fixes(finding, context) {
    const site = conditionValueAt(context.model, finding.span);
    const text = site && knownText(site.value.value);
    const syntax = site && policySyntax(site.policy);
    if (!site || text === undefined || !syntax || site.policy.generated || /[*?]/.test(text)) return [];
    if (context.model.audiencesInUse().has(text)) return [];
    const subject = intendedSubject(text);
    const target = subject && editableString(context, site.value, { span: site.policy.span, syntax });
    if (!subject || !target) return [];
    return [{ title: `Rewrite sub as \`${subject}\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, subject) }]), preferred: true }];
  },
};

/** `system:serviceaccount:<ns>:<name>` for a near miss whose namespace and name are valid; undefined otherwise. */
export function intendedSubject(value: string): string | undefined {
  for (const re of NEAR_MISSES) {
    const m = re.exec(value.trim());
    if (!m) continue;
    // `system:serviceaccount` alone is a prefix without a subject, not namespace `system`.
    if (/^(system|serviceaccounts?)$/.test(m[1]!)) return undefined;
    const subject = `${SUBJECT_PREFIX}${m[1]}:${m[2]}`;
    return subject !== value && subjectProblem(subject, false) === undefined ? subject : undefined;
  }
  return undefined;
}
