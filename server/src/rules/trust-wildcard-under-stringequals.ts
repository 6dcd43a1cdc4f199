/**
 * `trust-wildcard-under-stringequals`: `StringEquals` compares literally,
 * so `*` is an asterisk and the condition matches no real token.
 *
 * Fixes:
 * - "Use the exact subject `…`" (preferred) when exactly one ServiceAccount
 *   that uses the role matches the pattern: what the pattern was meant to
 *   admit, and no more.
 * - "Use StringLike (widens …)" turns the operator into StringLike, which
 *   admits every ServiceAccount the pattern matches, now and later: a
 *   widening fix, labelled so and never preferred. Not offered when the
 *   statement already has a StringLike block (the keys would collide).
 */
import { replace, spanText } from '../edit/edits';
import { byFile } from '../edit/service-accounts';
import { policySyntax } from '../edit/trust-policies';
import type { Fix } from '../edit/types';
import { editableString, rewriteString } from '../edit/values';
import type { TrustPolicy, TrustStatement } from '../facts/types';
import { STS_ACCESS_DENIED } from '../index/describe';
import { claimValues, globMatch, hasWildcard, subjectOfServiceAccount, type ClaimValue } from '../index/irsa';
import { forEachEksStatement } from './support/memo';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

interface Payload {
  readonly policy: TrustPolicy;
  readonly statement: TrustStatement;
  readonly value: ClaimValue;
}

export const rule = defineRule({
  meta: { id: 'trust-wildcard-under-stringequals', defaultSeverity: 'error', title: 'Wildcard in a StringEquals sub condition matches nothing' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    forEachEksStatement<Payload>(
      model,
      'trust-wildcard-under-stringequals',
      [],
      ({ policy, statement }, report) => {
        // terraform-aws-modules builds the condition from `namespace_service_accounts`: the fix is in the module's inputs.
        const inputs = policy.moduleInputs;
        for (const v of claimValues(statement, 'sub')) {
          if (v.semantics !== 'equals' || !hasWildcard(v.value)) continue;
          const fix = inputs
            ? `List exact \`<namespace>:<name>\` entries in \`${inputs.subjects}\`, or set the module's condition test ` +
              `(\`${inputs.conditionTest}\`) to \`StringLike\` if you really mean a pattern (it widens access).`
            : 'Use the exact `system:serviceaccount:<namespace>:<name>`, or StringLike if you really mean a pattern (it widens access).';
          report({
            span: v.span,
            message:
              `\`${v.condition.operator.value}\` compares literally, so \`${v.value}\` matches only a subject containing a literal ` +
              `\`${v.value.includes('*') ? '*' : '?'}\`: no pod's token matches and STS answers ${STS_ACCESS_DENIED}. ${fix}`,
            payload: { policy, statement, value: v },
          });
        }
      },
      report,
    );
  },
  fixes({ policy, statement, value }, _finding, context) {
    const syntax = policySyntax(policy);
    if (!syntax || policy.generated) return [];
    const pattern = value.value;
    const fixes: Fix[] = [];

    const matching = new Set<string>();
    for (const role of context.model.rolesOfTrustPolicy(policy)) {
      for (const sa of context.model.serviceAccountsOfRole(role)) {
        const subject = subjectOfServiceAccount(sa);
        if (subject !== undefined && globMatch(pattern, subject)) matching.add(subject);
      }
    }
    const target = editableString(context, value.written, { span: policy.span, syntax });
    if (matching.size === 1 && target) {
      const [subject] = matching;
      fixes.push({ title: `Use the exact subject \`${subject}\``, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, subject!) }]), preferred: true });
    }

    const { operator } = value.condition;
    const like = operator.value.replace('StringEquals', 'StringLike');
    const lines = context.lines(operator.span.uri);
    const written = lines && spanText(lines, operator.span);
    const at = written?.indexOf('StringEquals') ?? -1;
    const collides = policy.origin !== 'policy-document' && statement.conditions.some((c) => c.operator.value === like);
    if (lines && written && written.replace(/^"|"$/g, '') === operator.value && at >= 0 && !collides) {
      const start = lines.offsetAt(operator.span.range.start) + at;
      fixes.push({
        title: `Use StringLike (widens the role to every ServiceAccount matching \`${pattern}\`)`,
        changes: byFile([{ uri: operator.span.uri, edit: replace(lines.range(start, start + 'StringEquals'.length), 'StringLike') }]),
        widens: true,
      });
    }
    return fixes;
  },
});
