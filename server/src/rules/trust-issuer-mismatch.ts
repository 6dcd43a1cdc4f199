import { displayOwner, knownText, resolvedText, type StrValue } from '../common/value';
import { issuerHostOf, splitConditionKey } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { federatedPrincipals, STS_ACCESS_DENIED } from './support/common';
import { providerArnProblem } from './trust-principal-malformed';
import { forEachEksStatement } from './support/memo';
import type { Rule } from './types';

const ID = 'trust-issuer-mismatch';

/**
 * The issuer in a condition key must be the issuer of the Federated
 * principal: STS puts only the token issuer's keys in the request context.
 */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'Condition key issuer differs from the Federated principal issuer' },
  check(model, report) {
    forEachEksStatement(
      model,
      ID,
      [model.oidcProviders],
      ({ statement }, report) => {
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
          report({
            span: condition.key.span,
            message:
              `This key names issuer \`${keyIssuer.label}\`, but the Federated principal is the provider of \`${principal.issuer!.label}\`. ` +
              `Tokens from that provider never carry \`${keyIssuer.label}:${parts.claim}\`, so the condition never matches and STS answers ` +
              `${STS_ACCESS_DENIED}. Use the same issuer in the key and the principal (a recreated cluster has a new issuer ID).`,
            related: [{ span: principal.p.value.span, message: `Federated principal for ${principal.issuer!.label}` }],
            data: { principalIssuer: principal.issuer!.host ?? '', keyIssuer: keyIssuer.host ?? '' },
          });
        }
      },
      report,
    );
  },
};

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
