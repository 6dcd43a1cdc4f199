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
  const hasError = root.hasError;
  const ctx = new Converter(text, base, deadline, hasError);
  const body = root.namedChildren.find((c) => c?.type === 'body');
  const result: Converted = { blocks: [], attributes: [], problems: ctx.problems };
  if (hasError) ctx.collectErrors(root);
  if (!body) return result;
  for (const child of body.namedChildren) {
    if (!child) continue;
    const type = child.type;
    if (type === 'block') result.blocks.push(ctx.block(child));
    else if (type === 'attribute') result.attributes.push(ctx.attribute(child));
  }
  return result;
}

/**
 * A node's children with their types. Every property of a web-tree-sitter
 * node (`type`, `endIndex`, `children`, `text`) is a call into wasm that
 * marshals the node and allocates: the converter reads each at most once
 * per node, and takes text from the file string by offsets.
 */
interface Child {
  readonly node: Node;
  readonly type: string;
}

function typedChildren(nodes: readonly (Node | null)[]): Child[] {
  const out: Child[] = [];
  for (const node of nodes) if (node) out.push({ node, type: node.type });
  return out;
}

class Converter {
  readonly problems: HclProblem[] = [];
  /** Blocks and expressions being converted: the recursion depth, bounded by MAX_NESTING_DEPTH. */
  private depth = 0;

  /**
   * `hasError`: whether the tree has syntax errors. Without them every node
   * has the shape the grammar gives it (a `string_lit` is a quote, its
   * literal and a quote), which allows reading it without visiting children.
   */
  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly deadline: Deadline,
    private readonly hasError: boolean,
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

  /** The node's text: the same as `node.text`, without a round trip through the parser's input callback. */
  private textOf(node: Node): string {
    return this.text.slice(this.start(node), this.end(node));
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
    const start = this.start(node);
    const end = this.end(node);
    let typeNode: Node | undefined;
    const labels: string[] = [];
    let headerEnd = end;
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    for (const { node: child, type } of typedChildren(node.children)) {
      if (type === 'identifier' && !typeNode) typeNode = child;
      else if (type === 'string_lit') labels.push(this.stringLitValue(child));
      else if (type === 'identifier') labels.push(this.textOf(child));
      else if (type === 'block_start') headerEnd = this.end(child);
      else if (type === 'body') {
        for (const item of typedChildren(child.namedChildren)) {
          if (item.type === 'block') blocks.push(this.block(item.node));
          else if (item.type === 'attribute') attributes.push(this.attribute(item.node));
        }
      }
    }
    return { type: typeNode ? this.textOf(typeNode) : '', labels, start, end, header: { start, end: headerEnd }, attributes, blocks };
  }

  attribute(node: Node): Attribute {
    let nameNode: Node | undefined;
    let valueNode: Node | undefined;
    for (const { node: child, type } of typedChildren(node.namedChildren)) {
      if (type === 'identifier') nameNode ??= child;
      else if (type === 'expression') valueNode ??= child;
    }
    const name = nameNode ?? node;
    const end = this.end(node);
    return {
      name: this.textOf(name),
      nameExtent: { start: this.start(name), end: this.end(name) },
      start: this.start(node),
      end,
      value: valueNode ? this.expression(valueNode, 'expression') : { kind: 'invalid', start: end, end },
    };
  }

  /** `expression` = term followed by postfix get_attr / index / splat nodes. */
  expression(node: Node, type: string = node.type): Expr {
    return this.nested(() => ({ kind: 'invalid', start: this.start(node), end: this.end(node) }), () => this.expressionNow(node, type));
  }

  /** The `expression` children of a node, converted. */
  private expressions(nodes: readonly (Node | null)[]): Expr[] {
    const out: Expr[] = [];
    for (const { node, type } of typedChildren(nodes)) if (type === 'expression') out.push(this.expression(node, type));
    return out;
  }

