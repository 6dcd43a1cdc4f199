/**
 * IRSA domain knowledge shared by the model and the rules: issuers, provider
 * ARNs, condition keys, and whether a trust statement admits a subject.
 * Every function is three-valued where the input can be unknown.
 */
import type { Span } from '../common/text';
import { displayOwner, sourceText, isKnown, knownPrefix, knownText, resolvedText, type StrValue } from '../common/value';
import { wildcardMatch } from '../common/wildcard';
import type { Condition, LStr, Principal, ServiceAccount, TrustStatement } from '../facts/types';

export const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';
export const SUBJECT_PREFIX = 'system:serviceaccount:';

/** `oidc.eks.<region>.amazonaws.com[.cn]/id/<ID>` (no scheme). */
export const EKS_ISSUER_HOST = /^oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/id\/([0-9A-Za-z]+)$/;
export const EKS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
export const EKS_PROVIDER_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f):iam::(\d{12}):oidc-provider\/oidc\.eks\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?\/id\/([0-9A-F]{32})$/;

/** OIDC issuers that are not EKS clusters: their trust policies are not IRSA. */
const NON_EKS_ISSUERS = [
  'token.actions.githubusercontent.com',
  'oidc.circleci.com',
  'gitlab.com',
  'app.terraform.io',
  'accounts.google.com',
  'cognito-identity.amazonaws.com',
  'graph.facebook.com',
  'www.amazon.com',
  'vstoken.dev.azure.com',
  'token.buildkite.com',
  'api.bitbucket.org',
];

