/**
 * A JSON-like document with spans and three-valued strings: what a JSON
 * file, a YAML document, Terraform `jsonencode({...})`, a heredoc, or
 * `yamlencode(...)` all become. One reader per domain shape (IAM policy,
 * Kubernetes object, eksctl config) then serves every source syntax.
 */
import type { Span } from '../common/text';
import { knownText, type StrValue } from '../common/value';

export type DocValue =
  | { readonly kind: 'string'; readonly value: StrValue; readonly span: Span }
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'null'; readonly span: Span }
  | { readonly kind: 'array'; readonly items: readonly DocValue[]; readonly complete: boolean; readonly span: Span }
  | { readonly kind: 'object'; readonly entries: readonly DocEntry[]; readonly complete: boolean; readonly span: Span }
  | { readonly kind: 'unknown'; readonly reason: string; readonly span: Span; /** The Terraform expression it comes from, as written. */ readonly source?: string };

export interface DocEntry {
  readonly key: StrValue;
  readonly keySpan: Span;
  readonly value: DocValue;
}

export type DocObject = Extract<DocValue, { kind: 'object' }>;
export type DocArray = Extract<DocValue, { kind: 'array' }>;

/** The entry whose key is known and equals `name` (the last one wins, as in IAM and YAML). */
export function entry(obj: DocValue | undefined, name: string): DocEntry | undefined {
  if (obj?.kind !== 'object') return undefined;
  let found: DocEntry | undefined;
  for (const e of obj.entries) if (knownText(e.key) === name) found = e;
  return found;
}

export function member(obj: DocValue | undefined, name: string): DocValue | undefined {
  return entry(obj, name)?.value;
}

/** Case-insensitive lookup, for IAM element names (`effect`, `Effect`). */
export function memberIgnoreCase(obj: DocValue | undefined, name: string): DocEntry | undefined {
  if (obj?.kind !== 'object') return undefined;
  const lower = name.toLowerCase();
  let found: DocEntry | undefined;
  for (const e of obj.entries) if (knownText(e.key)?.toLowerCase() === lower) found = e;
  return found;
}

export function path(value: DocValue | undefined, ...names: string[]): DocValue | undefined {
  let current = value;
  for (const name of names) current = member(current, name);
  return current;
}

/** A scalar as a string value: strings as they are, numbers and booleans as text. */
export function scalarString(value: DocValue | undefined): StrValue | undefined {
  if (!value) return undefined;
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return { segments: [{ kind: 'text', text: String(value.value) }] };
    case 'boolean':
      return { segments: [{ kind: 'text', text: String(value.value) }] };
    case 'unknown':
      return { segments: [value.source !== undefined ? { kind: 'unknown', reason: value.reason, source: value.source } : { kind: 'unknown', reason: value.reason }] };
    default:
      return undefined;
  }
}

export function knownString(value: DocValue | undefined): string | undefined {
  const s = scalarString(value);
  return s ? knownText(s) : undefined;
}

/** IAM accepts a string or an array of strings in most places; this flattens both. */
export function stringList(value: DocValue | undefined): { items: { value: StrValue; span: Span }[]; complete: boolean } {
  if (!value) return { items: [], complete: true };
  if (value.kind === 'array') {
    const items: { value: StrValue; span: Span }[] = [];
    let complete = value.complete;
    for (const item of value.items) {
      const s = scalarString(item);
      if (s && item.kind !== 'unknown') items.push({ value: s, span: item.span });
      else complete = false;
    }
    return { items, complete };
  }
  const s = scalarString(value);
  if (s && value.kind !== 'unknown') return { items: [{ value: s, span: value.span }], complete: true };
  return { items: [], complete: false };
}
