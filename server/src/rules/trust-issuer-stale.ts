import { liveClusterOfStatement, liveIssuerId } from '../live/match';
import { STS_ACCESS_DENIED, STS_NO_PROVIDER } from './support/common';
import type { Rule } from './types';

/**
 * A recreated cluster gets a new issuer ID; a trust policy that still names
 * the old one admits tokens nobody issues any more. Needs live facts: only
 * EKS knows the current ID. The finding's range holds the stale ID, and its
 * data says what a fix replaces it with.
 */
export const rule: Rule = {
  meta: { id: 'trust-issuer-stale', defaultSeverity: 'error', title: 'Trust policy names an issuer ID that is not the live cluster’s' },
  check(model, report, { live }) {
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
          data: { staleIssuerId: m.issuerId, liveIssuerId: liveId, liveIssuerUrl: cluster.issuerUrl ?? '', cluster: cluster.name, region: cluster.region },
        });
      }
    }
  },
};
