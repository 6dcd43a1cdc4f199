/**
 * `sa-annotation-typo`: near-miss keys the webhook ignores: no token is
 * injected and pods fall back to the node role.
 *
 * Fix: renames the key to the webhook annotation it was meant to be
 * (preferred: the rule only suggests a certain near miss). The key is
 * rewritten only where it is a literal of its file (a YAML key, a quoted
 * Terraform map key); not in a Helm `set` path, and not when the object
 * already carries the intended key.
 */
import { levenshtein } from '../common/strings';
import { quoteLike, spanText } from '../edit/edits';
import { byFile } from '../edit/service-accounts';
import { literalString } from '../edit/source';
import { fileSyntax } from '../edit/values';
import type { Annotation } from '../facts/types';
import { forEachAnnotationSite, OTHER_EKS_ANNOTATIONS, POD_ANNOTATIONS, WEBHOOK_ANNOTATIONS } from './support/sa-annotations';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

interface Payload {
  readonly annotation: Annotation;
  /** The annotations of the object it sits on. */
  readonly annotations: readonly Annotation[];
  readonly intended: string;
}

const PREFIX = 'eks.amazonaws.com';

function normalise(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The webhook annotation a key was probably meant to be, or undefined. */
function intendedAnnotation(key: string, candidates: readonly string[] = WEBHOOK_ANNOTATIONS): string | undefined {
  if ((WEBHOOK_ANNOTATIONS as readonly string[]).includes(key) || OTHER_EKS_ANNOTATIONS.has(key)) return undefined;
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const suffix = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixClose = prefix === PREFIX || (prefix.length > 0 && levenshtein(prefix.toLowerCase(), PREFIX, 4) <= 4 && /eks|amazon|aws/i.test(prefix));
  if (!prefixClose) return undefined;
  for (const candidate of candidates) {
    const candidateSuffix = candidate.slice(PREFIX.length + 1);
    const sameSuffix = normalise(suffix) === normalise(candidateSuffix);
    const nearSuffix = levenshtein(suffix.toLowerCase(), candidateSuffix, 2) <= 2;
    if (sameSuffix || nearSuffix) return candidate;
  }
  return undefined;
}

export const rule = defineRule({
  meta: { id: 'sa-annotation-typo', defaultSeverity: 'warning', title: 'Annotation key is a near miss of an EKS webhook annotation' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    forEachAnnotationSite(
      model,
      'sa-annotation-typo',
      (site, report) => {
        const key = site.annotation.key.value;
        // On a Pod the webhook reads only token-expiration and skip-containers: suggest nothing else there.
        const intended = intendedAnnotation(key, site.on === 'Pod' ? POD_ANNOTATIONS : WEBHOOK_ANNOTATIONS);
        if (!intended) return;
        const consequence =
          intended === 'eks.amazonaws.com/role-arn'
            ? 'no role is injected: pods silently use the node role through IMDS, or fail with `Unable to locate credentials`'
            : intended === 'eks.amazonaws.com/skip-containers'
              ? 'those containers get the token and AWS variables injected after all'
              : 'the setting has no effect';
        report({
          span: site.annotation.key.span,
          message: `\`${key}\` is not an annotation the EKS pod identity webhook reads; did you mean \`${intended}\`? The webhook ignores it, so ${consequence}. Rename the key to \`${intended}\`.`,
          payload: { annotation: site.annotation, annotations: site.annotations, intended },
        });
      },
      report,
    );
  },
  fixes({ annotation, annotations, intended }, finding, context) {
    const lines = context.lines(finding.span.uri);
    const syntax = fileSyntax(finding.span.uri);
    if (!lines || !syntax || annotations.some((a) => a.key.value === intended)) return [];
    const written = spanText(lines, finding.span);
    if (literalString(written, syntax) !== annotation.key.value) return [];
    return [{ title: `Rename the annotation to \`${intended}\``, changes: byFile([{ uri: finding.span.uri, edit: { range: finding.span.range, newText: quoteLike(written, intended, syntax) } }]), preferred: true }];
  },
});
