/**
 * Terraform (HCL) parsing: web-tree-sitter with the tree-sitter-hcl
 * Terraform grammar, converted at once into a small plain expression IR.
 * No tree-sitter node outlives `parseHcl`: the index keeps only IR values.
 *
 * Parsing never throws. Syntax errors become `problems`; when the tree has
 * errors, each top-level block is re-parsed on its own so that one unclosed
 * `jsonencode({` does not swallow the rest of the file.
 */
import { Language, Parser, type Node, type ParseOptions, type Tree } from 'web-tree-sitter';
import { LimitExceeded, MAX_NESTING_DEPTH, NO_DEADLINE, type Deadline } from '../common/budget';

// ─── IR ──────────────────────────────────────────────────────────────────────

/** Offsets (UTF-16 code units) into the file text. */
export interface Extent {
  readonly start: number;
  readonly end: number;
}

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'interpolation'; readonly expr: Expr; readonly start: number; readonly end: number }
  /** `%{ if … }` / `%{ for … }` directives: their output is not modelled. */
  | { readonly kind: 'directive'; readonly start: number; readonly end: number };

export type TraversalStep =
  | { readonly kind: 'attr'; readonly name: string }
  | { readonly kind: 'index'; readonly index: Expr }
  | { readonly kind: 'splat' };

export interface ObjectItem {
  readonly key: Expr;
  readonly value: Expr;
}

export type Expr = Extent &
  (
    | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
    | {
        readonly kind: 'template';
        readonly parts: readonly TemplatePart[];
        /** For heredocs: where the body text starts and whether `<<-` strips indentation. */
        readonly heredoc?: { readonly bodyStart: number; readonly bodyEnd: number; readonly indented: boolean };
      }
    | { readonly kind: 'traversal'; readonly root: string; readonly steps: readonly TraversalStep[] }
    | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly expandFinal: boolean }
    | { readonly kind: 'object'; readonly items: readonly ObjectItem[] }
    | { readonly kind: 'tuple'; readonly items: readonly Expr[] }
    | { readonly kind: 'conditional'; readonly condition: Expr; readonly then: Expr; readonly otherwise: Expr }
    | {
        readonly kind: 'for';
        readonly keyVar?: string;
        readonly valueVar: string;
        readonly collection: Expr;
        readonly keyExpr?: Expr;
        readonly valueExpr: Expr;
        readonly condition?: Expr;
        readonly isObject: boolean;
      }
    | { readonly kind: 'operation'; readonly operator: string; readonly operands: readonly Expr[] }
    | { readonly kind: 'invalid' }
  );

export interface Attribute extends Extent {
  readonly name: string;
  readonly nameExtent: Extent;
  readonly value: Expr;
}

export interface Block extends Extent {
  readonly type: string;
  readonly labels: readonly string[];
  /** From the block type to the opening brace: where block-level findings point. */
  readonly header: Extent;
  readonly attributes: readonly Attribute[];
  readonly blocks: readonly Block[];
}

export interface HclProblem extends Extent {
  readonly message: string;
}

export interface HclFile {
  /** Top-level blocks (resource, data, module, locals, variable, …). */
  readonly blocks: readonly Block[];
  /** Top-level attributes: what a `.tfvars` file holds. */
  readonly attributes: readonly Attribute[];
  readonly problems: readonly HclProblem[];
}

export function attribute(block: { readonly attributes: readonly Attribute[] }, name: string): Attribute | undefined {
  return block.attributes.find((a) => a.name === name);
}

export function childBlocks(block: Block, type: string): Block[] {
  return block.blocks.filter((b) => b.type === type);
}

// ─── Parser set-up ───────────────────────────────────────────────────────────

let parser: Parser | undefined;

export interface HclParserOptions {
  /** Directory holding `web-tree-sitter.wasm` and `tree-sitter-terraform.wasm`. */
  readonly runtimeWasm: string;
  readonly grammarWasm: string;
}

/**
 * Loads the Terraform grammar once per process. The caller (LSP or CLI)
 * says where the wasm files are: in the bundle they sit beside it.
 */
