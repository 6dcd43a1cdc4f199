/**
 * Small helpers shared by rules: wording of STS errors, anchors, and the
 * statement walks most trust rules start from.
 */
import type { Span } from '../../common/text';
import { display, knownText, resolvedText, type StrValue } from '../../common/value';
import type { Condition, Principal, ServiceAccount, TrustPolicy, TrustStatement } from '../../facts/types';
import { conditionsForClaim, issuerHostOf, operatorSemantics } from '../../index/irsa';
import type { WorkspaceModel } from '../../index/model';

export const STS_ACCESS_DENIED = '`AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity`';
export const STS_BAD_AUDIENCE = '`InvalidIdentityToken: Incorrect token audience`';
export const STS_NO_PROVIDER = '`InvalidIdentityToken: No OpenIDConnect provider found in your account`';
export const IAM_MALFORMED_COLON = '`MalformedPolicyDocument: Condition can contain only one colon`';

export interface EksStatement {
  readonly policy: TrustPolicy;
  readonly statement: TrustStatement;
}

/** Every Allow statement of the workspace that is EKS web identity. */
export function* eksStatements(model: WorkspaceModel): Generator<EksStatement> {
  for (const policy of model.trustPolicies) {
    for (const statement of model.eksWebIdentityStatements(policy)) yield { policy, statement };
  }
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
  return `<issuer>:${claim}`;
}

/** Known values of the statement's conditions on `claim`, with their operator semantics. */
export function claimValues(statement: TrustStatement, claim: string): { condition: Condition; value: string; span: Span; semantics: 'equals' | 'like' | 'other' }[] {
  const out: { condition: Condition; value: string; span: Span; semantics: 'equals' | 'like' | 'other' }[] = [];
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

export function describeServiceAccount(sa: ServiceAccount): string {
  return `${display(sa.namespace.value)}/${display(sa.name.value)}`;
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
