/**
 * A small, total evaluator for the Terraform expressions IRSA configuration
 * uses: locals, variable defaults and tfvars, string templates, and the
 * functions people reach for (format, replace, trimprefix, join, lookup,
 * try, coalesce, …). Results are DocValues whose strings are three-valued:
 * what the evaluator cannot know becomes an unknown segment with a reason,
 * and references to resources and modules whose *shape* matters (issuer
 * URLs, provider and role ARNs) become symbols.
 *
 * It never throws and never loops: locals are memoised with a cycle guard,
 * and every evaluation has a step budget.
 */
import { currentDeadline } from '../common/budget';
import type { LineIndex, Span } from '../common/text';
import { concat, known, knownText, stripScheme, symbol, type StrValue } from '../common/value';
import { entry, scalarString, type DocEntry, type DocValue } from '../parse/document';
import type { Expr, TemplatePart, TraversalStep } from '../parse/hcl';
import { RegexSession } from '../common/safe-regex';
import { regexFunction } from './regex-functions';

/** One .tf file of a module, as the evaluator needs it. */
export interface SourceFile {
  readonly uri: string;
  readonly lines: LineIndex;
}

/** Resolves references that name things outside plain values (resources, modules, data sources). */
export interface ReferenceResolver {
  /** `aws_iam_role.x.arn`, `module.eks.oidc_provider`, …: a value, or undefined to fall back to unknown. */
  resolveReference(root: string, steps: readonly TraversalStep[], span: Span): DocValue | undefined;
}

export interface ModuleScope {
  readonly dirUri: string;
  /** `var.x`: tfvars value, else default; absent when neither exists. */
  readonly variables: ReadonlyMap<string, { readonly expr: Expr; readonly file: SourceFile }>;
  readonly locals: ReadonlyMap<string, { readonly expr: Expr; readonly file: SourceFile }>;
  readonly resolver: ReferenceResolver;
  /** `var.x` of a local module read for one call: the values the call passes, evaluated in the caller. */
  readonly inputs?: ReadonlyMap<string, DocValue>;
}

const STEP_BUDGET = 50_000;

export class Evaluator {
  private readonly localCache = new Map<string, DocValue>();
  private readonly localsInProgress = new Set<string>();
  private steps = 0;
  /** Workspace patterns run in a linear-time engine under one work budget per module (see `common/safe-regex.ts`). */
  private readonly regexSession = new RegexSession();

  constructor(private readonly scope: ModuleScope) {}

  /**
   * Evaluates `expr` written in `file`; `env` binds iteration variables (`each`, `statement`, `x` of a for).
   * An unknown result carries the expression's text, so that messages can name it (`${var.issuer}:aud`).
   */
  evaluate(expr: Expr, file: SourceFile, env: ReadonlyMap<string, DocValue> = new Map()): DocValue {
    const value = this.evaluateExpr(expr, file, env);
    if (value.kind !== 'unknown' || expr.kind === 'literal' || expr.kind === 'template' || expr.kind === 'invalid') return value;
    const source = expressionText(expr, file);
    return source === undefined ? value : { ...value, source };
  }

  private evaluateExpr(expr: Expr, file: SourceFile, env: ReadonlyMap<string, DocValue>): DocValue {
    const span: Span = { uri: file.uri, range: file.lines.range(expr.start, expr.end) };
    if (++this.steps > STEP_BUDGET) return { kind: 'unknown', reason: 'evaluation budget exhausted', span };
    // The file's time budget too: a step can be costly (a regular expression, a large collection).
    currentDeadline().check();
    switch (expr.kind) {
      case 'literal':
        if (typeof expr.value === 'string') return { kind: 'string', value: known(expr.value), span };
        if (typeof expr.value === 'number') return { kind: 'number', value: expr.value, span };
        if (typeof expr.value === 'boolean') return { kind: 'boolean', value: expr.value, span };
        return { kind: 'null', span };
      case 'template':
        return { kind: 'string', value: this.template(expr.parts, file, env), span };
      case 'traversal':
        return this.traversal(expr.root, expr.steps, file, env, span);
      case 'call':
        return this.call(expr.name, expr.args, expr.expandFinal, file, env, span);
      case 'object': {
        const entries: DocEntry[] = [];
        let complete = true;
        for (const item of expr.items) {
          const key = scalarString(this.evaluate(item.key, file, env));
          if (!key) {
            complete = false;
            continue;
          }
          entries.push({ key, keySpan: { uri: file.uri, range: file.lines.range(item.key.start, item.key.end) }, value: this.evaluate(item.value, file, env) });
        }
        return { kind: 'object', entries, complete, span };
      }
      case 'tuple':
        return { kind: 'array', items: expr.items.map((i) => this.evaluate(i, file, env)), complete: true, span };
      case 'conditional': {
        const condition = this.evaluate(expr.condition, file, env);
        if (condition.kind === 'boolean') return this.evaluate(condition.value ? expr.then : expr.otherwise, file, env);
        const a = this.evaluate(expr.then, file, env);
        const b = this.evaluate(expr.otherwise, file, env);
        if (a.kind === 'string' && b.kind === 'string' && knownText(a.value) !== undefined && knownText(a.value) === knownText(b.value)) return a;
        return { kind: 'unknown', reason: 'depends on a condition the tool cannot evaluate', span };
      }
      case 'for':
        return this.forExpr(expr, file, env, span);
      case 'operation':
        return this.operation(expr.operator, expr.operands, file, env, span);
      case 'invalid':
        return { kind: 'unknown', reason: 'syntax error', span };
    }
  }