  private firstOfType(nodes: readonly (Node | null)[], type: string): Node | undefined {
    for (const node of nodes) if (node && node.type === type) return node;
    return undefined;
  }

  private expressionNow(node: Node, type: string): Expr {
    if (type !== 'expression') return this.term(node, type);
    const children = typedChildren(node.namedChildren).filter((c) => c.type !== 'comment');
    const head = children[0];
    if (!head) return { kind: 'invalid', start: this.start(node), end: this.end(node) };
    const expr = this.term(head.node, head.type);
    const steps: TraversalStep[] = [];
    for (let i = 1; i < children.length; i++) {
      const step = this.step(children[i]!);
      if (step) steps.push(step);
    }
    if (steps.length === 0) return expr;
    if (expr.kind === 'traversal') {
      return { kind: 'traversal', root: expr.root, steps: [...expr.steps, ...steps], start: expr.start, end: this.end(node) };
    }
    // A postfix on a non-variable (e.g. `[for …][0]`, `func()[0]`): keep the shape as an index
    // traversal rooted in an anonymous value; the evaluator treats it as unknown.
    return { kind: 'operation', operator: 'postfix', operands: [expr], start: this.start(node), end: this.end(node) };
  }

  private step({ node, type }: Child): TraversalStep | undefined {
    switch (type) {
      case 'get_attr': {
        const id = this.firstOfType(node.namedChildren, 'identifier');
        return id ? { kind: 'attr', name: this.textOf(id) } : undefined;
      }
      case 'index': {
        const inner = node.firstNamedChild;
        const innerType = inner?.type;
        if (inner && (innerType === 'new_index' || innerType === 'legacy_index')) {
          const e = this.firstOfType(inner.namedChildren, 'expression');
          if (e) return { kind: 'index', index: this.expression(e, 'expression') };
          const digits = this.textOf(inner).replace(/^\./, '');
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

  term(node: Node, type: string = node.type): Expr {
    const start = this.start(node);
    const end = this.end(node);
    switch (type) {
      case 'expression':
        return this.expression(node, type);
      case 'literal_value': {
        if (!this.hasError) return { kind: 'literal', value: this.literalValue(start, end), start, end };
        const inner = node.firstNamedChild;
        if (!inner) return { kind: 'invalid', start, end };
        const innerType = inner.type;
        if (innerType === 'string_lit') return { kind: 'literal', value: this.stringLitValue(inner), start, end };
        if (innerType === 'numeric_lit') return { kind: 'literal', value: Number(this.textOf(inner)), start, end };
        if (innerType === 'bool_lit') return { kind: 'literal', value: this.textOf(inner) === 'true', start, end };
        if (innerType === 'null_lit') return { kind: 'literal', value: null, start, end };
        return { kind: 'invalid', start, end };
      }
      case 'template_expr':
      case 'collection_value': {
        const inner = node.firstNamedChild;
        return inner ? this.term(inner) : { kind: 'invalid', start, end };
      }
      case 'quoted_template':
        return { kind: 'template', parts: this.quotedTemplateParts(node), start, end };
      case 'heredoc_template': {
        const children = typedChildren(node.namedChildren);
        const startNode = children.find((c) => c.type === 'heredoc_start')?.node;
        const identifiers = children.filter((c) => c.type === 'heredoc_identifier');
        const openId = identifiers[0]?.node;
        const closeId = identifiers[1]?.node;
        const bodyStart = openId ? this.text.indexOf('\n', this.end(openId)) + 1 || this.end(openId) : start;
        const bodyEnd = closeId ? lineStartBefore(this.text, this.start(closeId)) : end;
        const parts = this.heredocParts(children);
        return {
          kind: 'template',
          parts,
          heredoc: { bodyStart, bodyEnd: Math.max(bodyStart, bodyEnd), indented: startNode ? this.textOf(startNode).includes('-') : false },
          start,
          end,
        };
      }
      case 'variable_expr': {
        // Without syntax errors a variable_expr is exactly its identifier.
        const id = this.hasError ? node.firstNamedChild : null;
        return { kind: 'traversal', root: id ? this.textOf(id) : this.text.slice(start, end), steps: [], start, end };
      }
      case 'function_call': {
        let id: Node | undefined;
        let argsNode: Node | undefined;
        for (const { node: child, type: childType } of typedChildren(node.namedChildren)) {
          if (childType === 'identifier') id ??= child;
          else if (childType === 'function_arguments') argsNode ??= child;
        }
        let args: Expr[] = [];
        let expandFinal = false;
        if (argsNode) {
          const children = typedChildren(argsNode.children);
          args = [];
          for (const c of children) if (c.type === 'expression') args.push(this.expression(c.node, c.type));
          // An expression's text is never `...`: only the other children need reading.
          expandFinal = children.some((c) => c.type === 'expand_final' || (c.type !== 'expression' && this.textOf(c.node) === '...'));
        }
        // Provider-defined functions (`provider::aws::arn_parse`) keep their full name.
        return { kind: 'call', name: id ? this.textOf(id) : '', args, expandFinal, start, end };
      }
      case 'tuple':
        return { kind: 'tuple', items: this.expressions(node.namedChildren), start, end };
      case 'object': {
        const items: ObjectItem[] = [];
        for (const elem of typedChildren(node.namedChildren)) {
          if (elem.type !== 'object_elem') continue;
          const key = elem.node.childForFieldName('key');
          const value = elem.node.childForFieldName('val');
          if (!key || !value) continue;
          items.push({ key: this.objectKey(key), value: this.expression(value) });
        }
        return { kind: 'object', items, start, end };
      }
      case 'conditional': {
        const [c, t, o] = this.expressions(node.namedChildren);
        if (!c || !t || !o) return { kind: 'invalid', start, end };
        return { kind: 'conditional', condition: c, then: t, otherwise: o, start, end };
      }
      case 'for_expr':
        return this.forExpr(node, start, end);
      case 'operation': {
        const inner = node.firstNamedChild;
        if (!inner) return { kind: 'invalid', start, end };
        const operands = this.expressions(inner.namedChildren);
        const operatorNode = inner.children.find((c) => c !== null && !c.isNamed);
        return { kind: 'operation', operator: operatorNode ? this.textOf(operatorNode) : inner.type, operands, start, end };
      }
      case 'parenthesized_expression': {
        // Not in every grammar version; kept for safety.
        const inner = this.firstOfType(node.namedChildren, 'expression');
        return inner ? this.expression(inner, 'expression') : { kind: 'invalid', start, end };
      }
      default: {
        // `(expr)` parses as an expression child of a term in this grammar.
        const inner = this.firstOfType(node.namedChildren, 'expression');
        if (inner && this.text.slice(start, end).trim().startsWith('(')) return this.expression(inner, 'expression');
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

  private interpolation(node: Node): TemplatePart {
    const e = this.firstOfType(node.namedChildren, 'expression');
    const start = this.start(node);
    const end = this.end(node);
    const expr: Expr = e ? this.expression(e, 'expression') : { kind: 'invalid', start, end };
    return { kind: 'interpolation', expr, start, end };
  }

  private heredocParts(children: readonly Child[]): TemplatePart[] {
    const parts: TemplatePart[] = [];
    for (const { node: child, type } of children) {
      if (type === 'template_literal') {
        parts.push({ kind: 'text', text: unescapeHeredoc(this.textOf(child)), start: this.start(child), end: this.end(child) });
      } else if (type === 'template_interpolation') {
        parts.push(this.interpolation(child));
      } else if (type === 'template_directive') {
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
    const children = typedChildren(node.children);
    const open = children.find((c) => c.type === 'quoted_template_start')?.node;
    const close = children.find((c) => c.type === 'quoted_template_end' && !(this.hasError && c.node.isMissing))?.node;
    const parts: TemplatePart[] = [];
    let cursor = open ? this.end(open) : this.start(node);
    const text = (until: number): void => {
      if (until > cursor) parts.push({ kind: 'text', text: unescapeQuoted(this.text.slice(cursor, until)), start: cursor, end: until });
    };
    for (const { node: child, type } of children) {
      if (type === 'template_interpolation') {
        text(this.start(child));
        const part = this.interpolation(child);
        parts.push(part);
        cursor = part.end;
      } else if (type === 'template_directive') {
        text(this.start(child));
        const end = this.end(child);
        parts.push({ kind: 'directive', start: this.start(child), end });
        cursor = end;
      }
    }
    if (close) text(this.start(close));
    else {
      // Unclosed string: up to the last literal the grammar saw.
      let lastLiteral: Node | undefined;
      for (const c of children) if (c.type === 'template_literal') lastLiteral = c.node;
      text(Math.max(cursor, lastLiteral ? this.end(lastLiteral) : cursor));
    }
    return parts;
  }

  private forExpr(node: Node, start: number, end: number): Expr {
    const inner = node.firstNamedChild;
    if (!inner) return { kind: 'invalid', start, end };
    const isObject = inner.type === 'for_object_expr';
    const innerChildren = typedChildren(inner.namedChildren);
    const intro = innerChildren.find((c) => c.type === 'for_intro')?.node;
    const introChildren = intro ? typedChildren(intro.namedChildren) : [];
    const ids = introChildren.filter((c) => c.type === 'identifier').map((c) => this.textOf(c.node));
    const collectionNode = introChildren.find((c) => c.type === 'expression')?.node;
    const exprs = innerChildren.filter((c) => c.type === 'expression').map((c) => this.expression(c.node, c.type));
    const condNode = innerChildren.find((c) => c.type === 'for_cond')?.node;
    const condExpr = condNode ? this.firstOfType(condNode.namedChildren, 'expression') : undefined;
    if (!collectionNode || ids.length === 0) return { kind: 'invalid', start, end };
    const valueVar = ids.length === 2 ? ids[1]! : ids[0]!;
    const base = {
      kind: 'for' as const,
      valueVar,
      collection: this.expression(collectionNode, 'expression'),
      isObject,
      start,
      end,
      ...(ids.length === 2 ? { keyVar: ids[0]! } : {}),
      ...(condExpr ? { condition: this.expression(condExpr, 'expression') } : {}),
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

  /**
   * A `literal_value` without syntax errors: its one child is a `string_lit`
   * (starts with a quote), `bool_lit` (`true`, `false`), `null_lit` (`null`)
   * or `numeric_lit` (anything else), so its text tells which.
   */
  private literalValue(start: number, end: number): string | number | boolean | null {
    const text = this.text.slice(start, end);
    if (text.startsWith('"')) return unescapeQuoted(text.slice(1, -1));
    if (text === 'true' || text === 'false') return text === 'true';
    if (text === 'null') return null;
    return Number(text);
  }

  /**
   * The value of a `string_lit` (a quoted template without interpolation),
   * edge white space included. Without syntax errors it is a quote, an
   * optional literal and a quote: the value lies between the first and the
   * last character.
   */
  private stringLitValue(node: Node): string {
    const start = this.start(node);
    const end = this.end(node);
    if (!this.hasError) return unescapeQuoted(this.text.slice(start + 1, end - 1));
    const children = typedChildren(node.children);
    const open = children.find((c) => c.type === 'quoted_template_start')?.node;
    const close = children.find((c) => c.type === 'quoted_template_end' && !c.node.isMissing)?.node;
    if (open && close) return unescapeQuoted(this.text.slice(this.end(open), this.start(close)));
    return children
      .filter((c) => c.type === 'template_literal')
      .map((c) => unescapeQuoted(this.textOf(c.node)))
      .join('');
  }
}

function lineStartBefore(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return nl < 0 ? 0 : nl + 1;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
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
