import { knownText } from '../common/value';
import { admitsClaim, subjectOf } from '../index/irsa';
import { claimValues, hasWildcard, knownNamespaceAndName, STS_ACCESS_DENIED, STS_BAD_AUDIENCE } from './support/common';
import { linkedRoles, roleLabel } from './support/sa-links';
import type { Rule } from './types';
import { globMatch } from '../index/irsa';

/** The audience the ServiceAccount's tokens carry is not one the linked trust policy accepts. */
export const rule: Rule = {
  meta: { id: 'sa-audience-mismatch', defaultSeverity: 'error', title: "ServiceAccount's token audience is not accepted by its role's trust policy" },
  check(model, report) {
    const clientIds = model.audiencesInUse();
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId) continue;
      const audience = model.audienceOf(sa);
      const audienceText = knownText(audience.value);
      if (audienceText === undefined) continue;
      const roles = linkedRoles(model, sa);
      if (!roles || roles.length === 0) continue;
      const id = knownNamespaceAndName(sa);
      for (const r of roles) {
        // Judge the statements that admit this ServiceAccount (all of them when its subject is not known).
        const statements = r.webStatements.filter((s) => !id || admitsClaim(s, 'sub', subjectOf(id.namespace, id.name)) !== false);
        if (statements.length === 0 || statements.some((s) => !s.conditionsComplete)) continue;
        const accepted = statements.flatMap((s) => claimValues(s, 'aud'));
        if (accepted.length === 0) continue; // no aud condition: trust-missing-aud
        if (statements.some((s) => s.conditions.some((c) => /:aud$/.test(knownText(c.key.value) ?? '') && c.values.some((v) => knownText(v.value) === undefined)))) continue;
        if (accepted.some((a) => (a.semantics === 'like' && hasWildcard(a.value) ? globMatch(a.value, audienceText) : a.value === audienceText))) continue;
        const values = [...new Set(accepted.map((a) => a.value))];
        const stsError = clientIds.has(audienceText) ? STS_ACCESS_DENIED : STS_BAD_AUDIENCE;
        report({
          span: audience.annotation?.value.span ?? sa.roleArn.span,
          message:
            `Tokens of this ServiceAccount carry audience \`${audienceText}\`${audience.annotation ? '' : ' (the default)'}, but role ` +
            `${roleLabel(r.link.role)} accepts only ${values.map((v) => `\`${v}\``).join(', ')}. STS will answer ${stsError}. ` +
            `Make the \`eks.amazonaws.com/audience\` annotation and the trust policy's \`:aud\` condition agree (normally \`sts.amazonaws.com\`).`,
          related: accepted.map((a) => ({ span: a.span, message: `aud ${a.value}` })),
          data: { audience: audienceText, accepted: values },
        });
        break;
      }
    }
  },
};
