/**
 * Terraform's `regex(pattern, string)` and `regexall(pattern, string)`, with
 * the result shapes Terraform gives them: without capture groups the
 * matched text; with unnamed groups a tuple of their texts; with named
 * groups an object by name (a group that took no part is null). Mixing
 * named and unnamed groups is an error in Terraform, and `regex` without a
 * match fails the plan: both are unknown values here, as is a pattern the
 * safe engine refuses (see `common/safe-regex.ts`).
 */
import type { Span } from '../common/text';
import type { RegexMatch, RegexMatches, RegexSession } from '../common/safe-regex';
import { known } from '../common/value';
import type { DocValue } from '../parse/document';

export function regexFunction(name: 'regex' | 'regexall', session: RegexSession, pattern: string, subject: string, span: Span): DocValue {
  const found = name === 'regex' ? session.firstMatch(pattern, subject) : session.allMatches(pattern, subject);
  if (!found.ok) return { kind: 'unknown', reason: `${name}(): ${found.reason}`, span };
  const shape = resultShape(found.value);
  if (shape === undefined) return { kind: 'unknown', reason: `${name}() with both named and unnamed capture groups`, span };
  const values = found.value.matches.map((m) => matchValue(m, shape, found.value.groupNames, span));
  if (name === 'regexall') return { kind: 'array', items: values, complete: true, span };
  return values[0] ?? { kind: 'unknown', reason: 'regex() pattern did not match', span };
}

type Shape = 'text' | 'tuple' | 'object';

function resultShape({ groupNames }: RegexMatches): Shape | undefined {
  if (groupNames.length === 0) return 'text';
  const named = groupNames.filter((n) => n !== undefined).length;
  if (named === 0) return 'tuple';
  return named === groupNames.length ? 'object' : undefined;
}

function matchValue(match: RegexMatch, shape: Shape, groupNames: readonly (string | undefined)[], span: Span): DocValue {
  const text = (t: string | undefined): DocValue => (t === undefined ? { kind: 'null', span } : { kind: 'string', value: known(t), span });
  if (shape === 'text') return text(match.text);
  if (shape === 'tuple') return { kind: 'array', items: match.groups.map(text), complete: true, span };
  return { kind: 'object', entries: match.groups.map((g, i) => ({ key: known(groupNames[i]!), keySpan: span, value: text(g) })), complete: true, span };
}
