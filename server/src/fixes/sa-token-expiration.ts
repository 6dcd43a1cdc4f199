/**
 * Fixes for `sa-token-expiration`. Below 600 s the value becomes `600`,
 * which is what the webhook uses anyway (preferred: behaviour does not
 * change, the manifest stops saying otherwise). A value with a duration
 * unit (`3600s`, `90m`, `1h`) becomes its whole seconds, which is what it
 * plainly meant (preferred); any other non-integer gets no fix: the
 * intended lifetime is a guess. The value is rewritten where it is written
 * (a literal used once), else nothing is offered.
 */
import { knownText } from '../common/value';
import { byFile } from './service-account-edits';
import { annotationWithValueAt } from './locate';
import type { FixProvider } from './types';
import { editableString, elsewhere, rewriteString } from './values';

const MINIMUM = 600;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

export const fix: FixProvider = {
  ruleId: 'sa-token-expiration',
  fixes(finding, context) {
    const annotation = annotationWithValueAt(context.model, finding.span);
    const text = annotation && knownText(annotation.value.value);
    const target = annotation && editableString(context, annotation.value);
    if (text === undefined || !target) return [];
    const seconds = intendedSeconds(text);
    if (seconds === undefined) return [];
    const value = String(Math.max(seconds, MINIMUM));
    if (value === text) return [];
    return [{ title: `Set the token expiration to \`${value}\` seconds${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, value) }]), preferred: true }];
  },
};

/** The seconds a value means: a whole number, or one with a single `s`/`m`/`h` unit; undefined for anything else. */
export function intendedSeconds(text: string): number | undefined {
  const m = /^\s*\+?(\d{1,9})\s*(s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2] ?? 's']!;
}
