/**
 * `trust-issuer-mismatch`: the issuer in a condition key must be the issuer
 * of the Federated principal: STS puts only the token issuer's keys in the
 * request context.
 *
 * Fixes: the key names one issuer, the principal another. Either side may be the stale one, so
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
import { displayOwner, knownText, resolvedText, type StrValue } from '../common/value';
import { byFile } from '../edit/service-accounts';
import { policySyntax } from '../edit/trust-policies';
import type { Fix } from '../edit/types';
import { editableString, elsewhere, rewriteString } from '../edit/values';
import type { Condition, TrustPolicy, TrustStatement } from '../facts/types';
import { STS_ACCESS_DENIED } from '../index/describe';
import { federatedPrincipals, issuerHostOf, splitConditionKey } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { providerArnProblem } from '../index/well-formed';
import { forEachEksStatement } from './support/memo';
import { defineRule, type Reporter } from './types';

/** Present when both issuers are known hosts: only then can a fix write one in place of the other. */
interface Payload {
  readonly policy: TrustPolicy;
  readonly statement: TrustStatement;
  readonly condition: Condition;
  readonly principalIssuer: string;
  readonly keyIssuer: string;
}

export const rule = defineRule({
  meta: { id: 'trust-issuer-mismatch', defaultSeverity: 'error', title: 'Condition key issuer differs from the Federated principal issuer' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    forEachEksStatement<Payload>(
      model,
      'trust-issuer-mismatch',
      [model.oidcProviders],
      ({ policy, statement }, report) => {
        // A principal that is not a well-formed provider ARN names no issuer to compare with: trust-principal-malformed reports it.
        const principals = federatedPrincipals(statement).map((p) => {
          const text = knownText(p.value.value);
          return { p, issuer: text !== undefined && providerArnProblem(text) !== undefined ? undefined : issuerIdentity(p.value.value, model) };
        });
        if (principals.length === 0 || principals.some((x) => x.issuer === undefined)) return;
        for (const condition of statement.conditions) {
          const parts = splitConditionKey(condition.key.value);
          if (!parts || (parts.claim !== 'sub' && parts.claim !== 'aud')) continue;
          const keyIssuer = issuerIdentity(parts.issuer, model);
          if (keyIssuer === undefined) continue;
          if (principals.some((x) => sameIssuer(x.issuer!, keyIssuer))) continue;
          const principal = principals[0]!;
          const principalHost = principal.issuer!.host;
          const keyHost = keyIssuer.host;
          report({
            span: condition.key.span,
            message:
              `This key names issuer \`${keyIssuer.label}\`, but the Federated principal is the provider of \`${principal.issuer!.label}\`. ` +
              `Tokens from that provider never carry \`${keyIssuer.label}:${parts.claim}\`, so the condition never matches and STS answers ` +
              `${STS_ACCESS_DENIED}. Use the same issuer in the key and the principal (a recreated cluster has a new issuer ID).`,
            related: [{ span: principal.p.value.span, message: `Federated principal for ${principal.issuer!.label}` }],
            ...(principalHost && keyHost ? { payload: { policy, statement, condition, principalIssuer: principalHost, keyIssuer: keyHost } } : {}),
          });
        }
      },
      report,
    );
  },
  fixes({ policy, statement, condition, principalIssuer, keyIssuer }, finding, context) {
    const syntax = policySyntax(policy);
    if (!syntax || policy.generated) return [];
    const where = { span: policy.span, syntax };
    const declared = new Set(context.model.oidcProviders.map((p) => resolvedText(p.url)).flatMap((u) => (u === undefined ? [] : [issuerHostOf(u)])));
    const fixes: Fix[] = [];

    const keyText = knownText(condition.key.value);
    const keyTarget = editableString(context, condition.key, where);
    if (keyText?.startsWith(`${keyIssuer}:`) && keyTarget) {
      const key = principalIssuer + keyText.slice(keyIssuer.length);
      fixes.push({
        title: `Use the principal's issuer in the key: \`${key}\`${elsewhere(keyTarget, finding.span.uri)}`,
        changes: byFile([{ uri: keyTarget.span.uri, edit: rewriteString(keyTarget, key) }]),
        preferred: declared.has(principalIssuer) && !declared.has(keyIssuer),
      });
    }

    const principals = federatedPrincipals(statement);
    const principal = principals.length === 1 ? principals[0]! : undefined;
    const principalText = principal && knownText(principal.value.value);
    const principalTarget = principal && editableString(context, principal.value, where);
    const keysAgree = statement.conditions.every((c) => {
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
});

/** An issuer: its known host, or a label naming the symbol it comes from. */
interface IssuerIdentity {
  readonly host?: string;
  readonly label: string;
}

function issuerIdentity(value: StrValue, model: WorkspaceModel): IssuerIdentity | undefined {
  const text = resolvedText(value);
  if (text !== undefined) {
    const host = issuerHostOf(text);
    return { host, label: host };
  }
  const first = value.segments[0];
  if (value.segments.length !== 1 || first?.kind !== 'symbol') return undefined;
  if (first.symbol !== 'provider-arn' && first.symbol !== 'issuer-host' && first.symbol !== 'issuer-url') return undefined;
  // A provider declared with a literal URL resolves to a known host.
  const url = model.providerUrl(first.owner);
  const urlText = url ? resolvedText(url) : undefined;
  if (urlText !== undefined) {
    const host = issuerHostOf(urlText);
    return { host, label: host };
  }
  return { label: `issuer of ${displayOwner(first.owner)}` };
}

/**
 * Only two known hosts can differ for certain. Two symbols with different
 * owners may still be one cluster (`module.eks` and `data.aws_eks_cluster.this`),
 * so anything not fully known counts as the same issuer.
 */
function sameIssuer(a: IssuerIdentity, b: IssuerIdentity): boolean {
  if (a.host !== undefined && b.host !== undefined) return singleStack(a.host) === singleStack(b.host);
  return true;
}

/**
 * The dual-stack host `oidc-eks.<region>.api.aws/id/X` names the issuer
 * `oidc.eks.<region>.amazonaws.com/id/X` too: oidc-provider-dualstack reports
 * the host, and the key and principal are then one cluster's issuer.
 */
function singleStack(host: string): string {
  return host.replace(/^oidc-eks\.([a-z0-9-]+)\.api\.aws\//, 'oidc.eks.$1.amazonaws.com/');
}
