import { displayOwner, knownPrefix, resolvedText, type StrValue } from '../common/value';
import { issuerHostOf, splitConditionKey } from '../index/irsa';
import { IAM_MALFORMED_COLON, STS_ACCESS_DENIED } from './support/common';
import { forEachEksStatement } from './support/memo';
import type { Rule } from './types';

const ID = 'trust-condition-key-scheme';

/**
 * Condition keys are `<issuer host/path>:<claim>`. A key written with
 * `https://` or as a provider ARN never names the token's issuer.
 */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'Condition key carries https:// or an oidc-provider ARN prefix' },
  check(model, report) {
    forEachEksStatement(
      model,
      ID,
      [model.oidcProviders],
      ({ statement }, report) => {
        for (const condition of statement.conditions) {
          const parts = splitConditionKey(condition.key.value);
          if (!parts || (parts.claim !== 'sub' && parts.claim !== 'aud' && parts.claim !== 'amr')) continue;
          const problem = keyProblem(parts.issuer);
          if (!problem) continue;
          const suggestion = suggestedKey(parts.issuer, parts.claim);
          report({
            span: condition.key.span,
            message:
              `This condition key ${problem}. The key must be the issuer without scheme, \`oidc.eks.<region>.amazonaws.com/id/<ID>:${parts.claim}\`: ` +
              `IAM rejects the extra colons with ${IAM_MALFORMED_COLON}, and where it does not, the key never matches and STS answers ${STS_ACCESS_DENIED}. ` +
              `Write \`${suggestion}\`.`,
            data: { claim: parts.claim, suggestion },
          });
        }
      },
      report,
    );
  },
};

function keyProblem(issuer: StrValue): string | undefined {
  const prefix = knownPrefix(issuer);
  if (/^https?:\/\//.test(prefix)) return `starts with \`${prefix.slice(0, prefix.indexOf('//') + 2)}\``;
  if (/^arn:[^:]*:iam::/.test(prefix)) return 'is an `oidc-provider` ARN, not an issuer';
  const first = issuer.segments[0];
  if (prefix === '' && first?.kind === 'symbol') {
    if (first.symbol === 'issuer-url') return `is built from the issuer URL of \`${displayOwner(first.owner)}\`, which starts with \`https://\``;
    if (first.symbol === 'provider-arn') return `is built from the provider ARN of \`${displayOwner(first.owner)}\``;
  }
  return undefined;
}

/** The key to write instead: the Terraform expression that yields the issuer host, else the host when it is known. */
function suggestedKey(issuer: StrValue, claim: string): string {
  const first = issuer.segments[0];
  if (issuer.segments.length === 1 && first?.kind === 'symbol') {
    const owner = displayOwner(first.owner);
    if (owner.startsWith('module.')) return `\${${owner}.oidc_provider}:${claim}`;
    if (owner.startsWith('aws_iam_openid_connect_provider.') || owner.startsWith('data.aws_iam_openid_connect_provider.')) return `\${replace(${owner}.url, "https://", "")}:${claim}`;
    if (owner.startsWith('data.aws_eks_cluster.') || owner.startsWith('aws_eks_cluster.')) return `\${replace(${owner}.identity[0].oidc[0].issuer, "https://", "")}:${claim}`;
  }
  const text = resolvedText(issuer);
  if (text !== undefined) return `${issuerHostOf(text)}:${claim}`;
  return `<issuer without https://>:${claim}`;
}
