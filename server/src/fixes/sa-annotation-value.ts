/**
 * Fixes for `sa-annotation-value`: an `sts-regional-endpoints` value that
 * Go's ParseBool refuses becomes `"true"` or `"false"` when its meaning is
 * plain: a yes/no word (`yes`, `On`, `enabled`, `n`, …) or a Go boolean
 * with stray spaces or odd case (` TRUE`, `tRue`). Anything else gets no fix
 * (the rule's message suggests `"true"`, but that would be a guess).
 * Preferred: the value says what it meant.
 */
import { knownText } from '../common/value';
import { annotationWithValueAt } from './locate';
import { byFile } from './service-account-edits';
import type { FixProvider } from './types';
import { editableString, elsewhere, rewriteString } from './values';

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 't', '1', 'y', 'yes', 'on', 'enable', 'enabled']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'f', '0', 'n', 'no', 'off', 'disable', 'disabled']);

export const fix: FixProvider = {
  ruleId: 'sa-annotation-value',
  fixes(finding, context) {
    const annotation = annotationWithValueAt(context.model, finding.span);
    const text = annotation && knownText(annotation.value.value);
    const target = annotation && editableString(context, annotation.value);
    if (text === undefined || !target) return [];
    const word = text.trim().toLowerCase();
    const value = TRUE_WORDS.has(word) ? 'true' : FALSE_WORDS.has(word) ? 'false' : undefined;
    if (value === undefined) return [];
    return [{ title: `Set sts-regional-endpoints to \`"${value}"\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, value) }]), preferred: true }];
  },
};
