import { knownPrefix, knownText } from '../common/value';
import { conditionsForClaim, operatorSemantics, SUBJECT_PREFIX } from '../index/irsa';
import { STS_ACCESS_DENIED } from './support/common';
import { forEachEksStatement } from './support/memo';
import type { Rule } from './types';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * What is wrong with a subject, or undefined when it is well formed. With
 * `pattern`, `*` and `?` stand for characters and only the literal text is judged.
 */
export function subjectProblem(value: string, pattern: boolean): string | undefined {
  if (value.startsWith('system:serviceaccounts:') || value === 'system:serviceaccounts') {
    return '`system:serviceaccounts:` (plural) names a group of ServiceAccounts, never a token subject';
  }
  if (!value.startsWith(SUBJECT_PREFIX)) {
    if (pattern && SUBJECT_PREFIX.startsWith(value.split(/[*?]/)[0] ?? '')) return undefined;
    if (/^[a-z0-9-]+[/:][a-z0-9.-]+$/.test(value)) return `the sub claim is \`${SUBJECT_PREFIX}${value.replace('/', ':')}\`, not \`${value}\``;
    return `an EKS token's sub claim always has the form \`${SUBJECT_PREFIX}<namespace>:<name>\``;
  }
  const rest = value.slice(SUBJECT_PREFIX.length);
  const parts = rest.split(':');
  if (parts.length !== 2) {
    if (pattern && parts.length === 1 && /[*?]/.test(rest)) return undefined;
    if (parts.length > 2) return 'it has more than two parts after `system:serviceaccount:`';
    return rest.includes('/') ? 'the namespace and the name must be separated by `:`, not `/`' : `the namespace is missing: \`${rest}\` must be \`<namespace>:${rest}\``;
  }
  const [namespace = '', name = ''] = parts;
  const check = (s: string, re: RegExp, max: number): boolean => {
    const literal = pattern ? s.replace(/[*?]/g, 'a') : s;
    return literal.length <= max && (re.test(literal) || (pattern && /^[*?]+$/.test(s)));
  };
  if (namespace !== namespace.toLowerCase() || name !== name.toLowerCase()) return 'Kubernetes names are lower case';
  if (!check(namespace, DNS_LABEL, 63)) return `\`${namespace}\` is not a valid namespace (a DNS-1123 label: lower-case letters, digits and \`-\`, at most 63)`;
  if (!check(name, DNS_SUBDOMAIN, 253)) return `\`${name}\` is not a valid ServiceAccount name (a DNS-1123 subdomain: lower-case letters, digits, \`-\` and \`.\`)`;
  return undefined;
}

const ID = 'trust-sub-format';

/** A sub value that can never equal `system:serviceaccount:<ns>:<name>` with valid names. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'sub condition value is not system:serviceaccount:<namespace>:<name>' },
  check(model, report) {
    forEachEksStatement(
      model,
      ID,
      [model.audiencesInUse()],
      ({ policy, statement }, report) => {
        // terraform-aws-modules prefixes each `namespace_service_accounts` entry with `system:serviceaccount:` itself.
        const inputs = policy.moduleInputs;
        const fix = inputs
          ? `In \`${inputs.subjects}\`, write \`<namespace>:<name>\`: the module adds \`${SUBJECT_PREFIX}\` itself.`
          : `Write \`${SUBJECT_PREFIX}<namespace>:<name>\`.`;
        for (const condition of conditionsForClaim(statement, 'sub')) {
          const semantics = operatorSemantics(condition.operator.value);
          for (const v of condition.values) {
            const text = knownText(v.value);
            // A wildcard under StringEquals is trust-wildcard-under-stringequals' finding: judge the rest of the value as a pattern.
            const pattern = semantics === 'like' || (semantics === 'equals' && text !== undefined && /[*?]/.test(text));
            // Partly computed (`system:serviceaccount:${var.ns}:x`): judge the literal prefix only.
            const swapped = text !== undefined && model.audiencesInUse().has(text);
            const problem = swapped
              ? `\`${text}\` is a token audience, not a subject: the sub and aud conditions look swapped`
              : text !== undefined
                ? subjectProblem(text, pattern)
                : prefixProblem(knownPrefix(v.value));
            if (!problem) continue;
            report({
              span: v.span,
              message: `This sub value can never match a ServiceAccount token: ${problem}. STS will answer ${STS_ACCESS_DENIED}. ${fix}`,
              data: { value: text ?? knownPrefix(v.value) },
            });
          }
        }
      },
      report,
    );
  },
};

function prefixProblem(prefix: string): string | undefined {
  if (prefix.startsWith('system:serviceaccounts:')) return subjectProblem(prefix, true);
  if (prefix.length === 0 || SUBJECT_PREFIX.startsWith(prefix) || prefix.startsWith(SUBJECT_PREFIX)) return undefined;
  return `it starts with \`${prefix}\``;
}
