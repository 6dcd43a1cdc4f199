/**
 * `sa-token-expiration`: the webhook raises values below 600 s to 600 and
 * ignores non-integers (default 86400).
 *
 * Fixes: below 600 s the value becomes `600`, which is what the webhook
 * uses anyway (preferred: behaviour does not change, the manifest stops
 * saying otherwise). A value with a duration unit (`3600s`, `90m`, `1h`)
 * becomes its whole seconds, which is what it plainly meant (preferred);
 * any other non-integer gets no fix: the intended lifetime is a guess. The
 * value is rewritten where it is written (a literal used once), else
 * nothing is offered.
 */
import { knownText } from '../common/value';
import { byFile } from '../edit/service-accounts';
import { editableString, elsewhere, rewriteString } from '../edit/values';
import type { Annotation } from '../facts/types';
import { forEachAnnotationSite } from './support/sa-annotations';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

/** The webhook's floor (pkg/handler, since amazon-eks-pod-identity-webhook PR #207). */
const MINIMUM_SECONDS = 600;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

const KEY = 'eks.amazonaws.com/token-expiration';
const INT64_MAX = 9223372036854775807n;

export const rule = defineRule({
  meta: { id: 'sa-token-expiration', defaultSeverity: 'warning', title: 'token-expiration annotation is below 600 or not an integer' },
  check(model: WorkspaceModel, report: Reporter<Annotation>) {
    forEachAnnotationSite(
      model,
      'sa-token-expiration',
      (site, report) => {
        if (site.annotation.key.value !== KEY) return;
        const text = knownText(site.annotation.value.value);
        if (text === undefined) return;
        // Go's strconv.ParseInt(value, 10, 64): an optional sign, decimal digits, within int64.
        if (!/^[+-]?\d+$/.test(text) || BigInt(text) > INT64_MAX || BigInt(text) < -INT64_MAX - 1n) {
          report({
            span: site.annotation.value.span,
            message:
              `${JSON.stringify(text)} is not an integer number of seconds that Go's \`strconv.ParseInt\` reads: the webhook ignores it and tokens live ` +
              `for the default 86400 s (or the webhook's \`--token-expiration\`). Write whole seconds, e.g. \`"3600"\`.`,
            payload: site.annotation,
          });
        } else if (Number(text) < MINIMUM_SECONDS) {
          report({
            span: site.annotation.value.span,
            message: `Token expiration ${text} s is below the minimum: the webhook raises it to ${MINIMUM_SECONDS} s, so the value does not do what it says. Use at least \`"${MINIMUM_SECONDS}"\`.`,
            payload: site.annotation,
          });
        }
      },
      report,
    );
  },
  fixes(annotation, finding, context) {
    const text = knownText(annotation.value.value);
    const target = editableString(context, annotation.value);
    if (text === undefined || !target) return [];
    const seconds = intendedSeconds(text);
    if (seconds === undefined) return [];
    const value = String(Math.max(seconds, MINIMUM_SECONDS));
    if (value === text) return [];
    return [{ title: `Set the token expiration to \`${value}\` seconds${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, value) }]), preferred: true }];
  },
});

/** The seconds a value means: a whole number, or one with a single `s`/`m`/`h` unit; undefined for anything else. */
function intendedSeconds(text: string): number | undefined {
  const m = /^\s*\+?(\d{1,9})\s*(s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2] ?? 's']!;
}
