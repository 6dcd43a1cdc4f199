/**
 * Template placeholders and directives in configuration text, as people
 * write them in files that something renders before Kubernetes or IAM reads
 * them: Terraform `templatefile()` (`${name}`, `%{ if … }`), Helm and other
 * Go templates (`{{ .Values.x }}`, `{{- if … }}`), `envsubst` and shells
 * (`$VAR`, `${VAR}`), and the literal placeholders of documentation
 * (`<ACCOUNT_ID>`, `<your-region>`).
 *
 * A placeholder is an unknown value, never a malformed one: what it renders
 * to is decided by whatever renders the file. These helpers find them in
 * raw text (for the parsers, which mask them so that the syntax around them
 * still parses with every offset kept) and in values (for string scalars).
 *
 * Architecture invariant: knows nothing of IRSA.
 */
import { concat, type Segment, type StrValue } from './value';

/** One placeholder or directive in a file's text, in offsets of that text. */
export interface TemplateSpan {
  readonly start: number;
  readonly end: number;
  /** The source text, `${role_arn}`, `{{ .Values.x }}`, `%{ if x ~}`. */
  readonly text: string;
  /**
   * `directive`: control flow or a whole rendered block (`%{ if }`, `{{- end }}`,
   * `{{ toYaml . | nindent 4 }}`), which decides what text exists around it.
   * `value`: an interpolation that stands for a value in place.
   */
  readonly kind: 'value' | 'directive';
  /**
   * Nothing else but white space and other template spans is on its line:
   * it renders to whole lines (or none), so the parser sees a blank line.
   */
  readonly ownLine: boolean;
}

/** Longest template span read; a longer one is not a template but text that happens to open one. */
const MAX_SPAN = 2000;

