/**
 * A live role's trust policy read as the workspace's are: the JSON text
 * `iam:GetRole` returned, parsed and handed to the same IAM policy fact
 * extraction (`facts/iam.ts`), so that every rule judges it with the same
 * domain answers (`admitsClaim`, `webIdentity`). Its spans point into a
 * document of its own (`irsa-live:` URI) that no editor opens: rules quote
 * it in their messages instead of relating to it.
 */
import { LineIndex } from '../common/text';
import { knownText } from '../common/value';
import type { LStr, ServiceAccount, TrustPolicy } from '../facts/types';
import { readTrustPolicy } from '../facts/iam';
import { parseJson } from '../parse/json';
import type { LiveFacts, LiveRole } from './types';

export const LIVE_ROLE_URI_PREFIX = 'irsa-live:role/';

const parsed = new WeakMap<LiveRole, TrustPolicy | null>();

/** The role's live trust policy as facts; undefined unless the role was found and its document is JSON. */
export function liveTrustPolicy(role: LiveRole): TrustPolicy | undefined {
  if (role.kind !== 'found') return undefined;
  let policy = parsed.get(role);
  if (policy === undefined) {
    policy = null;
    try {
      const uri = `${LIVE_ROLE_URI_PREFIX}${encodeURIComponent(role.arn)}`;
      const doc = parseJson({ uri, lines: new LineIndex(role.trustPolicy) });
      if (doc.value && doc.problems.length === 0) policy = readTrustPolicy(doc.value, `live:${role.arn}`, 'json-file');
    } catch {
      // Over a parse budget: not read, so not judged.
    }
    parsed.set(role, policy);
  }
  return policy ?? undefined;
}

/** What IAM said about the ServiceAccount's role ARN, when it was asked. */
export function liveRoleOf(live: LiveFacts | undefined, sa: ServiceAccount): LiveRole | undefined {
  const arn = sa.roleArn ? knownText(sa.roleArn.value) : undefined;
  return arn !== undefined ? live?.roles?.get(arn) : undefined;
}

/** The document, compact, for a message (the first `max` characters). */
export function quotedTrust(role: Extract<LiveRole, { kind: 'found' }>, max = 400): string {
  let text: string;
  try {
    text = JSON.stringify(JSON.parse(role.trustPolicy));
  } catch {
    text = role.trustPolicy.replace(/\s+/g, ' ');
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** `14:05 UTC`, from a fetch time, for messages and hovers. */
export function fetchedAtText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The policy's statements as IAM compares them, one canonical string each
 * (sorted): Sid and Version left out, actions and condition keys in lower
 * case (IAM matches them so), every list a sorted set, a bare account id as
 * a principal written as IAM stores it (`arn:aws:iam::<id>:root`).
 * Undefined when any part is not known: then nothing is compared.
 */
export function canonicalStatements(policy: TrustPolicy): string[] | undefined {
  if (!policy.complete) return undefined;
  const out: string[] = [];
  for (const s of policy.statements) {
    if (s.effect === 'unknown' || !s.actionsComplete || !s.principalsComplete || !s.conditionsComplete) return undefined;
    const texts = (values: readonly LStr[], lower = false): string[] | undefined => {
      const list: string[] = [];
      for (const v of values) {
        const t = knownText(v.value);
        if (t === undefined) return undefined;
        list.push(lower ? t.toLowerCase() : t);
      }
      return [...new Set(list)].sort();
    };
    const actions = texts(s.actions, true);
    if (!actions) return undefined;
    const principals: string[] = [];
    for (const p of s.principals) {
      const t = knownText(p.value.value);
      if (t === undefined) return undefined;
      principals.push(`${p.type}=${p.type === 'AWS' && /^\d{12}$/.test(t) ? `arn:aws:iam::${t}:root` : t}`);
    }
    const conditions: string[] = [];
    for (const c of s.conditions) {
      const values = c.valuesComplete ? texts(c.values) : undefined;
      if (!values) return undefined;
      const key = knownText(c.key.value);
      if (key === undefined) return undefined;
      conditions.push(JSON.stringify([c.operator.value, key.toLowerCase(), values]));
    }
    out.push(JSON.stringify([s.effect, actions, [...new Set(principals)].sort(), conditions.sort()]));
  }
  return out.sort();
}