  /** Evaluates to a string value, or unknown when the expression is not a scalar. */
  evaluateString(expr: Expr, file: SourceFile, env?: ReadonlyMap<string, DocValue>): StrValue {
    const v = this.evaluate(expr, file, env);
    return scalarString(v) ?? { segments: [{ kind: 'unknown', reason: `not a string (${v.kind})` }] };
  }

  /**
   * A template's string value. (A `<<-` heredoc's indentation is not stripped
   * here: heredocs the engine reads are JSON or YAML, parsed from the source
   * where indentation does not matter.)
   */
  private template(parts: readonly TemplatePart[], file: SourceFile, env: ReadonlyMap<string, DocValue>): StrValue {
    const values: StrValue[] = [];
    for (const part of parts) {
      if (part.kind === 'text') values.push(known(part.text));
      else if (part.kind === 'interpolation') {
        const v = this.evaluate(part.expr, file, env);
        values.push(scalarString(v) ?? { segments: [{ kind: 'unknown', reason: `interpolation of a ${v.kind}` }] });
      } else values.push({ segments: [{ kind: 'unknown', reason: 'template directive' }] });
    }
    return concat(...values);
  }

  private traversal(root: string, steps: readonly TraversalStep[], file: SourceFile, env: ReadonlyMap<string, DocValue>, span: Span): DocValue {
    const bound = env.get(root);
    if (bound) return this.applySteps(bound, steps, file, env, span);
    const first = steps[0];
    const name = first?.kind === 'attr' ? first.name : undefined;
    if (root === 'var' && name !== undefined) {
      const input = this.scope.inputs?.get(name);
      if (input) return this.applySteps(input, steps.slice(1), file, env, span);
      const variable = this.scope.variables.get(name);
      if (!variable) return { kind: 'unknown', reason: `var.${name} has no default and no value in terraform.tfvars`, span };
      return this.applySteps(this.evaluate(variable.expr, variable.file), steps.slice(1), file, env, span);
    }
    if (root === 'local' && name !== undefined) return this.applySteps(this.local(name, span), steps.slice(1), file, env, span);
    if (root === 'path' && name === 'module') return { kind: 'string', value: known('.'), span };
    if (root === 'each' || root === 'count' || root === 'self') return { kind: 'unknown', reason: `${root}.${name ?? ''} is known only at plan time`, span };
    const resolved = this.scope.resolver.resolveReference(root, steps, span);
    if (resolved) return resolved;
    const rendered = [root, ...steps.map((s) => (s.kind === 'attr' ? s.name : s.kind === 'splat' ? '*' : '[…]'))].join('.');
    return { kind: 'unknown', reason: `${rendered} is computed by Terraform`, span };
  }

  private local(name: string, span: Span): DocValue {
    const cached = this.localCache.get(name);
    if (cached) return cached;
    const local = this.scope.locals.get(name);
    if (!local) return { kind: 'unknown', reason: `local.${name} is not defined in this module`, span };
    if (this.localsInProgress.has(name)) return { kind: 'unknown', reason: `local.${name} refers to itself`, span };
    this.localsInProgress.add(name);
    const value = this.evaluate(local.expr, local.file);
    this.localsInProgress.delete(name);
    this.localCache.set(name, value);
    return value;
  }

