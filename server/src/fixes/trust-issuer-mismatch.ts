/**
 * Fixes for `trust-issuer-mismatch`: the condition key names one issuer,
 * the Federated principal another. Either side may be the stale one, so
 * both are offered, each rewriting one literal:
 * - "Use the principal's issuer in the key": the key's issuer becomes the
 *   principal's;
 * - "Use the key's issuer in the principal": the provider ARN's issuer
 *   becomes the key's, only when every sub/aud key of the statement names
 *   that issuer (else the fix would break the others) and the statement has
 *   one Federated principal.
 * A side is preferred only when the workspace decides: its issuer is an
 * OIDC provider the workspace declares and the other side's is not.
 */
import { resolvedText, knownText } from '../common/value';
import { issuerHostOf, splitConditionKey } from '../index/irsa';
import { federatedPrincipals } from '../rules/support/common';
import { conditionWithKeyAt, policySyntax } from './locate';
import { byFile } from './service-account-edits';
import type { Fix, FixProvider } from './types';
import { editableString, elsewhere, rewriteString } from './values';

export const fix: FixProvider = {
  ruleId: 'trust-issuer-mismatch',
  fixes(finding, context) {
    const principalIssuer = finding.data?.['principalIssuer'];
    const keyIssuer = finding.data?.['keyIssuer'];
    const site = conditionWithKeyAt(context.model, finding.span);
    const syntax = site && policySyntax(site.policy);
    if (typeof principalIssuer !== 'string' || typeof keyIssuer !== 'string' || !principalIssuer || !keyIssuer || !site || !syntax || site.policy.generated) return [];
    const where = { span: site.policy.span, syntax };
    const declared = new Set(context.model.oidcProviders.map((p) => resolvedText(p.url)).flatMap((u) => (u === undefined ? [] : [issuerHostOf(u)])));
    const fixes: Fix[] = [];

    const keyText = knownText(site.condition.key.value);
    const keyTarget = editableString(context, site.condition.key, where);
    if (keyText?.startsWith(`${keyIssuer}:`) && keyTarget) {
      const key = principalIssuer + keyText.slice(keyIssuer.length);
      fixes.push({
        title: `Use the principal's issuer in the key: \`${key}\`${elsewhere(keyTarget, finding.span.uri)}`,
        changes: byFile([{ uri: keyTarget.span.uri, edit: rewriteString(keyTarget, key) }]),
        preferred: declared.has(principalIssuer) && !declared.has(keyIssuer),
      });
    }

    const principals = federatedPrincipals(site.statement);
    const principal = principals.length === 1 ? principals[0]! : undefined;
    const principalText = principal && knownText(principal.value.value);
    const principalTarget = principal && editableString(context, principal.value, where);
    const keysAgree = site.statement.conditions.every((c) => {
      const parts = splitConditionKey(c.key.value);
      if (!parts || (parts.claim !== 'sub' && parts.claim !== 'aud')) return true;
      const text = knownText(c.key.value);
      return text !== undefined && text.startsWith(`${keyIssuer}:`);
    });
    if (principalText?.endsWith(`oidc-provider/${principalIssuer}`) && principalTarget && keysAgree) {
      const arn = principalText.slice(0, principalText.length - principalIssuer.length) + keyIssuer;
      fixes.push({
        title: `Use the key's issuer in the principal: \`${arn}\`${elsewhere(principalTarget, finding.span.uri)}`,
        changes: byFile([{ uri: principalTarget.span.uri, edit: rewriteString(principalTarget, arn) }]),
        preferred: declared.has(keyIssuer) && !declared.has(principalIssuer),
      });
    }
    return fixes;
  },
};
