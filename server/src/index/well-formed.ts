/**
 * Whether a value is well formed as STS and IAM read it: a token subject,
 * an EKS OIDC provider ARN. Several rules judge the same values (a
 * malformed subject is `trust-sub-format`'s and no other rule's), so the
 * judgement lives here, once.
 */
import { EKS_PROVIDER_ARN, EKS_REGION, SUBJECT_PREFIX } from './irsa';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * What is wrong with a subject, or undefined when it is well formed. With
 * `pattern`, `*` and `?` stand for characters and only the literal text is judged.
 */
export function subjectProblem(value: string, pattern: boolean): string | undefined {
  if (value.startsWith('system:serviceaccounts:') || value === 'system:serviceaccounts') {
    return '`system:serviceaccounts:` (plural) names a group of ServiceAccounts, never a token subject';
  }
  if (!value.startsWith(SUBJECT_PREFIX)) {
    if (pattern && SUBJECT_PREFIX.startsWith(value.split(/[*?]/)[0] ?? '')) return undefined;
    if (/^[a-z0-9-]+[/:][a-z0-9.-]+$/.test(value)) return `the sub claim is \`${SUBJECT_PREFIX}${value.replace('/', ':')}\`, not \`${value}\``;
    return `an EKS token's sub claim always has the form \`${SUBJECT_PREFIX}<namespace>:<name>\``;
  }
  const rest = value.slice(SUBJECT_PREFIX.length);
  const parts = rest.split(':');
  if (parts.length !== 2) {
    if (pattern && parts.length === 1 && /[*?]/.test(rest)) return undefined;
    if (parts.length > 2) return 'it has more than two parts after `system:serviceaccount:`';
    return rest.includes('/') ? 'the namespace and the name must be separated by `:`, not `/`' : `the namespace is missing: \`${rest}\` must be \`<namespace>:${rest}\``;
  }
  const [namespace = '', name = ''] = parts;
  const check = (s: string, re: RegExp, max: number): boolean => {
    const literal = pattern ? s.replace(/[*?]/g, 'a') : s;
    return literal.length <= max && (re.test(literal) || (pattern && /^[*?]+$/.test(s)));
  };
  if (namespace !== namespace.toLowerCase() || name !== name.toLowerCase()) return 'Kubernetes names are lower case';
  if (!check(namespace, DNS_LABEL, 63)) return `\`${namespace}\` is not a valid namespace (a DNS-1123 label: lower-case letters, digits and \`-\`, at most 63)`;
  if (!check(name, DNS_SUBDOMAIN, 253)) return `\`${name}\` is not a valid ServiceAccount name (a DNS-1123 subdomain: lower-case letters, digits, \`-\` and \`.\`)`;
  return undefined;
}

/**
 * An account field that is a placeholder for the reader to fill, not a
 * mistyped account: a name (`ACCOUNT_ID`, `YOUR-ACCOUNT`, `account_id`),
 * `xxxx…`, ten or more of one digit (`66666666666`), or counting
 * digits (`1234567890`, `0123456789`), as runbooks and samples write them.
 * (Unknown segments such as `<ACCOUNT_ID>` or `${ACCOUNT_ID}` never reach
 * here: they are unknown values already.) Real-looking twelve-digit ids
 * such as `111122223333` are valid accounts and need no exception.
 */
export function isPlaceholderAccount(account: string): boolean {
  if (/^[A-Za-z][A-Za-z_-]*$/.test(account) && /acc(oun)?t|id|your|number/i.test(account)) return true;
  if (/^x{4,}$/i.test(account) || /^(\d)\1{9,}$/.test(account)) return true;
  return account.length >= 5 && ('01234567890123'.includes(account) || '12345678910111'.startsWith(account));
}

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
  if (isPlaceholderAccount(account)) return undefined;
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
