/**
 * Adding a claim condition (`:sub`, `:aud`) to a trust statement, with the
 * issuer part of its key written as the statement already writes it.
 */
import type { TrustStatement } from '../facts/types';
import { knownPrefix, type StrValue } from '../common/value';
import { claimKeyFor, conditionsForClaim, splitConditionKey } from '../index/irsa';
import { spanText } from './edits';
import { policyString, type StatementSource } from './trust-policies';

/**
 * The key token for `claim`: the other claim's key as written with its claim
 * swapped (so `"${local.issuer}:aud"` gives `"${local.issuer}:sub"`), else
 * the issuer the principal names. Undefined when neither is certain.
 */
export function claimKeyToken(source: StatementSource, statement: TrustStatement, claim: 'sub' | 'aud'): string | undefined {
  const sibling = conditionsForClaim(statement, claim === 'sub' ? 'aud' : 'sub')[0];
  // A sibling key with a scheme or ARN prefix is itself wrong (trust-condition-key-scheme): do not copy it.
  if (sibling && sibling.key.span.uri === source.uri && issuerWithoutPrefix(sibling.key.value)) {
    const written = spanText(source.lines, sibling.key.span);
    if (/^"[^\r\n]*:(sub|aud)"$/i.test(written)) return written.replace(/:(sub|aud)"$/i, `:${claim}"`);
  }
  const key = claimKeyFor(statement, claim);
  if (key.includes('<issuer>') || (key.includes('${') && !source.how.templates)) return undefined;
  return policyString(source, key);
}

function issuerWithoutPrefix(key: StrValue): boolean {
  const issuer = splitConditionKey(key)?.issuer;
  const first = issuer?.segments[0];
  if (!issuer || !first) return false;
  if (first.kind === 'symbol' && (first.symbol === 'issuer-url' || first.symbol === 'provider-arn')) return false;
  return !/^(https?:\/\/|arn:)/.test(knownPrefix(issuer));
}