  applySteps(value: DocValue, steps: readonly TraversalStep[], file: SourceFile, env: ReadonlyMap<string, DocValue>, span: Span): DocValue {
    let current = value;
    for (const step of steps) {
      if (current.kind === 'unknown') return { ...current, span };
      if (step.kind === 'splat') return { kind: 'unknown', reason: 'splat expression', span };
      if (step.kind === 'attr') {
        if (current.kind !== 'object') return { kind: 'unknown', reason: `.${step.name} of a ${current.kind}`, span };
        const e = entry(current, step.name);
        if (!e) return { kind: 'unknown', reason: current.complete ? `no attribute ${step.name}` : `attribute ${step.name} is not known`, span };
        current = e.value;
      } else {
        const index = this.evaluate(step.index, file, env);
        if (current.kind === 'array' && index.kind === 'number') {
          const item = current.items[index.value];
          if (!item) return { kind: 'unknown', reason: `index ${index.value} out of range`, span };
          current = item;
        } else if (current.kind === 'object') {
          const key = scalarString(index);
          const text = key ? knownText(key) : undefined;
          const e = text !== undefined ? entry(current, text) : undefined;
          if (!e) return { kind: 'unknown', reason: 'index not known', span };
          current = e.value;
        } else return { kind: 'unknown', reason: 'index not known', span };
      }
    }
    return current;
  }

  private forExpr(expr: Extract<Expr, { kind: 'for' }>, file: SourceFile, env: ReadonlyMap<string, DocValue>, span: Span): DocValue {
    const collection = this.evaluate(expr.collection, file, env);
    const pairs = iterate(collection);
    if (!pairs) return { kind: 'unknown', reason: 'for expression over a collection the tool cannot evaluate', span };
    const items: DocValue[] = [];
    const entries: DocEntry[] = [];
    let complete = true;
    for (const [k, v] of pairs) {
      const inner = new Map(env);
      if (expr.keyVar) inner.set(expr.keyVar, k);
      inner.set(expr.valueVar, v);
      if (expr.condition) {
        const c = this.evaluate(expr.condition, file, inner);
        if (c.kind !== 'boolean') {
          complete = false;
          continue;
        }
        if (!c.value) continue;
      }
      const value = this.evaluate(expr.valueExpr, file, inner);
      if (expr.isObject && expr.keyExpr) {
        const key = scalarString(this.evaluate(expr.keyExpr, file, inner));
        if (!key) complete = false;
        else entries.push({ key, keySpan: span, value });
      } else items.push(value);
    }
    return expr.isObject ? { kind: 'object', entries, complete, span } : { kind: 'array', items, complete, span };
  }

  private operation(operator: string, operands: readonly Expr[], file: SourceFile, env: ReadonlyMap<string, DocValue>, span: Span): DocValue {
    const values = operands.map((o) => this.evaluate(o, file, env));
    const [a, b] = values;
    if (operator === '!' && a?.kind === 'boolean') return { kind: 'boolean', value: !a.value, span };
    if ((operator === '==' || operator === '!=') && a && b) {
      const x = scalarText(a);
      const y = scalarText(b);
      if (x !== undefined && y !== undefined) return { kind: 'boolean', value: (x === y) === (operator === '=='), span };
    }
    if ((operator === '&&' || operator === '||') && a?.kind === 'boolean' && b?.kind === 'boolean') {
      return { kind: 'boolean', value: operator === '&&' ? a.value && b.value : a.value || b.value, span };
    }
    return { kind: 'unknown', reason: `result of ${operator}`, span };
  }

