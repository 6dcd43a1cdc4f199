/** `trust-principal-malformed`: a Federated principal that is meant as an EKS provider ARN and is not one. */
import { displayOwner, knownText, type StrValue } from '../common/value';
import { federatedPrincipals, isNonEksIssuerHost } from '../index/irsa';
import { providerArnProblem } from '../index/well-formed';
import { forEachStatement } from './support/memo';
import { defineRule } from './types';

export const rule = defineRule({
  meta: { id: 'trust-principal-malformed', defaultSeverity: 'error', title: 'Federated principal is not a valid EKS OIDC provider ARN' },
  check(model, report) {
    forEachStatement(
      model,
      'trust-principal-malformed',
      [model.oidcProviders],
      ({ statement }, report) => {
        for (const p of federatedPrincipals(statement)) {
          const text = knownText(p.value.value);
          if (text !== undefined && isNonEksIssuerHost(text)) continue;
          if (text === undefined && model.statementKind(statement) === 'other-oidc') continue;
          const symbolic = text === undefined ? symbolProblem(p.value.value) : undefined;
          const problem = text !== undefined ? providerArnProblem(text) : symbolic?.problem;
          if (!problem) continue;
          report({
            span: p.value.span,
            message:
              `This Federated principal is not a valid EKS OIDC provider ARN: ${problem}. IAM rejects the policy ` +
              `(\`MalformedPolicyDocument\`) or no token ever matches it. Use ` +
              (symbolic?.fix ?? `\`arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>\`.`),
          });
        }
      },
      report,
    );
  },
});

/**
 * Principals built from Terraform references whose shape alone is wrong: the
 * issuer itself instead of the provider ARN, or `oidc-provider/` followed by
 * an issuer URL (which carries `https://`).
 */
function symbolProblem(value: StrValue): { problem: string; fix: string } | undefined {
  const segments = value.segments;
  const first = segments[0];
  if (segments.length === 1 && first?.kind === 'symbol' && (first.symbol === 'issuer-url' || first.symbol === 'issuer-host')) {
    const owner = displayOwner(first.owner);
    return { problem: `it is the issuer of \`${owner}\`, not its provider ARN`, fix: providerArnFix(owner) };
  }
  for (let i = 1; i < segments.length; i++) {
    const before = segments[i - 1]!;
    const segment = segments[i]!;
    if (before.kind === 'text' && before.text.endsWith('oidc-provider/') && segment.kind === 'symbol' && segment.symbol === 'issuer-url') {
      const owner = displayOwner(segment.owner);
      return { problem: `the issuer after \`oidc-provider/\` is the issuer URL of \`${owner}\`, which carries \`https://\``, fix: providerArnFix(owner) };
    }
  }
  return undefined;
}

function providerArnFix(owner: string): string {
  if (owner.startsWith('module.')) return `\`${owner}.oidc_provider_arn\`.`;
  if (owner.startsWith('aws_iam_openid_connect_provider.') || owner.startsWith('data.aws_iam_openid_connect_provider.')) return `\`${owner}.arn\`.`;
  return '`arn:aws:iam::<account>:oidc-provider/<issuer without https://>`.';
}
