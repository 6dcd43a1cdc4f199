/**
 * How long a trust policy is, counted as IAM counts it against the role
 * trust policy quota: the characters of the JSON document, white space
 * excluded (IAM User Guide, "IAM and AWS STS quotas": "IAM doesn't count
 * white space when calculating the size of a policy").
 *
 * The count is a lower bound everywhere, and exact where every part of the
 * document is known. Every choice below keeps it a lower bound: a string is
 * counted decoded (an escape such as Terraform's `\u003c` for `<` counts
 * one), white space inside values is not counted either, an unknown part
 * counts nothing, and what the Terraform data source may or may not emit
 * (`"Sid":""` in older AWS providers) is left out. A lower bound over the
 * limit is certainly over it.
 */
import { type StrValue } from '../common/value';
import { knownText } from '../common/value';
import type { DocValue } from '../parse/document';
import type { PolicySize, TrustStatement } from './types';

/** The length of a JSON document as written (JSON file, `jsonencode`, heredoc): its parse, whitespace excluded. */
export function documentSize(doc: DocValue): PolicySize {
  const counter = { exact: true };
  const chars = valueLength(doc, counter);
  return { chars, exact: counter.exact };
}

function valueLength(value: DocValue, counter: { exact: boolean }): number {
  switch (value.kind) {
    case 'string':
      return 2 + strLength(value.value, counter);
    case 'number':
      return String(value.value).length;
    case 'boolean':
      return value.value ? 4 : 5;
    case 'null':
      return 4;
    case 'unknown':
      counter.exact = false;
      return 0;
    case 'array': {
      if (!value.complete) counter.exact = false;
      const items = value.items.map((item) => valueLength(item, counter));
      return 2 + sum(items) + Math.max(0, items.length - 1);
    }
    case 'object': {
      if (!value.complete) counter.exact = false;
      const entries: number[] = [];
      for (const e of value.entries) {
        // An entry whose key is computed may be dropped or merged with another: count nothing of it.
        if (knownText(e.key) === undefined) {
          counter.exact = false;
          continue;
        }
        entries.push(2 + strLength(e.key, counter) + 1 + valueLength(e.value, counter));
      }
      return 2 + sum(entries) + Math.max(0, entries.length - 1);
    }
  }
}

/**
 * The document `data "aws_iam_policy_document"` renders from its statements
 * (terraform-provider-aws `IAMPolicyDoc`): `Version`, and per statement
 * `Sid` when set, `Effect`, `Action`, `Principal` grouped by type and
 * `Condition` grouped by test then variable, the values of one test and
 * variable appended into one list; a list of one value is written as a
 * string. `actions`, `identifiers` and `values` are sets, so repeated
 * values count once.
 *
 * `generated`: a policy a module builds from its inputs. Only what every
 * release of those modules writes is counted (the statement skeleton, the
 * principal and the `sub` condition), and the count is never exact.
 */
export function renderedStatementsSize(statements: readonly TrustStatement[], complete: boolean, generated = false): PolicySize {
  const counter = { exact: complete && !generated };
  const rendered = statements.map((s) => statementLength(s, counter, generated));
  // {"Version":"2012-10-17","Statement":[…]}
  const chars = 2 + '"Version":"2012-10-17"'.length + 1 + '"Statement":'.length + 2 + sum(rendered) + Math.max(0, rendered.length - 1);
  return { chars, exact: counter.exact };
}

function statementLength(s: TrustStatement, counter: { exact: boolean }, generated: boolean): number {
  const members: number[] = [];
  if (s.sid !== undefined && s.sid !== '') members.push(member('Sid', 2 + visibleLength(s.sid)));
  if (s.effect === 'unknown') counter.exact = false;
  members.push(member('Effect', 2 + (s.effect === 'unknown' ? 0 : s.effect.length)));
  if (!s.actionsComplete) counter.exact = false;
  const actions = distinct(s.actions.map((a) => a.value));
  if (actions.length > 0) members.push(member('Action', listLength(actions, counter)));
  if (!s.principalsComplete) counter.exact = false;
  const byType = new Map<string, StrValue[]>();
  for (const p of s.principals) byType.set(p.type, [...(byType.get(p.type) ?? []), p.value.value]);
  if (byType.size > 0) {
    const only = [...byType][0]!;
    const anyone = byType.size === 1 && (only[0] === 'AWS' || only[0] === '*') && only[1].length === 1 && knownText(only[1][0]!) === '*';
    const principal = anyone ? 3 : objectLength([...byType].map(([type, values]) => member(type, listLength(distinct(values), counter))));
    members.push(member('Principal', principal));
  }
  if (!s.conditionsComplete) counter.exact = false;
  const byTest = new Map<string, Map<string, { key: StrValue; values: StrValue[] }>>();
  for (const c of s.conditions) {
    if (generated && !/:sub$/.test(knownText(c.key.value) ?? tail(c.key.value))) continue;
    if (!c.valuesComplete) counter.exact = false;
    const variables = byTest.get(c.operator.value) ?? new Map<string, { key: StrValue; values: StrValue[] }>();
    byTest.set(c.operator.value, variables);
    const id = JSON.stringify(c.key.value.segments);
    const slot = variables.get(id) ?? { key: c.key.value, values: [] };
    variables.set(id, slot);
    slot.values.push(...c.values.map((v) => v.value));
  }
  if (byTest.size > 0) {
    const tests = [...byTest].map(([test, variables]) =>
      member(test, objectLength([...variables.values()].map(({ key, values }) => 2 + strLength(key, counter) + 1 + listLength(distinct(values), counter)))),
    );
    members.push(member('Condition', objectLength(tests)));
  }
  return objectLength(members);
}

/** `"name":` and a value of `valueLength` characters. */
function member(name: string, valueLength: number): number {
  return 2 + visibleLength(name) + 1 + valueLength;
}

function objectLength(members: readonly number[]): number {
  return 2 + sum(members) + Math.max(0, members.length - 1);
}

/** One value as a string, several as an array of strings. */
function listLength(values: readonly StrValue[], counter: { exact: boolean }): number {
  const strings = values.map((v) => 2 + strLength(v, counter));
  if (strings.length === 1) return strings[0]!;
  return 2 + sum(strings) + Math.max(0, strings.length - 1);
}

/** Values that are written alike once: Terraform sets keep one of each. */
function distinct(values: readonly StrValue[]): StrValue[] {
  const seen = new Map<string, StrValue>();
  for (const v of values) seen.set(JSON.stringify(v.segments), v);
  return [...seen.values()];
}

/** The characters of a string value IAM is sure to count: known text and resolved symbols; other parts count nothing. */
function strLength(value: StrValue, counter: { exact: boolean }): number {
  let n = 0;
  for (const s of value.segments) {
    if (s.kind === 'text') n += visibleLength(s.text);
    else if (s.kind === 'symbol' && s.resolved !== undefined) n += visibleLength(s.resolved);
    else counter.exact = false;
  }
  return n;
}

/** The literal text after the last part that is not text (`:sub` of `${module.eks.oidc_provider}:sub`). */
function tail(value: StrValue): string {
  const last = value.segments[value.segments.length - 1];
  return last?.kind === 'text' ? last.text : '';
}

function visibleLength(text: string): number {
  let n = 0;
  for (const ch of text) if (!/\s/.test(ch)) n++;
  return n;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
