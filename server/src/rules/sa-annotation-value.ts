/**
 * `sa-annotation-value`: an invalid `sts-regional-endpoints` value is
 * silently ignored by the webhook.
 *
 * Fix: a value Go's ParseBool refuses becomes `"true"` or `"false"` when
 * its meaning is plain: a yes/no word (`yes`, `On`, `enabled`, `n`, …) or a
 * Go boolean with stray spaces or odd case (` TRUE`, `tRue`). Anything else
 * gets no fix (the message suggests `"true"`, but that would be a guess).
 * Preferred: the value says what it meant.
 */
import { knownText } from '../common/value';
import { byFile } from '../edit/service-accounts';
import { editableString, elsewhere, rewriteString } from '../edit/values';
import type { Annotation } from '../facts/types';
import { forEachAnnotationSite } from './support/sa-annotations';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 't', '1', 'y', 'yes', 'on', 'enable', 'enabled']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'f', '0', 'n', 'no', 'off', 'disable', 'disabled']);

const KEY = 'eks.amazonaws.com/sts-regional-endpoints';
/** Exactly what Go's strconv.ParseBool accepts. */
const GO_BOOLEANS: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

export const rule = defineRule({
  meta: { id: 'sa-annotation-value', defaultSeverity: 'warning', title: 'sts-regional-endpoints annotation is not a boolean the webhook accepts' },
  check(model: WorkspaceModel, report: Reporter<Annotation>) {
    forEachAnnotationSite(
      model,
      'sa-annotation-value',
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
          payload: site.annotation,
        });
      },
      report,
    );
  },
  fixes(annotation, finding, context) {
    const text = knownText(annotation.value.value);
    const target = editableString(context, annotation.value);
    if (text === undefined || !target) return [];
    const word = text.trim().toLowerCase();
    const value = TRUE_WORDS.has(word) ? 'true' : FALSE_WORDS.has(word) ? 'false' : undefined;
    if (value === undefined) return [];
    return [{ title: `Set sts-regional-endpoints to \`"${value}"\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, value) }]), preferred: true }];
  },
});
