import { knownText } from '../common/value';
import { forEachAnnotationSite } from './support/sa-annotations';
import type { Rule } from './types';

const KEY = 'eks.amazonaws.com/sts-regional-endpoints';
/** Exactly what Go's strconv.ParseBool accepts. */
const GO_BOOLEANS: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

const ID = 'sa-annotation-value';

/** An invalid sts-regional-endpoints value is silently ignored by the webhook. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'warning', title: 'sts-regional-endpoints annotation is not a boolean the webhook accepts' },
  check(model, report) {
    forEachAnnotationSite(
      model,
      ID,
      (site, report) => {
        // The webhook reads sts-regional-endpoints from the ServiceAccount only; on a Pod it means nothing at all.
        if (site.on !== 'ServiceAccount' || site.annotation.key.value !== KEY) return;
        const text = knownText(site.annotation.value.value);
        if (text === undefined || GO_BOOLEANS.has(text)) return;
        const suggestion = /^(y|yes|on|enabled?)$/i.test(text.trim()) ? 'true' : /^(n|no|off|disabled?)$/i.test(text.trim()) ? 'false' : 'true';
        report({
          span: site.annotation.value.span,
          message:
            `${JSON.stringify(text)} is not a boolean the webhook accepts (it uses Go's ParseBool: true, false, 1, 0, t, f, …), so the annotation is silently ` +
            `ignored: the webhook falls back to its \`--sts-regional-endpoint\` flag (default false), and the pod's SDK may send AssumeRoleWithWebIdentity ` +
            `to the global STS endpoint. Write \`"${suggestion}"\`.`,
          data: { suggestion },
        });
      },
      report,
    );
  },
};
