import { knownText } from '../common/value';
import { annotationSites } from './support/sa-annotations';
import type { Rule } from './types';

const KEY = 'eks.amazonaws.com/token-expiration';

/** The webhook raises values below 600 s to 600 and ignores non-integers (default 86400). */
export const rule: Rule = {
  meta: { id: 'sa-token-expiration', defaultSeverity: 'warning', title: 'token-expiration annotation is below 600 or not an integer' },
  check(model, report) {
    for (const site of annotationSites(model)) {
      if (site.annotation.key.value !== KEY) continue;
      const text = knownText(site.annotation.value.value);
      if (text === undefined) continue;
      if (!/^[+-]?\d+$/.test(text.trim()) || text.trim() !== text) {
        report({
          span: site.annotation.value.span,
          message: `\`${text}\` is not an integer number of seconds: the webhook ignores it and tokens live for the default 86400 s. Write whole seconds, e.g. \`"3600"\`.`,
          data: { suggestion: '86400' },
        });
      } else if (Number(text) < 600) {
        report({
          span: site.annotation.value.span,
          message: `Token expiration ${text} s is below the minimum: the webhook raises it to 600 s, so the value does not do what it says. Use at least \`"600"\`.`,
          data: { suggestion: '600' },
        });
      }
    }
  },
};
