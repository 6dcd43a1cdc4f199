/**
 * AWS answers, checked field by field before use. The SDK's types say what
 * AWS should send, not what arrives: a proxy, a stand-in or a changed API
 * can put a number where the issuer URL goes, and a value of the wrong type
 * reaching the rules made three of them throw on every analysis. What is
 * not of the expected shape is left out, and said once as a fault.
 */

/** What `eks:DescribeCluster` told us about a cluster, each field only when well formed. */
export interface DescribedCluster {
  readonly name?: string;
  readonly arn?: string;
  readonly status?: string;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<ID>` or another https URL. */
  readonly issuerUrl?: string;
  /** Fields that were present but malformed, for one fault line. */
  readonly malformed: readonly string[];
}

/** An issuer is an https URL without spaces, of a sane length. */
const ISSUER_URL = /^https:\/\/[^\s/]+(\/[^\s]*)?$/;

export function readDescribedCluster(answer: unknown): DescribedCluster {
  const malformed: string[] = [];
  const cluster = objectAt(answer, 'cluster');
  const text = (value: unknown, field: string, valid: (s: string) => boolean = (s) => s.length > 0 && s.length <= 2048): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && valid(value)) return value;
    malformed.push(field);
    return undefined;
  };
  const name = text(cluster?.['name'], 'name');
  const arn = text(cluster?.['arn'], 'arn');
  const status = text(cluster?.['status'], 'status', (s) => /^[A-Z_]{1,32}$/.test(s));
  const issuerUrl = text(objectAt(objectAt(cluster, 'identity'), 'oidc')?.['issuer'], 'identity.oidc.issuer', (s) => s.length <= 2048 && ISSUER_URL.test(s));
  return { ...(name !== undefined ? { name } : {}), ...(arn !== undefined ? { arn } : {}), ...(status !== undefined ? { status } : {}), ...(issuerUrl !== undefined ? { issuerUrl } : {}), malformed };
}

/** The provider ARNs of an `iam:ListOpenIDConnectProviders` answer (entries that are not strings are left out). */
export function readProviderArns(answer: unknown): string[] {
  const list = objectAt(answer, undefined)?.['OpenIDConnectProviderList'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const arn = objectAt(entry, undefined)?.['Arn'];
    return typeof arn === 'string' ? [arn] : [];
  });
}

/** The client ids of an `iam:GetOpenIDConnectProvider` answer (only strings). */
export function readClientIds(answer: unknown): string[] {
  const list = objectAt(answer, undefined)?.['ClientIDList'];
  return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * The trust policy of an `iam:GetRole` answer, URL-decoded (IAM returns
 * `AssumeRolePolicyDocument` percent-encoded; a document that is not, or
 * does not decode, is taken as written). Undefined without one.
 */
export function readRoleTrust(answer: unknown): string | undefined {
  const document = objectAt(objectAt(answer, 'Role'), undefined)?.['AssumeRolePolicyDocument'];
  if (typeof document !== 'string' || document.length === 0 || document.length > 131_072) return undefined;
  if (document.trimStart().startsWith('{')) return document;
  try {
    return decodeURIComponent(document);
  } catch {
    return undefined;
  }
}

/** `Role.Arn` of an `iam:GetRole` answer. */
export function readRoleArn(answer: unknown): string | undefined {
  const arn = objectAt(answer, 'Role')?.['Arn'];
  return typeof arn === 'string' ? arn : undefined;
}

/** `AttachedPolicies[].PolicyArn` or `PolicyNames[]` of a listing (only strings). */
export function readPolicyNames(answer: unknown, field: 'AttachedPolicies' | 'PolicyNames'): string[] {
  const list = objectAt(answer, undefined)?.[field];
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const value = field === 'PolicyNames' ? entry : objectAt(entry, undefined)?.['PolicyArn'];
    return typeof value === 'string' ? [value] : [];
  });
}

/** `value[key]` when it is a plain object (`value` itself without a key). */
function objectAt(value: unknown, key: string | undefined): Record<string, unknown> | undefined {
  const inner = key === undefined ? value : typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : undefined;
}
