import { knownText } from '../common/value';
import { forEachAnnotationSite } from './support/sa-annotations';
import type { Rule } from './types';

const KEY = 'eks.amazonaws.com/token-expiration';
const INT64_MAX = 9223372036854775807n;

const ID = 'sa-token-expiration';

/** The webhook raises values below 600 s to 600 and ignores non-integers (default 86400). */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'warning', title: 'token-expiration annotation is below 600 or not an integer' },
  check(model, report) {
    forEachAnnotationSite(
      model,
      ID,
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
            data: { suggestion: '86400' },
          });
        } else if (Number(text) < 600) {
          report({
            span: site.annotation.value.span,
            message: `Token expiration ${text} s is below the minimum: the webhook raises it to 600 s, so the value does not do what it says. Use at least \`"600"\`.`,
            data: { suggestion: '600' },
          });
        }
      },
      report,
    );
  },
};
