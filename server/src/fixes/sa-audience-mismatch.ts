/**
 * Fixes for `sa-audience-mismatch`, on the ServiceAccount side only: an
 * `eks.amazonaws.com/audience` annotation becomes the one audience the
 * role's trust accepts. Preferred when that is `sts.amazonaws.com`, the
 * audience IRSA uses and the annotation's odd value the likelier slip;
 * offered otherwise, not preferred. Nothing is offered for a
 * ServiceAccount without the annotation (the trust side is then the one to
 * correct: trust-aud-value's fix), when the trust accepts several values,
 * or for a computed value.
 */
import { AUDIENCE_ANNOTATION, DEFAULT_AUDIENCE } from '../facts/kubernetes';
import { annotationWithValueAt } from './locate';
import { byFile } from './service-account-edits';
import type { FixProvider } from './types';
import { editableString, elsewhere, rewriteString } from './values';

export const fix: FixProvider = {
  ruleId: 'sa-audience-mismatch',
  fixes(finding, context) {
    const accepted = finding.data?.['accepted'];
    const annotation = annotationWithValueAt(context.model, finding.span);
    if (!Array.isArray(accepted) || accepted.length !== 1 || annotation?.key.value !== AUDIENCE_ANNOTATION) return [];
    const audience: string = accepted[0]!;
    const target = editableString(context, annotation.value);
    if (!target) return [];
    return [{ title: `Set the audience annotation to \`${audience}\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, audience) }]), preferred: audience === DEFAULT_AUDIENCE }];
  },
};
