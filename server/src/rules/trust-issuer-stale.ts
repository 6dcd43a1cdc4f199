/**
 * `trust-issuer-stale`: a recreated cluster gets a new issuer ID; a trust
 * policy that still names the old one admits tokens nobody issues any more.
 * Needs live facts: only EKS knows the current ID. The finding's range
 * holds the stale ID.
 *
 * Fix: write the live ID wherever the policy spells the old one (the
 * principal and the condition keys together: fixing one mention alone would
 * make them disagree). Offered only when the old ID is written literally in
 * the finding's text: an ID that comes from a variable or a local is edited
 * where it is set, by the user.
 */
import { rangeContains } from '../common/text';
import { editFile, replace, spanText } from '../edit/edits';
import type { TextEdit } from '../edit/types';
import type { TrustPolicy } from '../facts/types';
import { STS_ACCESS_DENIED, STS_NO_PROVIDER } from '../index/describe';
import { liveClusterOfStatement, liveIssuerId } from '../live/match';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter, type RuleContext } from './types';

interface Payload {
  readonly policy: TrustPolicy;
  readonly staleIssuerId: string;
  readonly liveIssuerId: string;
  readonly cluster: string;
}

export const rule = defineRule({
  meta: { id: 'trust-issuer-stale', defaultSeverity: 'error', title: 'Trust policy names an issuer ID that is not the live cluster’s' },
  check(model: WorkspaceModel, report: Reporter<Payload>, { live }: RuleContext) {
    if (!live) return;
    for (const { policy, statement } of model.allEksWebIdentityStatements()) {
      const match = liveClusterOfStatement(model, live, policy, statement);
      // Matched by issuer: the statement names the live ID; a second, different ID in it is trust-issuer-mismatch's.
      if (!match || match.by === 'issuer') continue;
      const { cluster } = match;
      const liveId = liveIssuerId(cluster);
      if (liveId === undefined) continue;
      const how = match.by === 'region' ? `the only cluster checked in ${cluster.region}` : 'the cluster this configuration names';
      for (const m of match.mentions) {
        if (m.issuerId === liveId || m.region !== cluster.region) continue;
        const effect =
          m.where === 'principal'
            ? `Tokens now come from issuer \`${liveId}\`, whose provider this principal does not name, so STS answers ${STS_NO_PROVIDER} or ${STS_ACCESS_DENIED}.`
            : `Tokens now carry \`iss\` with ID \`${liveId}\`, so this condition key is never in the request and STS answers ${STS_ACCESS_DENIED}.`;
        report({
          span: m.span,
          message:
            `This names issuer ID \`${m.issuerId}\`, but the live cluster \`${cluster.name}\` (${cluster.region}, ${how}) has issuer ID \`${liveId}\`: the cluster was recreated. ` +
            `${effect} Replace \`${m.issuerId}\` with \`${liveId}\`.`,
          payload: { policy, staleIssuerId: m.issuerId, liveIssuerId: liveId, cluster: cluster.name },
        });
      }
    }
  },
  fixes({ policy, staleIssuerId: stale, liveIssuerId: live, cluster }, finding, context) {
    const lines = context.lines(finding.span.uri);
    if (!/^[0-9A-Fa-f]+$/.test(live) || !lines) return [];
    if (!spanText(lines, finding.span).includes(stale)) return [];
    // Every mention in the policy's own text; a mention elsewhere (a variable's default) alone.
    const scope = policy.span.uri === finding.span.uri && rangeContains(policy.span.range, finding.span.range) ? policy.span : finding.span;
    const source = spanText(lines, scope);
    const base = lines.offsetAt(scope.range.start);
    const edits: TextEdit[] = [];
    for (let at = source.indexOf(stale); at >= 0; at = source.indexOf(stale, at + stale.length)) {
      edits.push(replace(lines.range(base + at, base + at + stale.length), live));
    }
    if (edits.length === 0) return [];
    return [{ title: `Replace issuer ID \`${stale}\` with the live cluster's \`${live}\` of \`${cluster}\``, changes: [editFile(finding.span.uri, ...edits)], preferred: true }];
  },
});
