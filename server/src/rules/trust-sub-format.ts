/**
 * `trust-sub-format`: a sub value that can never equal
 * `system:serviceaccount:<ns>:<name>` with valid names.
 *
 * Fix: a value whose namespace and name are plain, written in a near miss
 * of `system:serviceaccount:<ns>:<name>` (`system:serviceaccounts:ns:name`
 * (plural), `serviceaccount:ns:name`, `system:serviceaccount:ns/name`,
 * `ns:name`, `ns/name`), is rewritten in place, preferred: the value names
 * one ServiceAccount and the fix spells it the way tokens do. Nothing is
 * offered for a value with a wildcard, a group (`system:serviceaccounts:ns`),
 * a swapped audience, invalid names, or a value that comes from an expression.
 */
import { knownPrefix, knownText } from '../common/value';
import { byFile } from '../edit/service-accounts';
import { policySyntax } from '../edit/trust-policies';
import { editableString, elsewhere, rewriteString } from '../edit/values';
import type { LStr, TrustPolicy } from '../facts/types';
import { STS_ACCESS_DENIED } from '../index/describe';
import { conditionsForClaim, operatorSemantics, SUBJECT_PREFIX } from '../index/irsa';
import { subjectProblem } from '../index/well-formed';
import { forEachEksStatement } from './support/memo';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

const NEAR_MISSES: readonly RegExp[] = [
  /^system:serviceaccounts:([^:/]+):([^:/]+)$/,
  /^serviceaccounts?:([^:/]+):([^:/]+)$/,
  /^system:serviceaccount:([^:/]+)\/([^:/]+)$/,
  /^([^:/]+)[:/]([^:/]+)$/,
];

interface Payload {
  readonly policy: TrustPolicy;
  readonly value: LStr;
}

export const rule = defineRule({
  meta: { id: 'trust-sub-format', defaultSeverity: 'error', title: 'sub condition value is not system:serviceaccount:<namespace>:<name>' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    forEachEksStatement<Payload>(
      model,
      'trust-sub-format',
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
              payload: { policy, value: v },
            });
          }
        }
      },
      report,
    );
  },
  fixes({ policy, value }, finding, context) {
    const text = knownText(value.value);
    const syntax = policySyntax(policy);
    if (text === undefined || !syntax || policy.generated || /[*?]/.test(text)) return [];
    if (context.model.audiencesInUse().has(text)) return [];
    const subject = intendedSubject(text);
    const target = subject && editableString(context, value, { span: policy.span, syntax });
    if (!subject || !target) return [];
    return [{ title: `Rewrite sub as \`${subject}\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, subject) }]), preferred: true }];
  },
});

function prefixProblem(prefix: string): string | undefined {
  if (prefix.startsWith('system:serviceaccounts:')) return subjectProblem(prefix, true);
  if (prefix.length === 0 || SUBJECT_PREFIX.startsWith(prefix) || prefix.startsWith(SUBJECT_PREFIX)) return undefined;
  return `it starts with \`${prefix}\``;
}

/** `system:serviceaccount:<ns>:<name>` for a near miss whose namespace and name are valid; undefined otherwise. */
function intendedSubject(value: string): string | undefined {
  for (const re of NEAR_MISSES) {
    const m = re.exec(value.trim());
    if (!m) continue;
    // `system:serviceaccount` alone is a prefix without a subject, not namespace `system`.
    if (/^(system|serviceaccounts?)$/.test(m[1]!)) return undefined;
    const subject = `${SUBJECT_PREFIX}${m[1]}:${m[2]}`;
    return subject !== value && subjectProblem(subject, false) === undefined ? subject : undefined;
  }
  return undefined;
}
