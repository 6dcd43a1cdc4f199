/**
 * Small helpers shared by rules: wording of STS errors, anchors, and the
 * statement walks most trust rules start from.
 */
import type { Span } from '../../common/text';
import { display, displayOwner, knownText, resolvedText, type StrValue } from '../../common/value';
import type { Condition, Principal, ServiceAccount, TrustStatement } from '../../facts/types';
import { conditionsForClaim, issuerHostOf, operatorSemantics } from '../../index/irsa';
import type { WorkspaceModel } from '../../index/model';

export const STS_ACCESS_DENIED = '`AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity`';
export const STS_BAD_AUDIENCE = '`InvalidIdentityToken: Incorrect token audience`';
export const STS_NO_PROVIDER = '`InvalidIdentityToken: No OpenIDConnect provider found in your account`';
export const IAM_MALFORMED_COLON = '`MalformedPolicyDocument: Condition can contain only one colon`';

export type { EksStatement } from '../../index/model';
import type { EksStatement } from '../../index/model';

/** Every Allow statement of the workspace that is EKS web identity. */
export function eksStatements(model: WorkspaceModel): readonly EksStatement[] {
  return model.allEksWebIdentityStatements();
}

export function federatedPrincipals(statement: TrustStatement): Principal[] {
  return statement.principals.filter((p) => p.type === 'Federated');
}

/** Where statement-level findings point: the Federated principal value, else the statement. */
export function principalAnchor(statement: TrustStatement): Span {
  return federatedPrincipals(statement)[0]?.value.span ?? statement.span;
}

/** The issuer a statement's Federated principal names, as `oidc.eks…/id/X`, when known. */
export function principalIssuer(statement: TrustStatement): string | undefined {
  for (const p of federatedPrincipals(statement)) {
    const text = resolvedText(p.value.value);
    if (text !== undefined) return issuerHostOf(text);
  }
  return undefined;
}

/** `oidc.eks…/id/X:sub` for messages: from the principal when known, else a generic form. */
export function claimKeyFor(statement: TrustStatement, claim: string): string {
  const issuer = principalIssuer(statement);
  if (issuer !== undefined) return `${issuer}:${claim}`;
  const existing = statement.conditions.find((c) => /:(sub|aud)$/.test(display(c.key.value)));
  if (existing) return display(existing.key.value).replace(/:(sub|aud)$/, `:${claim}`);
  // A provider ARN from Terraform: name the expression that yields its issuer without scheme.
  const first = federatedPrincipals(statement)[0]?.value.value.segments;
  const owner = first?.length === 1 && first[0]?.kind === 'symbol' && first[0].symbol === 'provider-arn' ? displayOwner(first[0].owner) : undefined;
  if (owner?.startsWith('module.')) return `\${${owner}.oidc_provider}:${claim}`;
  if (owner?.startsWith('aws_iam_openid_connect_provider.')) return `\${replace(${owner}.url, "https://", "")}:${claim}`;
  return `<issuer>:${claim}`;
}

export interface ClaimValue {
  readonly condition: Condition;
  readonly value: string;
  readonly span: Span;
  readonly semantics: 'equals' | 'like' | 'other';
}

const claimValuesCache = new WeakMap<TrustStatement, Map<string, readonly ClaimValue[]>>();

/** Known values of the statement's conditions on `claim`, with their operator semantics. */
export function claimValues(statement: TrustStatement, claim: string): readonly ClaimValue[] {
  let byClaim = claimValuesCache.get(statement);
  if (!byClaim) claimValuesCache.set(statement, (byClaim = new Map()));
  let values = byClaim.get(claim);
  if (!values) byClaim.set(claim, (values = computeClaimValues(statement, claim)));
  return values;
}

function computeClaimValues(statement: TrustStatement, claim: string): ClaimValue[] {
  const out: ClaimValue[] = [];
  for (const condition of conditionsForClaim(statement, claim)) {
    const semantics = operatorSemantics(condition.operator.value);
    for (const v of condition.values) {
      const text = knownText(v.value);
      if (text !== undefined) out.push({ condition, value: text, span: v.span, semantics });
    }
  }
  return out;
}

export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text);
}

/** `ns/name`; a part the workspace does not tell (a Helm values file's namespace) reads `<namespace>`, not `${?}`. */
export function describeServiceAccount(sa: ServiceAccount): string {
  const part = (value: StrValue, what: string): string => (value.segments.length > 0 && value.segments.every((s) => s.kind === 'unknown') ? `<${what}>` : display(value));
  return `${part(sa.namespace.value, sa.origin === 'helm' ? 'release namespace' : 'namespace')}/${part(sa.name.value, 'name')}`;
}

export function knownNamespaceAndName(sa: ServiceAccount): { namespace: string; name: string } | undefined {
  const namespace = knownText(sa.namespace.value);
  const name = knownText(sa.name.value);
  return namespace !== undefined && name !== undefined ? { namespace, name } : undefined;
}

export function quote(value: StrValue | string): string {
  return '`' + (typeof value === 'string' ? value : display(value)) + '`';
}

export function levenshtein(a: string, b: string, max = 8): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    let rowMin = prev[0];
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
      rowMin = Math.min(rowMin, prev[j]!);
    }
    if (rowMin > max) return max + 1;
  }
  return prev[b.length]!;
}

/** `file.tf:12` for messages that point at another place. */
export function where(span: Span): string {
  const name = decodeURIComponent(span.uri.slice(span.uri.lastIndexOf('/') + 1));
  return `${name}:${span.range.start.line + 1}`;
}