/** The issuer host+path a known string names: a URL, a provider ARN, or a condition key prefix. */
export function issuerHostOf(text: string): string {
  return text
    .replace(/^arn:[^:]*:iam::[^:]*:oidc-provider\//, '')
    .replace(/^https?:\/\//, '')
    .replace(/\/$/, '');
}

function isEksIssuerHost(host: string): boolean {
  return /^oidc\.eks\.|^oidc-eks\./.test(host);
}

export function isNonEksIssuerHost(host: string): boolean {
  return NON_EKS_ISSUERS.some((h) => host === h || host.startsWith(`${h}/`));
}

/** The claim a condition key tests (`sub`, `aud`, `amr`, …) and the issuer part before it. */
export interface ConditionKeyParts {
  /** Issuer part of the key as written (may carry a scheme or ARN prefix). */
  readonly issuer: StrValue;
  readonly claim: string;
}

/**
 * Facts are immutable values, so what is derived from one is cached by
 * identity: the cache outlives a model rebuild and costs nothing for facts
 * that went away (WeakMap).
 */
const splitKeyCache = new WeakMap<StrValue, ConditionKeyParts | null>();
const claimConditionsCache = new WeakMap<TrustStatement, Map<string, Condition[]>>();
const actionCache = new WeakMap<TrustStatement, Map<string, boolean | undefined>>();

export function splitConditionKey(key: StrValue): ConditionKeyParts | undefined {
  let parts = splitKeyCache.get(key);
  if (parts === undefined) {
    parts = computeSplitConditionKey(key) ?? null;
    splitKeyCache.set(key, parts);
  }
  return parts ?? undefined;
}

function computeSplitConditionKey(key: StrValue): ConditionKeyParts | undefined {
  const last = key.segments[key.segments.length - 1];
  if (last?.kind !== 'text') return undefined;
  const colon = last.text.lastIndexOf(':');
  if (colon < 0) return undefined;
  // IAM condition key names are case-insensitive: `…:SUB` tests the sub claim.
  const claim = last.text.slice(colon + 1).toLowerCase();
  if (!/^[a-z_]+$/.test(claim)) return undefined;
  const issuerSegments = [...key.segments.slice(0, -1)];
  const head = last.text.slice(0, colon);
  if (head !== '') issuerSegments.push({ kind: 'text', text: head });
  return { issuer: { segments: issuerSegments }, claim };
}

/**
 * What is wrong with a condition key's issuer part, completing "This
 * condition key …": it starts with `https://`, or is an `oidc-provider`
 * ARN. Such a key never names the token's claim: IAM rejects its colons
 * or STS never matches it. `trust-condition-key-scheme` reports it; the
 * inventory does not call a link it admits sound.
 */
export function conditionKeyProblem(issuer: StrValue): string | undefined {
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

export function conditionsForClaim(statement: TrustStatement, claim: string): Condition[] {
  let byClaim = claimConditionsCache.get(statement);
  if (!byClaim) claimConditionsCache.set(statement, (byClaim = new Map()));
  let list = byClaim.get(claim);
  if (!list) byClaim.set(claim, (list = statement.conditions.filter((c) => splitConditionKey(c.key.value)?.claim === claim)));
  return list;
}

/**
 * True only when the statement certainly has no condition on `claim`:
 * its conditions were all read, none tests the claim, and no condition key
 * is computed (`variable = var.key` could be the missing one).
 */
export function lacksClaimCondition(statement: TrustStatement, claim: string): boolean {
  if (!statement.conditionsComplete) return false;
  if (conditionsForClaim(statement, claim).length > 0) return false;
  return !statement.conditions.some((c) => !isKnown(c.key.value) && splitConditionKey(c.key.value) === undefined);
}

export type StatementKind = 'eks' | 'other-oidc' | 'unknown';

/**
 * Whether an Allow statement is an EKS web-identity statement: its principal
 * or condition keys name an EKS issuer (known, or a symbol from an EKS
 * cluster/module/provider), or its sub values are ServiceAccount subjects.
 */
export function classifyWebIdentity(statement: TrustStatement, providerUrl: (owner: string) => StrValue | undefined): StatementKind {
  const hosts: string[] = [];
  let eksSymbol = false;
  const consider = (value: StrValue): void => {
    const resolved = resolvedText(value);
    if (resolved !== undefined) {
      hosts.push(issuerHostOf(resolved));
      return;
    }
    for (const segment of value.segments) {
      if (segment.kind !== 'symbol') continue;
      if (segment.symbol === 'issuer-host' || segment.symbol === 'issuer-url' || segment.symbol === 'provider-arn') {
        const url = providerUrl(segment.owner);
        const text = url ? resolvedText(url) : undefined;
        if (text !== undefined) hosts.push(issuerHostOf(text));
        else if (!url || url.segments.some((s) => s.kind === 'symbol')) eksSymbol = true;
      }
    }
    const prefix = knownPrefix(value);
    if (prefix.length > 0) hosts.push(issuerHostOf(prefix));
  };
  for (const p of statement.principals) if (p.type === 'Federated') consider(p.value.value);
  for (const c of statement.conditions) {
    const parts = splitConditionKey(c.key.value);
    if (parts) consider(parts.issuer);
  }
  if (hosts.some(isNonEksIssuerHost)) return 'other-oidc';
  if (hosts.some(isEksIssuerHost) || eksSymbol) return 'eks';
  const subs = conditionsForClaim(statement, 'sub').flatMap((c) => c.values);
  if (subs.some((v) => knownPrefix(v.value).startsWith(SUBJECT_PREFIX))) return 'eks';
  return 'unknown';
}

export function hasAction(statement: TrustStatement, action: string): boolean | undefined {
  let byAction = actionCache.get(statement);
  if (!byAction) actionCache.set(statement, (byAction = new Map()));
  if (byAction.has(action)) return byAction.get(action);
  const result = computeHasAction(statement, action);
  byAction.set(action, result);
  return result;
}

function computeHasAction(statement: TrustStatement, action: string): boolean | undefined {
  let unknownSeen = !statement.actionsComplete;
  for (const a of statement.actions) {
    const text = knownText(a.value);
    if (text === undefined) {
      unknownSeen = true;
      continue;
    }
    if (globMatch(text.toLowerCase(), action.toLowerCase())) return true;
  }
  return unknownSeen ? undefined : false;
}

/** IAM string globbing: `*` any run, `?` one character; case-sensitive unless lowered by the caller. Linear, never backtracking: see `common/wildcard.ts`. */
export function globMatch(pattern: string, text: string): boolean {
  return wildcardMatch(pattern, text);
}

/** Operators whose values are compared as globs (`StringLike`) or literally (`StringEquals`). */
export function operatorSemantics(operator: string): 'equals' | 'like' | 'other' {
  const op = operator.replace(/^(ForAnyValue|ForAllValues):/, '').replace(/IfExists$/, '');
  if (op === 'StringEquals') return 'equals';
  if (op === 'StringLike') return 'like';
  return 'other';
}

/**
 * Does this statement admit a token with claim `claim` = `value`? `true`,
 * `false`, or `undefined` when it depends on something unknown. All
 * conditions on the claim must hold (IAM ANDs condition operators and keys).
 */
export function admitsClaim(statement: TrustStatement, claim: string, value: string): boolean | undefined {
  if (!statement.conditionsComplete) {
    // A condition we could not read might restrict further; it cannot widen.
    const verdict = admitsKnownConditions(statement, claim, value);
    return verdict === false ? false : undefined;
  }
  return admitsKnownConditions(statement, claim, value);
}

function admitsKnownConditions(statement: TrustStatement, claim: string, value: string): boolean | undefined {
  let result: boolean | undefined = true;
  for (const condition of conditionsForClaim(statement, claim)) {
    const semantics = operatorSemantics(condition.operator.value);
    if (semantics === 'other') {
      result = undefined;
      continue;
    }
    let matched = false;
    let unknownValue = !condition.valuesComplete;
    for (const v of condition.values) {
      const text = knownText(v.value);
      if (text === undefined) {
        unknownValue = true;
        continue;
      }
      if (semantics === 'equals' ? text === value : globMatch(text, value)) matched = true;
    }
    if (matched) continue;
    if (unknownValue) result = undefined;
    else return false;
  }
  return result;
}

/** `arn:aws:iam::123456789012:role/path/name` → its parts; undefined when not a role ARN. */
export function parseRoleArn(text: string): { partition: string; account: string; path: string; name: string } | undefined {
  const m = /^arn:([a-z0-9-]+):iam::(\d{12}):role(\/.*)$/.exec(text);
  if (!m) return undefined;
  const full = m[3]!;
  const slash = full.lastIndexOf('/');
  return { partition: m[1]!, account: m[2]!, path: full.slice(0, slash + 1), name: full.slice(slash + 1) };
}

/** The role-arn annotation check of amazon-eks-pod-identity-webhook. */
export const WEBHOOK_ROLE_ARN = /^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w\-/.@+=,]+$/;

export function parseSubject(text: string): { namespace: string; name: string } | undefined {
  if (!text.startsWith(SUBJECT_PREFIX)) return undefined;
  const rest = text.slice(SUBJECT_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  return { namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

export function subjectOf(namespace: string, name: string): string {
  return `${SUBJECT_PREFIX}${namespace}:${name}`;
}

// ─── ServiceAccounts ─────────────────────────────────────────────────────────

/** The ServiceAccount's namespace and name when both are known. */
export function knownNamespaceAndName(sa: ServiceAccount): { namespace: string; name: string } | undefined {
  const namespace = knownText(sa.namespace.value);
  const name = knownText(sa.name.value);
  return namespace !== undefined && name !== undefined ? { namespace, name } : undefined;
}

const subjectCache = new WeakMap<ServiceAccount, string | null>();

/**
 * The subject its tokens carry, `system:serviceaccount:<ns>:<name>`, when
 * both are known: the one definition every rule, fix and feature uses.
 * Cached per (immutable) ServiceAccount.
 */
export function subjectOfServiceAccount(sa: ServiceAccount): string | undefined {
  let subject = subjectCache.get(sa);
  if (subject === undefined) {
    const id = knownNamespaceAndName(sa);
    subject = id ? subjectOf(id.namespace, id.name) : null;
    subjectCache.set(sa, subject);
  }
  return subject ?? undefined;
}

// ─── Statements ──────────────────────────────────────────────────────────────

export function federatedPrincipals(statement: TrustStatement): Principal[] {
  return statement.principals.filter((p) => p.type === 'Federated');
}

/** Where statement-level findings point: the Federated principal value, else the statement. */
export function principalAnchor(statement: TrustStatement): Span {
  return federatedPrincipals(statement)[0]?.value.span ?? statement.span;
}

/** The issuer a statement's Federated principal names, as `oidc.eks…/id/X`, when known. */
function principalIssuer(statement: TrustStatement): string | undefined {
  for (const p of federatedPrincipals(statement)) {
    const text = resolvedText(p.value.value);
    if (text !== undefined) return issuerHostOf(text);
  }
  return undefined;
}

/** `oidc.eks…/id/X:sub` for messages and edits: from the principal when known, else a generic form. */
export function claimKeyFor(statement: TrustStatement, claim: string): string {
  const issuer = principalIssuer(statement);
  if (issuer !== undefined) return `${issuer}:${claim}`;
  // The other claim's key, when every part of it can be written back as Terraform source.
  for (const c of statement.conditions) {
    const written = sourceText(c.key.value);
    if (written !== undefined && /:(sub|aud)$/.test(written)) return written.replace(/:(sub|aud)$/, `:${claim}`);
  }
  // A provider ARN from Terraform: name the expression that yields its issuer without scheme.
  const first = federatedPrincipals(statement)[0]?.value.value.segments;
  const owner = first?.length === 1 && first[0]?.kind === 'symbol' && first[0].symbol === 'provider-arn' ? displayOwner(first[0].owner) : undefined;
  if (owner?.startsWith('module.')) return `\${${owner}.oidc_provider}:${claim}`;
  if (owner?.startsWith('aws_iam_openid_connect_provider.')) return `\${replace(${owner}.url, "https://", "")}:${claim}`;
  return `<issuer>:${claim}`;
}

export interface ClaimValue {
  readonly condition: Condition;
  /** The value's text. */
  readonly value: string;
  readonly span: Span;
  /** The value as the condition holds it (for edits: `editableString`). */
  readonly written: LStr;
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
      if (text !== undefined) out.push({ condition, value: text, span: v.span, written: v, semantics });
    }
  }
  return out;
}

/** Whether an IAM string holds a glob character (`*` or `?`). */
export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text);
}
