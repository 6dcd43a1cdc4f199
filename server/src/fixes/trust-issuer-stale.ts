/**
 * Fix for `trust-issuer-stale`: the cluster was recreated, so its issuer ID
 * changed; write the live ID wherever the policy spells the old one (the
 * principal and the condition keys together: fixing one mention alone would
 * make them disagree). Offered only when the old ID is written literally in
 * the finding's text: an ID that comes from a variable or a local is edited
 * where it is set, by the user.
 */
import { rangeContains } from '../common/text';
import { editFile, replace, spanText } from './edits';
import type { FixProvider, TextEdit } from './types';

export const fix: FixProvider = {
  ruleId: 'trust-issuer-stale',
  fixes(finding, context) {
    const stale = finding.data?.['staleIssuerId'];
    const live = finding.data?.['liveIssuerId'];
    const cluster = finding.data?.['cluster'];
    const lines = context.lines(finding.span.uri);
    if (typeof stale !== 'string' || typeof live !== 'string' || !/^[0-9A-Fa-f]+$/.test(live) || !lines) return [];
    if (!spanText(lines, finding.span).includes(stale)) return [];
    const policy = context.model.trustPolicies.find((p) => p.span.uri === finding.span.uri && rangeContains(p.span.range, finding.span.range));
    const scope = policy?.span ?? finding.span;
    const source = spanText(lines, scope);
    const base = lines.offsetAt(scope.range.start);
    const edits: TextEdit[] = [];
    for (let at = source.indexOf(stale); at >= 0; at = source.indexOf(stale, at + stale.length)) {
      edits.push(replace(lines.range(base + at, base + at + stale.length), live));
    }
    if (edits.length === 0) return [];
    const of = typeof cluster === 'string' ? ` of \`${cluster}\`` : '';
    return [{ title: `Replace issuer ID \`${stale}\` with the live cluster's \`${live}\`${of}`, changes: [editFile(finding.span.uri, ...edits)], preferred: true }];
  },
};