  private call(name: string, argExprs: readonly Expr[], expandFinal: boolean, file: SourceFile, env: ReadonlyMap<string, DocValue>, span: Span): DocValue {
    const unknownResult = (reason: string): DocValue => ({ kind: 'unknown', reason, span });
    // try() and can() must not evaluate eagerly into failure: evaluate lazily.
    if (name === 'try') {
      for (const arg of argExprs) {
        const v = this.evaluate(arg, file, env);
        if (v.kind !== 'unknown') return v;
        if (!/out of range|no attribute|not defined/.test(v.reason)) return v;
      }
      return unknownResult('no argument of try() could be evaluated');
    }
    let args = argExprs.map((a) => this.evaluate(a, file, env));
    if (expandFinal) {
      const last = args[args.length - 1];
      if (last?.kind !== 'array') return unknownResult(`${name}(…) with an unknown expanded argument`);
      args = [...args.slice(0, -1), ...last.items];
    }
    const str = (i: number): StrValue | undefined => {
      const v = args[i];
      return v ? scalarString(v) : undefined;
    };
    const text = (i: number): string | undefined => {
      const s = str(i);
      return s ? knownText(s) : undefined;
    };
    const stringResult = (value: StrValue): DocValue => ({ kind: 'string', value, span });
    switch (name) {
      case 'format':
      case 'formatlist': {
        if (name === 'formatlist') return unknownResult('formatlist()');
        const fmt = text(0);
        if (fmt === undefined) return unknownResult('format string not known');
        const parts: StrValue[] = [];
        let argIndex = 1;
        let cursor = 0;
        const re = /%(%|[-+ #0]*\d*(?:\.\d+)?[sdvqtbfeEgGxXo])/g;
        for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
          parts.push(known(fmt.slice(cursor, m.index)));
          if (m[1] === '%') parts.push(known('%'));
          else {
            const v = args[argIndex++];
            const s = v ? scalarString(v) : undefined;
            parts.push(s ?? { segments: [{ kind: 'unknown', reason: 'format() argument' }] });
          }
          cursor = m.index + m[0].length;
        }
        parts.push(known(fmt.slice(cursor)));
        return stringResult(concat(...parts));
      }
      case 'replace': {
        const subject = str(0);
        const search = text(1);
        const replacement = text(2);
        if (!subject || search === undefined || replacement === undefined) return unknownResult('replace() with unknown arguments');
        if (search.length > 1 && search.startsWith('/') && search.endsWith('/')) {
          return this.regexReplace(subject, search.slice(1, -1), replacement, span);
        }
        const s = knownText(subject);
        if (s !== undefined) return stringResult(known(s.split(search).join(replacement)));
        if (replacement === '' && search.length > 0) return stringResult(stripScheme(subject, search, true));
        return unknownResult('replace() on a computed value');
      }
      case 'trimprefix': {
        const subject = str(0);
        const prefix = text(1);
        if (!subject || prefix === undefined) return unknownResult('trimprefix() with unknown arguments');
        return stringResult(stripScheme(subject, prefix, false));
      }
      case 'trimsuffix': {
        const s = text(0);
        const suffix = text(1);
        if (s === undefined || suffix === undefined) return unknownResult('trimsuffix() with unknown arguments');
        return stringResult(known(s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s));
      }
      case 'lower':
      case 'upper':
      case 'trimspace': {
        const s = text(0);
        if (s === undefined) return unknownResult(`${name}() of a computed value`);
        return stringResult(known(name === 'lower' ? s.toLowerCase() : name === 'upper' ? s.toUpperCase() : s.trim()));
      }
      case 'tostring':
        return args[0] ?? unknownResult('tostring()');
      case 'join': {
        const sep = text(0);
        const list = args[1];
        if (sep === undefined || list?.kind !== 'array' || !list.complete) return unknownResult('join() with unknown arguments');
        const parts: StrValue[] = [];
        list.items.forEach((item, i) => {
          if (i > 0) parts.push(known(sep));
          parts.push(scalarString(item) ?? { segments: [{ kind: 'unknown', reason: 'join() item' }] });
        });
        return stringResult(concat(...parts));
      }
      case 'split': {
        const sep = text(0);
        const s = text(1);
        if (sep === undefined || s === undefined) return unknownResult('split() with unknown arguments');
        return { kind: 'array', items: s.split(sep).map((p) => ({ kind: 'string', value: known(p), span })), complete: true, span };
      }
      case 'coalesce': {
        for (const v of args) {
          if (v.kind === 'null') continue;
          if (v.kind === 'string' && knownText(v.value) === '') continue;
          if (v.kind === 'unknown') return unknownResult('coalesce() of a computed value');
          return v;
        }
        return unknownResult('coalesce() with no non-empty argument');
      }
      case 'lookup': {
        const map = args[0];
        const key = text(1);
        if (map?.kind !== 'object' || key === undefined) return unknownResult('lookup() with unknown arguments');
        const e = entry(map, key);
        if (e) return e.value;
        if (!map.complete) return unknownResult('lookup() key not known');
        return args[2] ?? unknownResult(`lookup() of missing key ${key}`);
      }
      case 'element': {
        const list = args[0];
        const index = args[1];
        if (list?.kind !== 'array' || index?.kind !== 'number' || list.items.length === 0) return unknownResult('element() with unknown arguments');
        return list.items[index.value % list.items.length] ?? unknownResult('element()');
      }
      case 'concat': {
        const items: DocValue[] = [];
        let complete = true;
        for (const a of args) {
          if (a.kind !== 'array') return unknownResult('concat() of a computed list');
          items.push(...a.items);
          complete &&= a.complete;
        }
        return { kind: 'array', items, complete, span };
      }
      case 'flatten': {
        const out: DocValue[] = [];
        let complete = true;
        const walk = (v: DocValue): void => {
          if (v.kind === 'array') {
            complete &&= v.complete;
            v.items.forEach(walk);
          } else if (v.kind === 'unknown') complete = false;
          else out.push(v);
        };
        if (args[0]?.kind !== 'array') return unknownResult('flatten() of a computed list');
        walk(args[0]);
        return { kind: 'array', items: out, complete, span };
      }
      case 'tolist':
      case 'toset':
      case 'distinct':
      case 'compact':
      case 'sort': {
        const list = args[0];
        if (list?.kind !== 'array') return list?.kind === 'unknown' ? list : unknownResult(`${name}() of a computed value`);
        if (name === 'compact') {
          return { ...list, items: list.items.filter((i) => !(i.kind === 'null' || (i.kind === 'string' && knownText(i.value) === ''))), span };
        }
        return { ...list, span };
      }
      case 'merge': {
        const entries: DocEntry[] = [];
        let complete = true;
        for (const a of args) {
          if (a.kind !== 'object') {
            if (a.kind !== 'null') complete = false;
            continue;
          }
          complete &&= a.complete;
          for (const e of a.entries) {
            const k = knownText(e.key);
            const existing = k === undefined ? -1 : entries.findIndex((x) => knownText(x.key) === k);
            if (existing >= 0) entries.splice(existing, 1);
            entries.push(e);
          }
        }
        return { kind: 'object', entries, complete, span };
      }
      case 'regex':
      case 'regexall': {
        const pattern = text(0);
        const subject = text(1);
        if (pattern === undefined || subject === undefined) return unknownResult(`${name}() with unknown arguments`);
        return regexFunction(name, this.regexSession, pattern, subject, span);
      }
      case 'tomap':
        return args[0] ?? unknownResult('tomap()');
      case 'jsonencode':
      case 'yamlencode':
        // The encoded text itself is not modelled; the extractors read the argument instead.
        return unknownResult(`${name}() text`);
      default:
        return unknownResult(`${name}() is not evaluated by this tool`);
    }
  }

  /**
   * `replace(x, "/^(.*provider/)/", "")`, the IRSA module's way to turn a
   * provider ARN into its issuer: supported for known text, and for the
   * provider-arn symbol with exactly that shape.
   */
  private regexReplace(subject: StrValue, pattern: string, replacement: string, span: Span): DocValue {
    const s = knownText(subject);
    if (s !== undefined) {
      const replaced = this.regexSession.replaceAll(pattern, s, replacement);
      return replaced.ok ? { kind: 'string', value: known(replaced.value), span } : { kind: 'unknown', reason: `replace(): ${replaced.reason}`, span };
    }
    const first = subject.segments[0];
    if (replacement === '' && /^\^\(?\.\*(oidc-)?provider\/\)?$/.test(pattern) && subject.segments.length === 1 && first?.kind === 'symbol' && first.symbol === 'provider-arn') {
      const resolved = first.resolved?.replace(/^.*provider\//, '');
      return { kind: 'string', value: symbol('issuer-host', first.owner, resolved), span };
    }
    return { kind: 'unknown', reason: 'replace() with a regular expression on a computed value', span };
  }
}

/** Longer expressions are not quoted in messages: the reader would not recognise them in a sentence. */
const MAX_SOURCE_LENGTH = 100;

/** An expression's text on one line, when the file's text is at hand and it is short. */
function expressionText(expr: Expr, file: SourceFile): string | undefined {
  const text = file.lines.text;
  if (expr.end - expr.start > MAX_SOURCE_LENGTH * 2) return undefined;
  const written = text.slice(expr.start, expr.end).replace(/\s*\n\s*/g, ' ').trim();
  return written.length > 0 && written.length <= MAX_SOURCE_LENGTH ? written : undefined;
}

function scalarText(v: DocValue): string | undefined {
  if (v.kind === 'string') return knownText(v.value);
  if (v.kind === 'number' || v.kind === 'boolean') return String(v.value);
  if (v.kind === 'null') return 'null';
  return undefined;
}

/** Key/value pairs of a collection, as `for` and `for_each` see them; undefined when not known. */
export function iterate(collection: DocValue): [DocValue, DocValue][] | undefined {
  if (collection.kind === 'array') {
    if (!collection.complete) return undefined;
    return collection.items.map((item, i) => [{ kind: 'number', value: i, span: item.span }, item]);
  }
  if (collection.kind === 'object') {
    if (!collection.complete) return undefined;
    return collection.entries.map((e) => [{ kind: 'string', value: e.key, span: e.keySpan }, e.value]);
  }
  return undefined;
}
