/**
 * `trust-aud-value`: an aud value no token in this workspace will carry.
 *
 * Fix: the value becomes the audience the tokens of the role's
 * ServiceAccounts carry, when they all carry the same one (preferred: it
 * admits only what the sub condition already admits). A role without
 * ServiceAccounts in the workspace gets the workspace's one audience in
 * use, not preferred: no token proves it. Nothing is offered for a value
 * beside a good alternative (the fix is to remove it), for a subject under
 * the aud key (the conditions look swapped: both must move), or for a
 * computed value.
 */
import { knownText } from '../common/value';
import { byFile } from '../edit/service-accounts';
import { policySyntax } from '../edit/trust-policies';
import { editableString, elsewhere, rewriteString } from '../edit/values';
import type { TrustPolicy } from '../facts/types';
import { STS_ACCESS_DENIED } from '../index/describe';
import { claimValues, hasWildcard, SUBJECT_PREFIX, type ClaimValue } from '../index/irsa';
import { forEachEksStatement } from './support/memo';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

interface Payload {
  readonly policy: TrustPolicy;
  readonly value: ClaimValue;
}

export const rule = defineRule({
  meta: { id: 'trust-aud-value', defaultSeverity: 'error', title: 'aud condition value cannot be a token audience' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    const inUse = model.audiencesInUse();
    const list = [...inUse].map((a) => `\`${a}\``).join(', ');
    forEachEksStatement<Payload>(
      model,
      'trust-aud-value',
      [model.audiencesInUse()],
      ({ policy, statement }, report) => {
        const values = claimValues(statement, 'aud');
        for (const v of values) {
          const swapped = v.value.startsWith(SUBJECT_PREFIX);
          if (!swapped && ((v.semantics === 'like' && hasWildcard(v.value)) || v.semantics === 'other' || inUse.has(v.value))) continue;
          // Values of one condition are alternatives: beside a good one, a bad value is dead weight, not a failure.
          const alternative = values.find((o) => o.condition === v.condition && o !== v && inUse.has(o.value) && o.semantics !== 'other');
          const consequence = alternative
            ? `this value never matches (the condition still admits \`${alternative.value}\`). Remove it.`
            : swapped
              ? `this condition never matches and STS answers ${STS_ACCESS_DENIED}. Put the subject under the \`:sub\` key and \`sts.amazonaws.com\` under \`:aud\`.`
              : `this condition never matches and STS answers ${STS_ACCESS_DENIED}. Use \`sts.amazonaws.com\`, or the audience set with the \`eks.amazonaws.com/audience\` annotation.`;
          report({
            span: v.span,
            ...(alternative ? { severity: 'warning' as const } : {}),
            message: swapped
              ? `\`${v.value}\` is a subject, not an audience: the sub and aud conditions look swapped. Tokens carry aud \`sts.amazonaws.com\`, so ${consequence}`
              : `No token in this workspace carries the audience \`${v.value}\` (audiences in use: ${list}), so ${consequence}`,
            // Removing a dead alternative, or moving swapped values, is the user's edit: no fix, no payload.
            ...(alternative || swapped ? {} : { payload: { policy, value: v } }),
          });
        }
      },
      report,
    );
  },
  fixes({ policy, value }, finding, context) {
    const syntax = policySyntax(policy);
    if (!syntax || policy.generated) return [];
    const audiences = new Set<string | undefined>();
    for (const role of context.model.rolesOfTrustPolicy(policy)) {
      for (const sa of context.model.serviceAccountsOfRole(role)) audiences.add(knownText(context.model.audienceOf(sa).value));
    }
    const fromTokens = audiences.size > 0;
    const candidates = fromTokens ? audiences : new Set<string | undefined>(context.model.audiencesInUse());
    const audience = candidates.size === 1 ? [...candidates][0] : undefined;
    const target = audience !== undefined && editableString(context, value.written, { span: policy.span, syntax });
    if (audience === undefined || !target) return [];
    return [{ title: `Set aud to \`${audience}\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, audience) }]), preferred: fromTokens }];
  },
});
