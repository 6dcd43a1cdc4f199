/**
 * What every resource and module family is handed: one Terraform module
 * directory's declarations (resources, data sources, module calls, each
 * with the file it is written in), the evaluator over its variables,
 * tfvars and locals, and the facts being collected.
 */
import type { LineIndex, Span } from '../common/text';
import { known, unknown } from '../common/value';
import { stringList, type DocValue } from '../parse/document';
import { emptyFacts, type ClusterRef, type FactsBuilder, type LStr } from '../facts/types';
import { attribute, childBlocks, type Attribute, type Block, type Expr, type HclFile } from '../parse/hcl';
import { Evaluator, iterate, type ModuleScope, type ReferenceResolver, type SourceFile } from './evaluate';

export interface TerraformFile extends SourceFile {
  readonly uri: string;
  readonly lines: LineIndex;
  readonly hcl: HclFile;
  /** `.tfvars` files hold top-level attributes that set variables. */
  readonly isTfvars: boolean;
  readonly isAutoTfvars: boolean;
}

/** A `resource` or `data` block of the directory. */
export interface ResourceBlock {
  /** `aws_iam_role.x`; `data.aws_iam_policy_document.x` for a data source. */
  readonly address: string;
  /** The resource or data source type: `aws_iam_role`. */
  readonly type: string;
  /** The id of the facts it yields: `tf:<dir>#<address>`. */
  readonly owner: string;
  readonly block: Block;
  readonly file: TerraformFile;
}

/** A `module` block of the directory. */
export interface ModuleCallBlock {
  readonly name: string;
  /** `module.<name>`. */
  readonly address: string;
  /** The id of the facts it yields: `tf:<dir>#module.<name>`. */
  readonly owner: string;
  /** The `source` argument, when it is a string literal. */
  readonly source: string | undefined;
  readonly block: Block;
  readonly file: TerraformFile;
}

/**
 * One module directory as the families see it. Terraform's scope is the
 * directory (locals, variables and resources are visible across its files),
 * so the declarations are collected from every file before any is read.
 */
export class ModuleContext {
  /** `resource` blocks by address; a repeated address keeps its first place and its last block. */
  readonly resources = new Map<string, ResourceBlock>();
  /** `data` blocks by address (`data.<type>.<name>`). */
  readonly dataSources = new Map<string, ResourceBlock>();
  /** `module` blocks by name. */
  readonly moduleCalls = new Map<string, ModuleCallBlock>();
  readonly evaluator: Evaluator;
  /** The facts collected so far, the problems among them. */
  readonly out: FactsBuilder = emptyFacts();

  /** `resolver` answers references to resources, data sources and module outputs (the dispatcher, which asks their families). */
  constructor(
    readonly dirUri: string,
    readonly files: readonly TerraformFile[],
    resolver: ReferenceResolver,
    /** For a local module read for one call: the call's inputs, and the key naming the call in every owner. */
    private readonly instance?: { readonly key: string; readonly inputs: ReadonlyMap<string, DocValue> },
  ) {
    const variables = new Map<string, { expr: Expr; file: SourceFile }>();
    const locals = new Map<string, { expr: Expr; file: SourceFile }>();
    const tfFiles = files.filter((f) => !f.isTfvars);
    for (const file of tfFiles) {
      for (const block of file.hcl.blocks) {
        if (block.type === 'variable' && block.labels[0]) {
          const def = attribute(block, 'default');
          if (def) variables.set(block.labels[0], { expr: def.value, file });
        } else if (block.type === 'locals') {
          for (const a of block.attributes) locals.set(a.name, { expr: a.value, file });
        } else if ((block.type === 'resource' || block.type === 'data') && block.labels.length >= 2) {
          const [type = '', name = ''] = block.labels;
          const address = `${block.type === 'data' ? 'data.' : ''}${type}.${name}`;
          (block.type === 'data' ? this.dataSources : this.resources).set(address, { address, type, owner: this.owner(address), block, file });
        } else if (block.type === 'module' && block.labels[0]) {
          const name = block.labels[0];
          const address = `module.${name}`;
          this.moduleCalls.set(name, { name, address, owner: this.owner(address), source: literalText(attribute(block, 'source')), block, file });
        }
      }
    }
    // terraform.tfvars, then *.auto.tfvars in lexical order: later files win, as in Terraform.
    const tfvars = files
      .filter((f) => f.isTfvars)
      .sort((a, b) => Number(a.isAutoTfvars) - Number(b.isAutoTfvars) || (a.uri < b.uri ? -1 : 1));
    for (const file of tfvars) for (const a of file.hcl.attributes) variables.set(a.name, { expr: a.value, file });
    const scope: ModuleScope = { dirUri, variables, locals, resolver, ...(instance ? { inputs: instance.inputs } : {}) };
    this.evaluator = new Evaluator(scope);
  }