export async function initHclParser(options: HclParserOptions): Promise<void> {
  if (parser) return;
  await Parser.init({ locateFile: () => options.runtimeWasm });
  const language = await Language.load(options.grammarWasm);
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

export function isHclParserReady(): boolean {
  return parser !== undefined;
}

// ─── Parsing ─────────────────────────────────────────────────────────────────

const MAX_PROBLEMS = 20;

/**
 * Never throws on bad input: syntax errors become problems. It throws
 * `LimitExceeded` when the file's time budget runs out (tree-sitter's
 * progress callback cancels the parse; the converter checks per node).
 */
export function parseHcl(text: string, deadline: Deadline = NO_DEADLINE): HclFile {
  if (!parser) throw new Error('initHclParser() must run before parseHcl()');
  const tree = parseWithin(parser, text, deadline);
  if (!tree) return { blocks: [], attributes: [], problems: [{ start: 0, end: 0, message: 'The Terraform parser gave up on this file.' }] };
  try {
    const root = tree.rootNode;
    if (!root.hasError) return convertBody(root, text, 0, deadline);
    // Recover: parse each top-level chunk alone, so one broken block costs only itself.
    const blocks: Block[] = [];
    const attributes: Attribute[] = [];
    const problems: HclProblem[] = [];
    for (const chunk of topLevelChunks(text)) {
      const chunkTree = parseWithin(parser, text.slice(chunk.start, chunk.end), deadline);
      if (!chunkTree) continue;
      try {
        const converted = convertBody(chunkTree.rootNode, text, chunk.start, deadline);
        blocks.push(...converted.blocks);
        attributes.push(...converted.attributes);
        problems.push(...converted.problems);
      } finally {
        chunkTree.delete();
      }
    }
    return { blocks, attributes, problems: problems.slice(0, MAX_PROBLEMS) };
  } finally {
    tree.delete();
  }
}

/**
 * Parses with tree-sitter's progress callback watching the deadline. The
 * typings declare the callback's result void, but a `true` cancels the
 * parse; a cancelled parser must be reset or the next parse resumes it.
 */
function parseWithin(p: Parser, text: string, deadline: Deadline): Tree | null {
  const options = { progressCallback: (): boolean => deadline.expired } as unknown as ParseOptions;
  const tree = p.parse(text, null, options);
  if (!tree && deadline.expired) {
    p.reset();
    throw new LimitExceeded(deadline.message());
  }
  return tree;
}

/**
 * Splits a file at lines that start a top-level block or attribute in
 * column 0 (`resource "a" "b" {`, `locals {`, `name = …`). Terraform style
 * puts every top-level construct there; that is what makes recovery cheap.
 */
function topLevelChunks(text: string): Extent[] {
  const starts: number[] = [0];
  const re = /^(?:[A-Za-z_][\w-]*(?:\s+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*\s*\{|[A-Za-z_][\w-]*\s*=)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > 0) starts.push(m.index);
  }
  const chunks: Extent[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = i + 1 < starts.length ? starts[i + 1]! : text.length;
    if (end > start) chunks.push({ start, end });
  }
  return chunks;
}

interface Converted {
  blocks: Block[];
  attributes: Attribute[];
  problems: HclProblem[];
}

/** Converts a `config_file` root whose text starts at `base` in the file. */
function convertBody(root: Node, text: string, base: number, deadline: Deadline): Converted {
  const ctx = new Converter(text, base, deadline);
  const body = root.namedChildren.find((c) => c?.type === 'body');
  const result: Converted = { blocks: [], attributes: [], problems: ctx.problems };
  if (root.hasError) ctx.collectErrors(root);
  if (!body) return result;
  for (const child of body.namedChildren) {
    if (!child) continue;
    if (child.type === 'block') result.blocks.push(ctx.block(child));
    else if (child.type === 'attribute') result.attributes.push(ctx.attribute(child));
  }
  return result;
}

class Converter {
  readonly problems: HclProblem[] = [];
  /** Blocks and expressions being converted: the recursion depth, bounded by MAX_NESTING_DEPTH. */
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly deadline: Deadline,
  ) {}

  /**
   * Runs one recursive step; deeper than MAX_NESTING_DEPTH it returns
   * `tooDeep` instead (an invalid expression the evaluator treats as
   * unknown): tree-sitter builds 10 000-deep trees without complaint, but
   * converting one recursively would overflow the stack.
   */
  private nested<T>(tooDeep: () => T, convert: () => T): T {
    this.deadline.check();
    if (this.depth >= MAX_NESTING_DEPTH) return tooDeep();
    this.depth++;
    try {
      return convert();
    } finally {
      this.depth--;
    }
  }

  private start(node: Node): number {
    return this.base + node.startIndex;
  }

  private end(node: Node): number {
    return this.base + node.endIndex;
  }

  collectErrors(node: Node, depth = 0): void {
    if (this.problems.length >= MAX_PROBLEMS || depth > MAX_NESTING_DEPTH) return;
    if (node.isMissing) {
      // Tree-sitter inserts the missing token where it gave up, often past trailing comments and blank
      // lines, at the next block's first line: point just after the last real token instead.
      const at = this.beforeTrivia(this.start(node));
      this.problems.push({ start: at, end: at, message: `Syntax error: missing ${node.type}.` });
      return;
    }
    if (node.type === 'ERROR') {
      const message = `Syntax error: unexpected ${JSON.stringify(truncate(node.text.split('\n')[0] ?? '', 30))}.`;
      this.problems.push({ start: this.start(node), end: Math.max(this.start(node) + 1, Math.min(this.end(node), this.start(node) + 200)), message });
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) this.collectErrors(child, depth + 1);
  }

  /** The offset just after the last character before `offset` that is neither white space nor in a line comment. */
  private beforeTrivia(offset: number): number {
    let at = offset;
    for (;;) {
      while (at > 0 && /\s/.test(this.text[at - 1]!)) at--;
      const lineStart = this.text.lastIndexOf('\n', at - 1) + 1;
      if (at > lineStart && /^\s*(#|\/\/)/.test(this.text.slice(lineStart, at))) at = lineStart;
      else return at;
    }
  }

  block(node: Node): Block {
    const empty = (): Block => ({ type: '', labels: [], start: this.start(node), end: this.end(node), header: { start: this.start(node), end: this.end(node) }, attributes: [], blocks: [] });
    return this.nested(empty, () => this.blockNow(node));
  }

  private blockNow(node: Node): Block {
    const children = node.children.filter((c): c is Node => c !== null);
    const typeNode = children.find((c) => c.type === 'identifier');
    const labels: string[] = [];
    let headerEnd = this.end(node);
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    for (const child of children) {
      if (child.type === 'string_lit') labels.push(stringLitValue(child));
      else if (child.type === 'identifier' && child !== typeNode) labels.push(child.text);
      else if (child.type === 'block_start') headerEnd = this.end(child);
      else if (child.type === 'body') {
        for (const item of child.namedChildren) {
          if (item?.type === 'block') blocks.push(this.block(item));
          else if (item?.type === 'attribute') attributes.push(this.attribute(item));
        }
      }
    }
    return {
      type: typeNode?.text ?? '',
      labels,
      start: this.start(node),
      end: this.end(node),
      header: { start: this.start(node), end: headerEnd },
      attributes,
      blocks,
    };
  }

  attribute(node: Node): Attribute {
    const nameNode = node.namedChildren.find((c) => c?.type === 'identifier') ?? node;
    const valueNode = node.namedChildren.find((c) => c?.type === 'expression');
    return {
      name: nameNode.text,
      nameExtent: { start: this.start(nameNode), end: this.end(nameNode) },
      start: this.start(node),
      end: this.end(node),
      value: valueNode ? this.expression(valueNode) : { kind: 'invalid', start: this.end(node), end: this.end(node) },
    };
  }

  /** `expression` = term followed by postfix get_attr / index / splat nodes. */
  expression(node: Node): Expr {
    return this.nested(() => ({ kind: 'invalid', start: this.start(node), end: this.end(node) }), () => this.expressionNow(node));
  }

  private expressionNow(node: Node): Expr {
    if (node.type !== 'expression') return this.term(node);
    const children = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    const head = children[0];
    if (!head) return { kind: 'invalid', start: this.start(node), end: this.end(node) };
    let expr = this.term(head);
    const steps: TraversalStep[] = [];
    for (const postfix of children.slice(1)) {
      const step = this.step(postfix);
      if (step) steps.push(step);
    }
    if (steps.length === 0) return expr;
    if (expr.kind === 'traversal') {
      return { kind: 'traversal', root: expr.root, steps: [...expr.steps, ...steps], start: expr.start, end: this.end(node) };
    }
    // A postfix on a non-variable (e.g. `[for …][0]`, `func()[0]`): keep the shape as an index
    // traversal rooted in an anonymous value; the evaluator treats it as unknown.
    expr = { kind: 'operation', operator: 'postfix', operands: [expr], start: this.start(node), end: this.end(node) };
    return expr;
  }

  private step(node: Node): TraversalStep | undefined {
    switch (node.type) {
      case 'get_attr': {
        const id = node.namedChildren.find((c) => c?.type === 'identifier');
        return id ? { kind: 'attr', name: id.text } : undefined;
      }
      case 'index': {
        const inner = node.namedChildren[0];
        if (inner?.type === 'new_index' || inner?.type === 'legacy_index') {
          const e = inner.namedChildren.find((c) => c?.type === 'expression');
          if (e) return { kind: 'index', index: this.expression(e) };
          const digits = inner.text.replace(/^\./, '');
          return { kind: 'index', index: { kind: 'literal', value: Number(digits), start: this.start(inner), end: this.end(inner) } };
        }
        return undefined;
      }
      case 'splat':
        return { kind: 'splat' };
      default:
        return undefined;
    }
  }

  term(node: Node): Expr {
    const start = this.start(node);
    const end = this.end(node);
    switch (node.type) {
      case 'expression':
        return this.expression(node);
      case 'literal_value': {
        const inner = node.namedChildren[0];
        if (!inner) return { kind: 'invalid', start, end };
        if (inner.type === 'string_lit') return { kind: 'literal', value: stringLitValue(inner), start, end };
        if (inner.type === 'numeric_lit') return { kind: 'literal', value: Number(inner.text), start, end };
        if (inner.type === 'bool_lit') return { kind: 'literal', value: inner.text === 'true', start, end };
        if (inner.type === 'null_lit') return { kind: 'literal', value: null, start, end };
        return { kind: 'invalid', start, end };
      }
      case 'template_expr': {
        const inner = node.namedChildren[0];
        return inner ? this.term(inner) : { kind: 'invalid', start, end };
      }
      case 'quoted_template':
        return { kind: 'template', parts: this.templateParts(node, false), start, end };
      case 'heredoc_template': {
        const children = node.namedChildren.filter((c): c is Node => c !== null);
        const startNode = children.find((c) => c.type === 'heredoc_start');
        const identifiers = children.filter((c) => c.type === 'heredoc_identifier');
        const openId = identifiers[0];
        const closeId = identifiers[1];
        const bodyStart = openId ? this.text.indexOf('\n', this.end(openId)) + 1 || this.end(openId) : start;
        const bodyEnd = closeId ? lineStartBefore(this.text, this.start(closeId)) : end;
        const parts = this.templateParts(node, true);
        return {
          kind: 'template',
          parts,
          heredoc: { bodyStart, bodyEnd: Math.max(bodyStart, bodyEnd), indented: (startNode?.text ?? '').includes('-') },
          start,
          end,
        };
      }
      case 'variable_expr': {
        const id = node.namedChildren[0];
        return { kind: 'traversal', root: id?.text ?? node.text, steps: [], start, end };
      }
      case 'function_call': {
        const id = node.namedChildren.find((c) => c?.type === 'identifier');
        const argsNode = node.namedChildren.find((c) => c?.type === 'function_arguments');
        const args = argsNode ? argsNode.namedChildren.filter((c): c is Node => c?.type === 'expression').map((c) => this.expression(c)) : [];
        const expandFinal = argsNode ? argsNode.children.some((c) => c?.type === 'expand_final' || c?.text === '...') : false;
        // Provider-defined functions (`provider::aws::arn_parse`) keep their full name.
        return { kind: 'call', name: id?.text ?? '', args, expandFinal, start, end };
      }
      case 'collection_value': {
        const inner = node.namedChildren[0];
        return inner ? this.term(inner) : { kind: 'invalid', start, end };
      }
      case 'tuple':
        return {
          kind: 'tuple',
          items: node.namedChildren.filter((c): c is Node => c?.type === 'expression').map((c) => this.expression(c)),
          start,
          end,
        };
      case 'object': {
        const items: ObjectItem[] = [];
        for (const elem of node.namedChildren) {
          if (elem?.type !== 'object_elem') continue;
          const key = elem.childForFieldName('key');
          const value = elem.childForFieldName('val');
          if (!key || !value) continue;
          items.push({ key: this.objectKey(key), value: this.expression(value) });
        }
        return { kind: 'object', items, start, end };
      }
      case 'conditional': {
        const [c, t, o] = node.namedChildren.filter((x): x is Node => x?.type === 'expression').map((x) => this.expression(x));
        if (!c || !t || !o) return { kind: 'invalid', start, end };
        return { kind: 'conditional', condition: c, then: t, otherwise: o, start, end };
      }
      case 'for_expr':
        return this.forExpr(node);
      case 'operation': {
        const inner = node.namedChildren[0];
        if (!inner) return { kind: 'invalid', start, end };
        const operands = inner.namedChildren.filter((c): c is Node => c?.type === 'expression').map((c) => this.expression(c));
        const operatorNode = inner.children.find((c) => c !== null && !c.isNamed);
        return { kind: 'operation', operator: operatorNode?.text ?? inner.type, operands, start, end };
      }
      case 'parenthesized_expression': {
        // Not in every grammar version; kept for safety.
        const inner = node.namedChildren.find((c) => c?.type === 'expression');
        return inner ? this.expression(inner) : { kind: 'invalid', start, end };
      }
      default: {
        // `(expr)` parses as an expression child of a term in this grammar.
        const inner = node.namedChildren.find((c) => c?.type === 'expression');
        if (inner && node.text.trim().startsWith('(')) return this.expression(inner);
        return { kind: 'invalid', start, end };
      }
    }
  }

  /** Object keys: a bare identifier is a string, not a variable (`{ Effect = "Allow" }`). */
  private objectKey(node: Node): Expr {
    const expr = this.expression(node);
    if (expr.kind === 'traversal' && expr.steps.length === 0 && !this.text.slice(expr.start, expr.end).trim().startsWith('(')) {
      return { kind: 'literal', value: expr.root, start: expr.start, end: expr.end };
    }
    return expr;
  }

  private templateParts(node: Node, heredoc: boolean): TemplatePart[] {
    if (!heredoc) return this.quotedTemplateParts(node);
    const parts: TemplatePart[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'template_literal') {
        const raw = child.text;
        parts.push({ kind: 'text', text: heredoc ? unescapeHeredoc(raw) : unescapeQuoted(raw), start: this.start(child), end: this.end(child) });
      } else if (child.type === 'template_interpolation') {
        const e = child.namedChildren.find((c) => c?.type === 'expression');
        const expr = e ? this.expression(e) : ({ kind: 'invalid', start: this.start(child), end: this.end(child) } as Expr);
        parts.push({ kind: 'interpolation', expr, start: this.start(child), end: this.end(child) });
      } else if (child.type === 'template_directive') {
        parts.push({ kind: 'directive', start: this.start(child), end: this.end(child) });
      }
    }
    return parts;
  }

  /**
   * A quoted template's text is read from the source between the quotes and
   * interpolations: the grammar's `template_literal` tokens leave out the
   * white space at their edges (`"a ${v} b "` would lose three spaces).
   */
  private quotedTemplateParts(node: Node): TemplatePart[] {
    const children = node.children.filter((c): c is Node => c !== null);
    const open = children.find((c) => c.type === 'quoted_template_start');
    const close = children.find((c) => c.type === 'quoted_template_end' && !c.isMissing);
    const parts: TemplatePart[] = [];
    let cursor = open ? this.end(open) : this.start(node);
    const text = (until: number): void => {
      if (until > cursor) parts.push({ kind: 'text', text: unescapeQuoted(this.text.slice(cursor, until)), start: cursor, end: until });
    };
    for (const child of children) {
      if (child.type === 'template_interpolation') {
        text(this.start(child));
        const e = child.namedChildren.find((c) => c?.type === 'expression');
        const expr = e ? this.expression(e) : ({ kind: 'invalid', start: this.start(child), end: this.end(child) } as Expr);
        parts.push({ kind: 'interpolation', expr, start: this.start(child), end: this.end(child) });
        cursor = this.end(child);
      } else if (child.type === 'template_directive') {
        text(this.start(child));
        parts.push({ kind: 'directive', start: this.start(child), end: this.end(child) });
        cursor = this.end(child);
      }
    }
    // Unclosed string: up to the last literal the grammar saw.
    const lastLiteral = [...children].reverse().find((c) => c.type === 'template_literal');
    text(close ? this.start(close) : Math.max(cursor, lastLiteral ? this.end(lastLiteral) : cursor));
    return parts;
  }

  private forExpr(node: Node): Expr {
    const start = this.start(node);
    const end = this.end(node);
    const inner = node.namedChildren[0];
    if (!inner) return { kind: 'invalid', start, end };
    const isObject = inner.type === 'for_object_expr';
    const intro = inner.namedChildren.find((c) => c?.type === 'for_intro');
    const ids = intro ? intro.namedChildren.filter((c): c is Node => c?.type === 'identifier').map((c) => c.text) : [];
    const collectionNode = intro?.namedChildren.find((c) => c?.type === 'expression');
    const exprs = inner.namedChildren.filter((c): c is Node => c?.type === 'expression').map((c) => this.expression(c));
    const condNode = inner.namedChildren.find((c) => c?.type === 'for_cond');
    const condExpr = condNode?.namedChildren.find((c) => c?.type === 'expression');
    if (!collectionNode || ids.length === 0) return { kind: 'invalid', start, end };
    const valueVar = ids.length === 2 ? ids[1]! : ids[0]!;
    const base = {
      kind: 'for' as const,
      valueVar,
      collection: this.expression(collectionNode),
      isObject,
      start,
      end,
      ...(ids.length === 2 ? { keyVar: ids[0]! } : {}),
      ...(condExpr ? { condition: this.expression(condExpr) } : {}),
    };
    if (isObject) {
      const [keyExpr, valueExpr] = exprs;
      if (!keyExpr || !valueExpr) return { kind: 'invalid', start, end };
      return { ...base, keyExpr, valueExpr };
    }
    const [valueExpr] = exprs;
    if (!valueExpr) return { kind: 'invalid', start, end };
    return { ...base, valueExpr };
  }
}

function lineStartBefore(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return nl < 0 ? 0 : nl + 1;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/** The value of a `string_lit` (a quoted template without interpolation), edge white space included. */
function stringLitValue(node: Node): string {
  const open = node.children.find((c) => c?.type === 'quoted_template_start');
  const close = node.children.find((c) => c?.type === 'quoted_template_end' && !c.isMissing);
  if (open && close) return unescapeQuoted(node.text.slice(open.endIndex - node.startIndex, close.startIndex - node.startIndex));
  return node.namedChildren
    .filter((c): c is Node => c?.type === 'template_literal')
    .map((c) => unescapeQuoted(c.text))
    .join('');
}

/** HCL quoted-string escapes, plus `$${` and `%%{` for literal template markers. */
export function unescapeQuoted(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (match, esc: string | undefined) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    if (esc === undefined) return match;
    switch (esc[0]) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        // `\u` without its hex digits, or `\U` past U+10FFFF: kept as written (Terraform rejects both).
        const code = parseInt(esc.slice(1), 16);
        return esc.length > 1 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
      }
      default:
        return match;
    }
  });
}

/** Heredocs have no backslash escapes, only the template-marker escapes. */
function unescapeHeredoc(raw: string): string {
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}
