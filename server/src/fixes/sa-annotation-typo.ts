/**
 * Fixes for `sa-annotation-typo`: renames the key to the webhook annotation
 * it was meant to be (preferred: the rule only suggests a certain near
 * miss). The key is rewritten only where it is a literal of its file (a YAML
 * key, a quoted Terraform map key); not in a Helm `set` path, and not when
 * the object already carries the intended key.
 */
import { quoteLike, spanText } from './edits';
import { sameSpan } from './locate';
import { byFile } from './service-account-edits';
import { literalString } from './source';
import type { FixProvider } from './types';
import { fileSyntax } from './values';

export const fix: FixProvider = {
  ruleId: 'sa-annotation-typo',
  fixes(finding, context) {
    const intended = finding.data?.['suggestion'];
    const lines = context.lines(finding.span.uri);
    const syntax = fileSyntax(finding.span.uri);
    if (typeof intended !== 'string' || !lines || !syntax) return [];
    const owners = [...context.model.serviceAccounts.map((o) => o.annotations), ...context.model.workloads.map((w) => w.podAnnotations)];
    const annotations = owners.find((list) => list.some((a) => sameSpan(a.key.span, finding.span)));
    const annotation = annotations?.find((a) => sameSpan(a.key.span, finding.span));
    if (!annotations || !annotation || annotations.some((a) => a.key.value === intended)) return [];
    const written = spanText(lines, finding.span);
    if (literalString(written, syntax) !== annotation.key.value) return [];
    return [{ title: `Rename the annotation to \`${intended}\``, changes: byFile([{ uri: finding.span.uri, edit: { range: finding.span.range, newText: quoteLike(written, intended, syntax) } }]), preferred: true }];
  },
};