/** Go template actions that are control flow, not values. */
const GO_CONTROL = /^\{\{-?\s*(if|else|end|range|with|define|template|block|break|continue|\/\*)\b/;
/** Go template actions that render a block of text (usually YAML), not a scalar. */
const GO_BLOCK = /\b(toYaml|toJson|nindent|indent|include|tpl)\b/;

/** Whether the text holds anything `templateSpans` would find: a cheap test before the scan. */
export function mayHoldTemplates(text: string): boolean {
  return text.includes('${') || text.includes('%{') || text.includes('{{');
}

/**
 * Every `${…}`, `%{…}` and `{{…}}` span of the text, in order. `$${` is
 * Terraform's escape for a literal `${` and is skipped. A span that is not
 * closed on its line (after `MAX_SPAN` characters at most) is not one.
 */
export function templateSpans(text: string): TemplateSpan[] {
  const spans: { start: number; end: number; text: string; kind: 'value' | 'directive' }[] = [];
  // The next occurrence of each opener at or after `i`, found again only once passed: linear in the text.
  const nextOf = { dollar: -1, percent: -1, braces: -1 };
  const find = (key: keyof typeof nextOf, opener: string, i: number): number => {
    if (nextOf[key] !== Infinity && nextOf[key] < i) {
      const at = text.indexOf(opener, i);
      nextOf[key] = at < 0 ? Infinity : at;
    }
    return nextOf[key];
  };
  // Openers that never close make each scan run to its limit: a text of nothing but openers stops here, in linear time.
  const work = { left: 8 * text.length + 10_000 };
  let i = 0;
  while (i < text.length && work.left > 0) {
    const dollar = find('dollar', '${', i);
    const percent = find('percent', '%{', i);
    const braces = find('braces', '{{', i);
    const next = Math.min(dollar, percent, braces);
    if (next === Infinity) break;
    if (next === braces) {
      const close = closingBraces(text, next + 2, work);
      if (close < 0) {
        i = next + 2;
        continue;
      }
      const source = text.slice(next, close + 2);
      spans.push({ start: next, end: close + 2, text: source, kind: GO_CONTROL.test(source) || GO_BLOCK.test(source) ? 'directive' : 'value' });
      i = close + 2;
      continue;
    }
    // `$${` and `%%{` are Terraform's escapes for the literal characters.
    if (next > 0 && text[next - 1] === text[next]) {
      i = next + 2;
      continue;
    }
    const close = closingBrace(text, next + 2, work);
    if (close < 0) {
      i = next + 2;
      continue;
    }
    const source = text.slice(next, close + 1);
    const blockCall = next === dollar && /^\$\{\s*(indent|yamlencode|jsonencode|join)\s*\(/.test(source);
    spans.push({ start: next, end: close + 1, text: source, kind: next === percent || blockCall ? 'directive' : 'value' });
    i = close + 1;
  }
  return withOwnLine(text, spans);
}

/** The offset of `}}` closing a Go action opened before `from`, on the same line; -1 when none. */
function closingBraces(text: string, from: number, work: { left: number }): number {
  const limit = Math.min(text.length - 1, from + MAX_SPAN);
  for (let i = from; i < limit; i++) {
    work.left--;
    const ch = text[i];
    if (ch === '\n') return -1;
    if (ch === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

/** The `}` closing a `${`/`%{` opened before `from`, counting nested braces and skipping quoted strings. */
function closingBrace(text: string, from: number, work: { left: number }): number {
  let depth = 1;
  let quote: string | undefined;
  const limit = Math.min(text.length, from + MAX_SPAN);
  for (let i = from; i < limit; i++) {
    work.left--;
    const ch = text[i];
    if (ch === '\n' && quote === undefined) return -1;
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"') quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Marks the spans that are alone on their line (besides white space and other spans). Spans are sorted and on one line each. */
function withOwnLine(text: string, spans: readonly { start: number; end: number; text: string; kind: 'value' | 'directive' }[]): TemplateSpan[] {
  const out: TemplateSpan[] = [];
  let first = 0;
  while (first < spans.length) {
    const lineStart = text.lastIndexOf('\n', spans[first]!.start - 1) + 1;
    let lineEnd = text.indexOf('\n', spans[first]!.end);
    if (lineEnd < 0) lineEnd = text.length;
    let last = first;
    while (last + 1 < spans.length && spans[last + 1]!.end <= lineEnd) last++;
    let cursor = lineStart;
    let blank = true;
    for (let k = first; k <= last && blank; k++) {
      if (text.slice(cursor, spans[k]!.start).trim() !== '') blank = false;
      cursor = spans[k]!.end;
    }
    if (blank && text.slice(cursor, lineEnd).trim() !== '') blank = false;
    for (let k = first; k <= last; k++) out.push({ ...spans[k]!, ownLine: blank });
    first = last + 1;
  }
  return out;
}

/**
 * A string value with its placeholders as unknown segments: `${name}`
 * (a `templatefile()` variable, or an IAM policy variable such as
 * `${aws:username}`), `$NAME` and `$(NAME)` (envsubst, shells, Kubernetes
 * env expansion), `{{ … }}` (Go templates), `%{ … }`, and `<NAME>`
 * documentation placeholders. Text without any is known, unchanged.
 */
export function splitPlaceholders(value: string): StrValue {
  if (!PLACEHOLDER_HINT.test(value)) return { segments: value === '' ? [] : [{ kind: 'text', text: value }] };
  const segments: Segment[] = [];
  let cursor = 0;
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(value); m; m = PLACEHOLDER.exec(value)) {
    if (m.index > cursor) segments.push({ kind: 'text', text: value.slice(cursor, m.index) });
    segments.push(placeholderSegment(m[0]));
    cursor = m.index + m[0].length;
  }
  if (cursor < value.length) segments.push({ kind: 'text', text: value.slice(cursor) });
  return concat({ segments });
}

const PLACEHOLDER_HINT = /[$<]|\{\{|%\{/;
// Each alternative stops at the next opener or line end, so a value full of unclosed openers costs linear time.
const PLACEHOLDER = /\$\{[^{}\n]*\}|%\{[^{}\n]*\}|\{\{(?:[^\n{}]|[{}](?![{}]))*\}\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\$[A-Za-z_][A-Za-z0-9_]*|<[A-Za-z][A-Za-z0-9 _.-]{0,60}>/g;

/** The unknown segment a placeholder's source text stands for. */
export function placeholderSegment(source: string): Segment {
  const dollar = /^\$\{\s*([^}]*?)\s*\}$/.exec(source);
  if (dollar) {
    const name = dollar[1] ?? '';
    if (/^[a-z]+:/i.test(name)) return { kind: 'unknown', reason: `IAM policy variable ${source}`, placeholder: name, spelling: source };
    return { kind: 'unknown', reason: `template placeholder ${source}`, placeholder: name, spelling: source };
  }
  const variable = /^\$\(?([A-Za-z_][A-Za-z0-9_]*)\)?$/.exec(source);
  if (variable) return { kind: 'unknown', reason: `variable ${source}, substituted when the file is rendered`, spelling: source };
  if (source.startsWith('{{')) return { kind: 'unknown', reason: `Go template ${source}, rendered by Helm`, spelling: source };
  if (source.startsWith('%{')) return { kind: 'unknown', reason: `template directive ${source}`, spelling: source };
  return { kind: 'unknown', reason: `placeholder ${source}, to be replaced by the reader`, spelling: source };
}

/** A template span's value: an unknown segment that says what it is. */
export function templateSpanValue(span: TemplateSpan): StrValue {
  return { segments: [placeholderSegment(span.text)] };
}
