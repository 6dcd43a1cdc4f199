/**
 * Workspace files a module renders with variables: every `templatefile(path,
 * {vars})` call of the module (in `helm_release.values`, locals,
 * `kubectl_manifest.yaml_body`, `yamldecode(templatefile(…))`, an argocd
 * Application's values…) and every `data "template_file"` with `template =
 * file(path)` and `vars`. Each becomes a `TemplateBinding` fact; the model
 * reads the file's ServiceAccounts with the call's values (see
 * `index/templates.ts`), so a values file whose `${role_arn}` is bound to
 * `module.x.iam_role_arn` links its ServiceAccount to that role.
 *
 * Trust policies read through `templatefile()` are the role's business
 * (`trust.ts`, a `file` trust reference with variables): a binding is
 * recorded for them too, harmlessly, as the model only binds
 * ServiceAccounts.
 */
import { resolveRelativeUri } from '../common/uri';
import { knownText, type StrValue } from '../common/value';
import type { LStr, TemplateBinding } from '../facts/types';
import { scalarString } from '../parse/document';
import { attribute, type Attribute, type Block, type Expr } from '../parse/hcl';
import type { ModuleContext, TerraformFile } from './context';

/** The function and the data source (hashicorp/template) that render a workspace file: the pre-filter's template tokens. */
export const TEMPLATEFILE_FUNCTION = 'templatefile';
export const TEMPLATE_FILE_DATA_SOURCE = 'template_file';

/** Adds the module's template bindings to `ctx.out.templateBindings`. */
export function extractTemplateBindings(ctx: ModuleContext): void {
  const seen = new Set<Expr>();
  // A release's values first: there the binding knows the namespace the chart's ServiceAccount lives in.
  // A module with `chart`, `values` and `namespace` inputs (aws-ia's eks-blueprints-addon) passes them to a helm_release.
  const releases = [
    ...[...ctx.resources.values()].filter((r) => r.type === 'helm_release').map((r) => ({ block: r.block, file: r.file })),
    ...[...ctx.moduleCalls.values()].filter((c) => attribute(c.block, 'chart') !== undefined).map((c) => ({ block: c.block, file: c.file })),
  ];
  for (const release of releases) {
    const values = attribute(release.block, 'values');
    if (!values) continue;
    const namespace = ctx.str(attribute(release.block, 'namespace'), release.file);
    const items = values.value.kind === 'tuple' ? values.value.items : [values.value];
    for (const item of items) {
      const { expr, file } = ctx.throughLocals(item, release.file);
      for (const call of templateCalls(expr)) {
        seen.add(call);
        bindCall(ctx, call, file, namespace);
      }
    }
  }
  for (const file of ctx.files) {
    if (file.isTfvars) continue;
    for (const block of file.hcl.blocks) {
      if (block.type === 'data' && block.labels[0] === TEMPLATE_FILE_DATA_SOURCE) bindTemplateFileData(ctx, block, file);
      forEachAttribute(block, (attr) => {
        for (const call of templateCalls(attr.value)) if (!seen.has(call)) bindCall(ctx, call, file, undefined);
      });
    }
  }
}

/** `templatefile(path, vars)` calls in an expression, outermost first. */
function templateCalls(expr: Expr, depth = 0): Expr[] {
  if (depth > 64) return [];
  const out: Expr[] = [];
  const visit = (e: Expr): void => {
    out.push(...templateCalls(e, depth + 1));
  };
  switch (expr.kind) {
    case 'call':
      if (expr.name === TEMPLATEFILE_FUNCTION && expr.args.length >= 1) out.push(expr);
      expr.args.forEach(visit);
      break;
    case 'template':
      for (const part of expr.parts) if (part.kind === 'interpolation') visit(part.expr);
      break;
    case 'object':
      for (const item of expr.items) visit(item.value);
      break;
    case 'tuple':
      expr.items.forEach(visit);
      break;
    case 'conditional':
      visit(expr.then);
      visit(expr.otherwise);
      break;
    case 'for':
      visit(expr.valueExpr);
      break;
    case 'operation':
      expr.operands.forEach(visit);
      break;
    default:
      break;
  }
  return out;
}

function forEachAttribute(block: Block, f: (attr: Attribute) => void, depth = 0): void {
  if (depth > 32) return;
  for (const attr of block.attributes) f(attr);
  for (const child of block.blocks) forEachAttribute(child, f, depth + 1);
}

function bindCall(ctx: ModuleContext, call: Expr, file: TerraformFile, releaseNamespace: LStr | undefined): void {
  if (call.kind !== 'call') return;
  const [pathArg, varsArg] = call.args;
  if (!pathArg) return;
  const uri = templateUri(ctx, pathArg, file);
  if (!uri) return;
  const vars = varsArg ? variables(ctx, varsArg, file) : new Map<string, StrValue>();
  push(ctx, { id: `${ctx.dirUri}#templatefile@${file.uri}:${call.start}`, uri, span: ctx.span(file, call), vars, ...(releaseNamespace ? { releaseNamespace } : {}) });
}

/** `data "template_file" "x" { template = file("…"), vars = {…} }` (the hashicorp/template provider). */
function bindTemplateFileData(ctx: ModuleContext, block: Block, file: TerraformFile): void {
  const template = attribute(block, 'template');
  if (!template) return;
  const { expr, file: f } = ctx.throughLocals(template.value, file);
  if (expr.kind !== 'call' || expr.name !== 'file' || !expr.args[0]) return;
  const uri = templateUri(ctx, expr.args[0], f);
  if (!uri) return;
  const varsAttr = attribute(block, 'vars');
  const vars = varsAttr ? variables(ctx, varsAttr.value, file) : new Map<string, StrValue>();
  push(ctx, { id: `${ctx.dirUri}#data.template_file.${block.labels[1] ?? ''}`, uri, span: ctx.span(file, block.header), vars });
}

function push(ctx: ModuleContext, binding: TemplateBinding): void {
  if (!ctx.out.templateBindings.some((b) => b.id === binding.id)) ctx.out.templateBindings.push(binding);
}

/** The workspace file a path argument names; undefined when computed or absolute. */
function templateUri(ctx: ModuleContext, pathArg: Expr, file: TerraformFile): string | undefined {
  const path = knownText(ctx.evaluator.evaluateString(pathArg, file));
  return path === undefined ? undefined : resolveRelativeUri(ctx.dirUri, path);
}

/** The call's variables as strings, three-valued (a map or list variable is not a string placeholder's value). */
function variables(ctx: ModuleContext, expr: Expr, file: TerraformFile): Map<string, StrValue> {
  const vars = new Map<string, StrValue>();
  const value = ctx.evaluator.evaluate(expr, file);
  if (value.kind !== 'object') return vars;
  for (const e of value.entries) {
    const key = knownText(e.key);
    const v = scalarString(e.value);
    if (key !== undefined && v) vars.set(key, v);
  }
  return vars;
}