  span(file: SourceFile, extent: { start: number; end: number }): Span {
    return { uri: file.uri, range: file.lines.range(extent.start, extent.end) };
  }

  /** The id of the facts a block at `address` yields, unique across the workspace. */
  owner(address: string): string {
    return this.instance ? `tf:${this.dirUri}#${this.instance.key}#${address}` : `tf:${this.dirUri}#${address}`;
  }

  /** An attribute's value as a string, with the span of its expression. */
  str(attr: Attribute | undefined, file: SourceFile, env?: ReadonlyMap<string, DocValue>): LStr | undefined {
    if (!attr) return undefined;
    return { value: this.evaluator.evaluateString(attr.value, file, env), span: this.span(file, attr.value) };
  }

  value(attr: Attribute | undefined, file: SourceFile, env?: ReadonlyMap<string, DocValue>): DocValue | undefined {
    return attr ? this.evaluator.evaluate(attr.value, file, env) : undefined;
  }

  /** An attribute's value as a list of strings; an absent attribute is the complete empty list. */
  list(attr: Attribute | undefined, file: SourceFile, env: ReadonlyMap<string, DocValue> = new Map()): { items: LStr[]; complete: boolean } {
    if (!attr) return { items: [], complete: true };
    return stringList(this.evaluator.evaluate(attr.value, file, env));
  }

  /** Follows `local.x` (without steps) to the expression it names, so patterns like `jsonencode` stay visible. */
  throughLocals(expr: Expr, file: TerraformFile, depth = 0): { expr: Expr; file: TerraformFile } {
    if (depth < 8 && expr.kind === 'traversal' && expr.root === 'local' && expr.steps.length === 1 && expr.steps[0]?.kind === 'attr') {
      const name = expr.steps[0].name;
      for (const f of this.files) {
        if (f.isTfvars) continue;
        for (const block of f.hcl.blocks) {
          if (block.type !== 'locals') continue;
          const a = attribute(block, name);
          if (a) return this.throughLocals(a.value, f, depth + 1);
        }
      }
    }
    return { expr, file };
  }

  /** `dynamic "x" { for_each = …; iterator = it; content { … } }` → one content per element, when the collection is known. */
  expandDynamic(block: Block, file: TerraformFile, env: ReadonlyMap<string, DocValue>): { content: Block; env: Map<string, DocValue> }[] | undefined {
    const forEach = attribute(block, 'for_each');
    const content = childBlocks(block, 'content')[0];
    if (!forEach || !content) return undefined;
    const iteratorAttr = attribute(block, 'iterator');
    const iteratorName = iteratorAttr?.value.kind === 'traversal' ? iteratorAttr.value.root : (block.labels[0] ?? 'item');
    const pairs = iterate(this.evaluator.evaluate(forEach.value, file, env));
    if (!pairs) return undefined;
    return pairs.map(([key, value]) => {
      const inner = new Map(env);
      const span = value.span;
      inner.set(iteratorName, {
        kind: 'object',
        complete: true,
        span,
        entries: [
          { key: known('key'), keySpan: span, value: key },
          { key: known('value'), keySpan: span, value },
        ],
      });
      return { content, env: inner };
    });
  }

  /** The cluster a resource names with `cluster_name`, in this module directory. */
  clusterRef(attr: Attribute | undefined, file: SourceFile): ClusterRef {
    return { name: this.str(attr, file)?.value ?? unknown('no cluster_name'), scope: this.dirUri };
  }
}

/** The text of an attribute written as a string literal (`source`, `version`); undefined for anything else. */
export function literalText(attr: Attribute | undefined): string | undefined {
  return attr?.value.kind === 'literal' && typeof attr.value.value === 'string' ? attr.value.value : undefined;
}

/** `module.<name>.<output>` for the module call whose owner key is `owner` (`tf:<dir>#module.<name>`, or with a local module instance's key before the address). */
export function moduleOutput(owner: string, output: string): string {
  return `${owner.slice(owner.lastIndexOf('#') + 1)}.${output}`;
}
