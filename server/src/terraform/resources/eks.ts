/**
 * EKS: clusters (their OIDC issuer, and the names live checks look up),
 * add-ons (the ServiceAccount each runs as, `facts/addons.ts`), Fargate profiles, Pod Identity associations, and the launch templates of
 * node groups (their instance metadata hop limit).
 */
import type { Span } from '../../common/text';
import { knownText, symbol, unknown } from '../../common/value';
import type { DocValue } from '../../parse/document';
import { labelRequirements } from '../../facts/kubernetes';
import { addonServiceAccount } from '../../facts/addons';
import type { FargateSelector } from '../../facts/types';
import { attribute, childBlocks, type Block, type Expr } from '../../parse/hcl';
import type { ModuleContext, ResourceBlock } from '../context';
import { stringAt, type ResourceFamily, type ResourceHandler } from '../family';

/** `aws_eks_cluster`, managed or read: `….identity[0].oidc[0].issuer` is the cluster's issuer URL. */
const cluster: ResourceHandler = {
  attribute: ({ names, owner, span }) => (names.includes('identity') && names[names.length - 1] === 'issuer' ? stringAt(symbol('issuer-url', owner), span) : undefined),
  clusterName: ({ block }) => attribute(block, 'name'),
};

export const eksResources: ResourceFamily = {
  resources: {
    aws_eks_cluster: cluster,
    aws_eks_addon: { extract: extractAddon },
    aws_eks_fargate_profile: { extract: extractFargateProfile },
    aws_eks_pod_identity_association: { extract: extractPodIdentityAssociation },
    aws_launch_template: { extract: extractLaunchTemplate },
  },
  dataSources: {
    aws_eks_cluster: cluster,
  },
};

/** `aws_eks_addon`: the add-on's own ServiceAccount, carrying `service_account_role_arn` when it is set. */
function extractAddon({ owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const name = ctx.str(attribute(block, 'addon_name'), file);
  const addon = name ? knownText(name.value) : undefined;
  if (!name || addon === undefined) return;
  const roleAttr = attribute(block, 'service_account_role_arn');
  const role = ctx.value(roleAttr, file);
  const roleArn = role?.kind === 'null' ? undefined : ctx.str(roleAttr, file);
  const sa = addonServiceAccount(owner, addon, name.span, roleArn);
  if (sa) ctx.out.serviceAccounts.push(sa);
}

function extractFargateProfile({ address, owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const selectors: FargateSelector[] = [];
  let complete = true;
  const read = (b: Block, env: ReadonlyMap<string, DocValue>): void => {
    const ns = ctx.str(attribute(b, 'namespace'), file, env);
    if (!ns) {
      complete = false;
      return;
    }
    const labels = labelRequirements(ctx.value(attribute(b, 'labels'), file, env));
    selectors.push({ span: ctx.span(file, b.header), namespace: ns, labels: labels.items, labelsComplete: labels.complete });
  };
  for (const child of block.blocks) {
    if (child.type === 'selector') read(child, new Map());
    else if (child.type === 'dynamic' && child.labels[0] === 'selector') {
      const expanded = ctx.expandDynamic(child, file, new Map());
      if (!expanded) complete = false;
      else for (const e of expanded) read(e.content, e.env);
    }
  }
  const nameValue = ctx.str(attribute(block, 'fargate_profile_name'), file)?.value;
  ctx.out.fargateProfiles.push({
    id: owner,
    name: (nameValue ? knownText(nameValue) : undefined) ?? address,
    span: ctx.span(file, block.header),
    origin: 'terraform',
    cluster: ctx.clusterRef(attribute(block, 'cluster_name'), file),
    selectors,
    selectorsComplete: complete,
  });
}

function extractPodIdentityAssociation({ owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const header = ctx.span(file, block.header);
  ctx.out.podIdentityAssociations.push({
    id: owner,
    span: header,
    origin: 'terraform',
    cluster: ctx.clusterRef(attribute(block, 'cluster_name'), file),
    namespace: ctx.str(attribute(block, 'namespace'), file) ?? { value: unknown('no namespace'), span: header },
    serviceAccount: ctx.str(attribute(block, 'service_account'), file) ?? { value: unknown('no service_account'), span: header },
  });
}

/**
 * `aws_launch_template` with `metadata_options { http_put_response_hop_limit }`.
 * It serves EKS nodes when an `aws_eks_node_group` of this directory names
 * it in its `launch_template` block (by id or name).
 */
function extractLaunchTemplate({ address, owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const metadata = childBlocks(block, 'metadata_options')[0];
  const hopAttr = metadata ? attribute(metadata, 'http_put_response_hop_limit') : undefined;
  let hopLimit: { value: number | undefined; span: Span } | undefined;
  if (hopAttr) {
    const v = ctx.value(hopAttr, file);
    const text = v?.kind === 'string' ? knownText(v.value) : undefined;
    const n = v?.kind === 'number' ? v.value : text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
    hopLimit = { value: n, span: ctx.span(file, hopAttr.value) };
  }
  const used = [...ctx.resources.values()].some(({ block: b }) => {
    if (b.labels[0] !== 'aws_eks_node_group') return false;
    const lt = childBlocks(b, 'launch_template')[0];
    return !!lt && lt.attributes.some((a) => (a.name === 'id' || a.name === 'name') && referencesAddress(a.value, address));
  });
  const nameValue = ctx.str(attribute(block, 'name'), file)?.value;
  ctx.out.launchTemplates.push({
    id: owner,
    name: (nameValue ? knownText(nameValue) : undefined) ?? address,
    span: ctx.span(file, block.header),
    origin: 'terraform',
    usedByNodeGroup: used ? 'yes' : 'unknown',
    ...(hopLimit ? { hopLimit } : {}),
  });
}

/** Whether an expression is a reference to `<address>.<attribute>` (`aws_launch_template.x.id`). */
function referencesAddress(expr: Expr, address: string): boolean {
  if (expr.kind !== 'traversal') return false;
  const names = [expr.root, ...expr.steps.map((s) => (s.kind === 'attr' ? s.name : ''))];
  return names.slice(0, 2).join('.') === address;
}
