import { knownText } from '../common/value';
import { EKS_PROVIDER_ARN, EKS_REGION, isNonEksIssuerHost } from '../index/irsa';
import { federatedPrincipals } from './support/common';
import type { Rule } from './types';

/** Why a Federated value meant as an EKS provider ARN is not one; undefined when valid or not EKS. */
export function providerArnProblem(text: string): string | undefined {
  if (EKS_PROVIDER_ARN.test(text)) return undefined;
  const looksEks = /oidc\.eks\.|oidc-eks\./.test(text);
  if (!looksEks) return undefined;
  if (/oidc-eks\.[^/]*\.api\.aws/.test(text)) return undefined; // dual-stack host: its own rule
  if (/^https?:\/\//.test(text) || /^oidc\.eks\./.test(text)) return 'it is an issuer URL, not a provider ARN (`arn:aws:iam::<account>:oidc-provider/<issuer host>`)';
  if (!/:oidc-provider\//.test(text)) return 'it lacks `:oidc-provider/` before the issuer host';
  if (/oidc-provider\/https?:\/\//.test(text)) return 'the issuer after `oidc-provider/` must not carry `https://`';
  const m = /^arn:([^:]*):iam:([^:]*):([^:]*):oidc-provider\/(.*)$/.exec(text);
  if (!m) return 'it is not of the form `arn:<partition>:iam::<account>:oidc-provider/<issuer host>`';
  const [, partition = '', region = '', account = '', host = ''] = m;
  if (!/^aws(-cn|-us-gov|-iso[a-z-]*)?$/.test(partition)) return `\`${partition}\` is not an AWS partition`;
  if (region !== '') return 'IAM ARNs have no region: the part after `iam:` must be empty';
  if (!/^\d{12}$/.test(account)) return `the account \`${account}\` is not 12 digits`;
  const hm = /^oidc\.eks\.([^.]+)\.amazonaws\.com(\.cn)?\/id\/(.*)$/.exec(host);
  if (!hm) return `\`${host}\` is not an EKS issuer (\`oidc.eks.<region>.amazonaws.com/id/<ID>\`)`;
  if (!EKS_REGION.test(hm[1] ?? '')) return `\`${hm[1]}\` is not an AWS region`;
  const id = hm[3] ?? '';
  if (!/^[0-9A-F]{32}$/.test(id)) return `the issuer ID \`${id}\` is not 32 upper-case hexadecimal characters`;
  return 'it is not a valid EKS OIDC provider ARN';
}

/** A Federated principal that is meant as an EKS provider ARN and is not one. */
export const rule: Rule = {
  meta: { id: 'trust-principal-malformed', defaultSeverity: 'error', title: 'Federated principal is not a valid EKS OIDC provider ARN' },
  check(model, report) {
    for (const policy of model.trustPolicies) {
      for (const statement of policy.statements) {
        for (const p of federatedPrincipals(statement)) {
          const text = knownText(p.value.value);
          if (text === undefined || isNonEksIssuerHost(text)) continue;
          const problem = providerArnProblem(text);
          if (!problem) continue;
          report({
            span: p.value.span,
            message:
              `This Federated principal is not a valid EKS OIDC provider ARN: ${problem}. IAM rejects the policy ` +
              `(\`MalformedPolicyDocument\`) or no token ever matches it. Use ` +
              `\`arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>\`.`,
          });
        }
      }
    }
  },
};
