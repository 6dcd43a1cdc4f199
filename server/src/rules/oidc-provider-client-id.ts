import type { Span } from '../common/text';
import { knownText } from '../common/value';
import { subjectOf, admitsClaim } from '../index/irsa';
import type { Condition } from '../facts/types';
import { claimValues, type ClaimValue, describeServiceAccount, federatedPrincipals, hasWildcard, knownNamespaceAndName, STS_BAD_AUDIENCE } from './support/common';
import { linkedRoles } from './support/sa-links';
import type { Rule } from './types';

/**
 * STS checks the token's aud against the provider's client ids before it
 * reads the trust policy. Audiences come from the trust policies that name
 * the provider and from the ServiceAccounts whose roles they are.
 */
export const rule: Rule = {
  meta: { id: 'oidc-provider-client-id', defaultSeverity: 'error', title: 'OIDC provider client ids lack an audience in use' },
  check(model, report) {
    for (const provider of model.oidcProviders) {
      if (!provider.clientIdsComplete) continue;
      const clientIds = new Set<string>();
      let allKnown = true;
      for (const c of provider.clientIds) {
        const t = knownText(c.value);
        if (t === undefined) allKnown = false;
        else clientIds.add(t);
      }
      if (!allKnown) continue;
      const required = new Map<string, { span: Span; why: string }>();
      for (const policy of model.trustPolicies) {
        for (const statement of model.eksWebIdentityStatements(policy)) {
          if (!federatedPrincipals(statement).some((p) => model.providerForPrincipal(p.value.value)?.id === provider.id)) continue;
          // A condition listing several audiences needs only one of them among the client ids:
          // the others are dead alternatives (trust-aud-value's business), not requirements.
          const byCondition = new Map<Condition, ClaimValue[]>();
          for (const v of claimValues(statement, 'aud')) {
            if (v.semantics !== 'equals' || hasWildcard(v.value)) continue;
            byCondition.set(v.condition, [...(byCondition.get(v.condition) ?? []), v]);
          }
          for (const values of byCondition.values()) {
            if (values.some((v) => clientIds.has(v.value))) continue;
            for (const v of values) if (!required.has(v.value)) required.set(v.value, { span: v.span, why: 'required by this trust condition' });
          }
        }
      }
      for (const sa of model.serviceAccounts) {
        if (!sa.roleArn) continue;
        const audience = knownText(model.audienceOf(sa).value);
        if (audience === undefined || required.has(audience)) continue;
        const roles = linkedRoles(model, sa);
        const id = knownNamespaceAndName(sa);
        const usesProvider = roles?.some((r) =>
          r.webStatements.some(
            (s) => (!id || admitsClaim(s, 'sub', subjectOf(id.namespace, id.name)) !== false) && federatedPrincipals(s).some((p) => model.providerForPrincipal(p.value.value)?.id === provider.id),
          ),
        );
        if (usesProvider) required.set(audience, { span: sa.roleArn.span, why: `audience of ServiceAccount ${describeServiceAccount(sa)}` });
      }
      for (const [audience, source] of required) {
        if (clientIds.has(audience)) continue;
        report({
          span: provider.clientIdsSpan ?? provider.span,
          message:
            `This OIDC provider's client ids (${[...clientIds].map((c) => `\`${c}\``).join(', ') || 'none'}) do not include \`${audience}\`, ` +
            `the audience its tokens carry here. STS checks the audience against the client ids first and answers ${STS_BAD_AUDIENCE}. ` +
            addClientId(provider.id, audience),
          related: [{ span: source.span, message: source.why }],
          data: { audience },
        });
      }
    }
  },
};

/** Where the client id list of this kind of provider is written. */
function addClientId(providerId: string, audience: string): string {
  if (providerId.startsWith('eksctl:')) {
    return `eksctl registers only \`sts.amazonaws.com\`: add \`${audience}\` with \`aws iam add-client-id-to-open-id-connect-provider\`, or use \`sts.amazonaws.com\`.`;
  }
  if (/#module\.[^#]*$/.test(providerId)) return `Add \`${audience}\` to the module's \`openid_connect_audiences\`.`;
  return `Add \`${audience}\` to \`client_id_list\`.`;
}
