/**
 * The launch templates terraform-aws-modules/eks builds for node groups,
 * with the instance metadata options the user wrote: the node group
 * submodules `//modules/eks-managed-node-group` and
 * `//modules/self-managed-node-group`, and the node group maps of the root
 * module (which calls them).
 */
import type { Span } from '../../common/text';
import { knownText } from '../../common/value';
import type { LaunchTemplate } from '../../facts/types';
import { attribute, type Expr } from '../../parse/hcl';
import type { ModuleCallBlock, ModuleContext, TerraformFile } from '../context';
import type { ModuleFamily } from '../family';

export const eksManagedNodeGroupModule: ModuleFamily = nodeGroupModule(true, 'modules/eks-managed-node-group');
export const eksSelfManagedNodeGroupModule: ModuleFamily = nodeGroupModule(false, 'modules/self-managed-node-group');

/**
 * terraform-aws-modules/eks builds a launch template for each entry of
 * `eks_managed_node_groups` and `self_managed_node_groups`, with the entry's
 * `metadata_options`, else (up to v20) the one in
 * `eks_managed_node_group_defaults` / `self_managed_node_group_defaults`
 * (the module takes the first that is set, whole: `try(each.value.
 * metadata_options, var.…_defaults.metadata_options, local.metadata_options)`),
 * else its own. Only what the user wrote becomes a fact: the module's own
 * default is never reported. The maps are read as written (objects in place
 * or behind `local.x`); `merge()`, `for` and variables leave them unread.
 */
export function extractEksModuleNodeGroups({ address, owner, block, file }: ModuleCallBlock, ctx: ModuleContext): void {
  if (!absentOrTrue(attribute(block, 'create')?.value)) return;
  const inputs = [
    { input: 'eks_managed_node_groups', defaultsInput: 'eks_managed_node_group_defaults', managed: true },
    { input: 'self_managed_node_groups', defaultsInput: 'self_managed_node_group_defaults', managed: false },
  ];
  for (const { input, defaultsInput, managed } of inputs) {
    const groupsAttr = attribute(block, input);
    const groups = groupsAttr ? objectExpr(ctx, groupsAttr.value, file) : undefined;
    const defaultsAttr = attribute(block, defaultsInput);
    const defaults = defaultsAttr ? objectExpr(ctx, defaultsAttr.value, file) : undefined;
    // Computed defaults may switch the launch template off: nothing is known.
    if (defaultsAttr && !defaults) continue;
    const defaultsFor: string[] = [];
    for (const item of groups?.expr.items ?? []) {
      const key = literalString(item.key);
      const group = groups ? objectExpr(ctx, item.value, groups.file) : undefined;
      if (key === undefined || !group) continue;
      const setting = (n: string): Expr | undefined => objectItem(group.expr, n) ?? (defaults ? objectItem(defaults.expr, n) : undefined);
      // `create` has no default input in the module: `try(each.value.create, true)`.
      const builds = absentOrTrue(objectItem(group.expr, 'create')) && absentOrTrue(setting('create_launch_template')) && (!managed || absentOrTrue(setting('use_custom_launch_template')));
      if (!builds) continue;
      const own = objectItem(group.expr, 'metadata_options');
      if (!own) {
        defaultsFor.push(key);
        continue;
      }
      const span = ctx.span(group.file, item.key);
      nodeGroupMetadata(ctx, `${owner}#${input}.${key}`, key, span, own, group.file, { call: address, input, group: key });
    }
    const defaultMetadata = defaults ? objectItem(defaults.expr, 'metadata_options') : undefined;
    if (defaults && defaultMetadata && defaultsFor.length > 0 && defaultsAttr) {
      nodeGroupMetadata(ctx, `${owner}#${defaultsInput}`, defaultsInput, ctx.span(file, defaultsAttr.nameExtent), defaultMetadata, defaults.file, { call: address, input: defaultsInput, defaultsFor });
    }
  }
}

/**
 * A node group submodule's family. The submodules take `metadata_options`
 * themselves; the launch template exists unless `create`,
 * `create_launch_template` or (managed) `use_custom_launch_template` is not true.
 */
function nodeGroupModule(managed: boolean, submodule: string): ModuleFamily {
  return {
    kind: 'eks-node-group',
    matches: (source) => source.repository === 'eks' && source.submodule === submodule,
    extract: ({ address, owner, block, file }, ctx) => {
      const flags = ['create', 'create_launch_template', ...(managed ? ['use_custom_launch_template'] : [])];
      if (!flags.every((f) => absentOrTrue(attribute(block, f)?.value))) return {};
      const metadata = attribute(block, 'metadata_options');
      if (!metadata) return {};
      const nameValue = ctx.str(attribute(block, 'name'), file)?.value;
      const name = (nameValue ? knownText(nameValue) : undefined) ?? address;
      nodeGroupMetadata(ctx, `${owner}#metadata_options`, name, ctx.span(file, block.header), metadata.value, file, { call: address, input: 'metadata_options' });
      return {};
    },
  };
}

/** The launch template fact for a written `metadata_options` object that sets `http_put_response_hop_limit`. */
function nodeGroupMetadata(ctx: ModuleContext, id: string, name: string, span: Span, metadataExpr: Expr, file: TerraformFile, module: NonNullable<LaunchTemplate['module']>): void {
  const metadata = objectExpr(ctx, metadataExpr, file);
  const hop = metadata ? objectItem(metadata.expr, 'http_put_response_hop_limit') : undefined;
  if (!metadata || !hop) return;
  ctx.out.launchTemplates.push({
    id,
    name,
    span,
    origin: 'eks-module',
    usedByNodeGroup: 'yes',
    hopLimit: { value: literalInteger(hop), span: ctx.span(metadata.file, hop) },
    module,
  });
}

/** An object expression written in place or behind `local.x`; undefined for anything computed. */
function objectExpr(ctx: ModuleContext, expr: Expr, file: TerraformFile): { expr: Extract<Expr, { kind: 'object' }>; file: TerraformFile } | undefined {
  const found = ctx.throughLocals(expr, file);
  return found.expr.kind === 'object' ? { expr: found.expr, file: found.file } : undefined;
}

/** A string as written: a bare object key, a string literal, or a quoted string without interpolation. */
function literalString(expr: Expr): string | undefined {
  if (expr.kind === 'literal') return typeof expr.value === 'string' ? expr.value : undefined;
  if (expr.kind === 'template' && !expr.heredoc && expr.parts.every((p) => p.kind === 'text')) return expr.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  return undefined;
}

/** The value of the item of an object expression with this key (the last, should a key repeat). */
function objectItem(obj: Extract<Expr, { kind: 'object' }>, name: string): Expr | undefined {
  let found: Expr | undefined;
  for (const item of obj.items) if (literalString(item.key) === name) found = item.value;
  return found;
}

/** A module flag that is not written (its default, true) or written as the literal `true`. */
function absentOrTrue(expr: Expr | undefined): boolean {
  return expr === undefined || (expr.kind === 'literal' && expr.value === true);
}

/** A whole number written as a literal (`2`, or `"2"`, which Terraform converts); undefined for anything else. */
function literalInteger(expr: Expr): number | undefined {
  if (expr.kind === 'literal' && typeof expr.value === 'number' && Number.isInteger(expr.value)) return expr.value;
  const text = literalString(expr);
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
