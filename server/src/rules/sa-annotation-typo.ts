import { levenshtein } from './support/common';
import { forEachAnnotationSite, OTHER_EKS_ANNOTATIONS, POD_ANNOTATIONS, WEBHOOK_ANNOTATIONS } from './support/sa-annotations';
import type { Rule } from './types';

const PREFIX = 'eks.amazonaws.com';

function normalise(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The webhook annotation a key was probably meant to be, or undefined. */
export function intendedAnnotation(key: string, candidates: readonly string[] = WEBHOOK_ANNOTATIONS): string | undefined {
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

const ID = 'sa-annotation-typo';

/** Near-miss keys the webhook ignores: no token is injected and pods fall back to the node role. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'warning', title: 'Annotation key is a near miss of an EKS webhook annotation' },
  check(model, report) {
    forEachAnnotationSite(
      model,
      ID,
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
          data: { suggestion: intended },
        });
      },
      report,
    );
  },
};
