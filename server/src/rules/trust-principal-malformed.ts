import { displayOwner, knownText, type StrValue } from '../common/value';
import { EKS_PROVIDER_ARN, EKS_REGION, isNonEksIssuerHost } from '../index/irsa';
import { federatedPrincipals } from './support/common';
import { forEachStatement } from './support/memo';
import type { Rule } from './types';

/** Why a Federated value meant as an EKS provider ARN is not one; undefined when valid or not EKS. */
export function providerArnProblem(text: string): string | undefined {
  if (EKS_PROVIDER_ARN.test(text)) return undefined;
  // Also `oidc.<region>.eks.amazonaws.com`, the host written in the wrong order.
  const looksEks = /oidc\.eks\.|oidc-eks\.|\.eks\.amazonaws\.com(\.cn)?\//.test(text);
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
  const swapped = /^oidc\.([a-z0-9-]+)\.eks\.amazonaws\.com/.exec(host);
  if (swapped) return `the host is \`oidc.eks.${swapped[1]}.amazonaws.com\`, not \`oidc.${swapped[1]}.eks.amazonaws.com\``;
  if (host.endsWith('/')) return 'the issuer must not end with `/`';
  const hm = /^oidc\.eks\.([^.]+)\.amazonaws\.com(\.cn)?\/id\/(.*)$/.exec(host);
  if (!hm) return `\`${host}\` is not an EKS issuer (\`oidc.eks.<region>.amazonaws.com/id/<ID>\`)`;
  if (!EKS_REGION.test(hm[1] ?? '')) return `\`${hm[1]}\` is not an AWS region`;
  const id = hm[3] ?? '';
  if (!/^[0-9A-F]{32}$/.test(id)) return `the issuer ID \`${id}\` is not 32 upper-case hexadecimal characters`;
  return 'it is not a valid EKS OIDC provider ARN';
}

const ID = 'trust-principal-malformed';

/** A Federated principal that is meant as an EKS provider ARN and is not one. */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'Federated principal is not a valid EKS OIDC provider ARN' },
  check(model, report) {
    forEachStatement(
      model,
      ID,
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
};

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
