/**
 * Terraform extraction, one module directory at a time: Terraform's own unit
 * of scope (locals, variables and resources are visible across the files of
 * a directory). The index re-runs this for a directory when one of its .tf or
 * .tfvars files changes; it only re-*parses* the file that changed.
 *
 * This file is the dispatcher: it hands each `resource` and `data` block to
 * the family that claims its type, and each `module` block to the family
 * that claims its source, and asks the same family again when an expression
 * refers to one of its blocks (`aws_iam_role.x.arn`, `module.eks.oidc_provider`).
 * What a family knows stays in its file.
 *
 * Adding a family: write `resources/<family>.ts` exporting a `ResourceFamily`
 * (handlers by resource and data source type), or `modules/<family>.ts`
 * exporting a `ModuleFamily` (with its kind added to `ModuleCall['kind']`),
 * and add it to `RESOURCE_FAMILIES` or `MODULE_FAMILIES` below.
 */
import type { Span } from '../common/text';
import { knownText, unknown } from '../common/value';
import type { DocValue } from '../parse/document';
import type { Facts } from '../facts/types';
import { attribute, type Attribute, type Block, type TraversalStep } from '../parse/hcl';
import { literalText, ModuleContext, type ModuleCallBlock, type ResourceBlock, type TerraformFile } from './context';
import type { ReferenceResolver } from './evaluate';
import type { ModuleFamily, ResourceFamily, ResourceHandler } from './family';
import { eksModule } from './modules/eks';
import { eksBlueprintsAddonsModule } from './modules/eks-blueprints-addons';
import { eksKarpenterModule } from './modules/eks-karpenter';
import { eksManagedNodeGroupModule, eksSelfManagedNodeGroupModule } from './modules/eks-node-group';
import { assumableRoleWithOidcModule } from './modules/iam-assumable-role-with-oidc';
import { irsaModuleV5, irsaModuleV6 } from './modules/iam-irsa';
import { parseModuleSource } from './modules/source';
import { eksResources } from './resources/eks';
import { helmResources } from './resources/helm';
import { iamResources } from './resources/iam';
import { kubernetesResources } from './resources/kubernetes';

export type { TerraformFile } from './context';

export function extractTerraformModule(dirUri: string, files: readonly TerraformFile[]): Facts {
  return new ModuleExtraction(dirUri, files).run();
}

/** The resource families. A type two families claim fails at load: one type, one reader. */
const RESOURCE_FAMILIES: readonly ResourceFamily[] = [iamResources, eksResources, kubernetesResources, helmResources];

/** The module families. A call whose source none matches is kind `other`: its outputs are unknown. */
const MODULE_FAMILIES: readonly ModuleFamily[] = [eksModule, eksBlueprintsAddonsModule, eksKarpenterModule, eksManagedNodeGroupModule, eksSelfManagedNodeGroupModule, irsaModuleV5, irsaModuleV6, assumableRoleWithOidcModule];

const RESOURCE_HANDLERS = handlersByType('resources');
const DATA_SOURCE_HANDLERS = handlersByType('dataSources');

class ModuleExtraction implements ReferenceResolver {
  private readonly ctx: ModuleContext;
  private readonly moduleFamilies = new Map<ModuleCallBlock, ModuleFamily>();

  constructor(dirUri: string, files: readonly TerraformFile[]) {
    this.ctx = new ModuleContext(dirUri, files, this);
    for (const call of this.ctx.moduleCalls.values()) {
      const source = parseModuleSource(call.source);
      const family = MODULE_FAMILIES.find((f) => f.matches(source));
      if (family) this.moduleFamilies.set(call, family);
    }
  }

  run(): Facts {
    const { ctx } = this;
    for (const file of ctx.files) {
      const first = file.hcl.problems[0];
      if (first) ctx.out.problems.push({ span: ctx.span(file, first), message: first.message });
    }
    for (const resource of ctx.resources.values()) RESOURCE_HANDLERS.get(resource.type)?.extract?.(resource, ctx);
    for (const data of ctx.dataSources.values()) DATA_SOURCE_HANDLERS.get(data.type)?.extract?.(data, ctx);
    for (const call of ctx.moduleCalls.values()) this.moduleCall(call);
    this.clusters();
    return ctx.out;
  }

  resolveReference(root: string, steps: readonly TraversalStep[], span: Span): DocValue | undefined {
    const attrs = steps.filter((s): s is Extract<TraversalStep, { kind: 'attr' }> => s.kind === 'attr').map((s) => s.name);
    if (root === 'module') {
      const [name, output] = attrs;
      const call = name !== undefined ? this.ctx.moduleCalls.get(name) : undefined;
      if (!call || output === undefined) return undefined;
      return this.moduleFamilies.get(call)?.output?.(call, output, span, this.ctx);
    }
    if (root === 'data') {
      const [type, ...names] = attrs;
      if (type === undefined || names[0] === undefined) return undefined;
      const address = `data.${type}.${names[0]}`;
      return DATA_SOURCE_HANDLERS.get(type)?.attribute?.({ address, owner: this.ctx.owner(address), declared: this.ctx.dataSources.get(address), names, span }, this.ctx);
    }
    if (attrs[0] === undefined) return undefined;
    const address = `${root}.${attrs[0]}`;
    return RESOURCE_HANDLERS.get(root)?.attribute?.({ address, owner: this.ctx.owner(address), declared: this.ctx.resources.get(address), names: attrs, span }, this.ctx);
  }

  /** The call's facts from its family, then its `ModuleCall` fact. */
  private moduleCall(call: ModuleCallBlock): void {
    const { ctx } = this;
    const { block, file } = call;
    const family = this.moduleFamilies.get(call);
    const details = family ? family.extract(call, ctx) : {};
    const version = attribute(block, 'version');
    const versionText = literalText(version);
    ctx.out.moduleCalls.push({
      id: call.owner,
      name: call.name,
      span: ctx.span(file, block.header),
      blockSpan: ctx.span(file, block),
      kind: family?.kind ?? 'other',
      ...(call.source !== undefined ? { source: call.source } : {}),
      ...(version && versionText !== undefined ? { version: { value: versionText, span: ctx.span(file, version.value) } } : {}),
      arguments: block.attributes.map((a) => ({ name: a.name, span: ctx.span(file, a), nameSpan: ctx.span(file, a.nameExtent) })),
      ...details,
    });
  }

  /**
   * The clusters this module directory names, for live checks: the eks
   * module, `aws_eks_cluster` resources and data sources. The region is the
   * default `provider "aws"` block's, when it is written.
   */
  private clusters(): void {
    const { ctx } = this;
    const region = this.defaultProviderRegion();
    const declare = (owner: string, block: Block, file: TerraformFile, nameAttr: Attribute | undefined): void => {
      const name = ctx.str(nameAttr, file);
      ctx.out.clusters.push({ owner, span: name?.span ?? ctx.span(file, block.header), name: name?.value ?? unknown('no cluster name'), ...(region !== undefined ? { region } : {}) });
    };
    for (const call of ctx.moduleCalls.values()) {
      const family = this.moduleFamilies.get(call);
      if (family?.clusterName) declare(call.owner, call.block, call.file, family.clusterName(call));
    }
    const declareResources = (blocks: ReadonlyMap<string, ResourceBlock>, handlers: ReadonlyMap<string, ResourceHandler>): void => {
      for (const resource of blocks.values()) {
        const handler = handlers.get(resource.type);
        if (handler?.clusterName) declare(resource.owner, resource.block, resource.file, handler.clusterName(resource));
      }
    };
    declareResources(ctx.resources, RESOURCE_HANDLERS);
    declareResources(ctx.dataSources, DATA_SOURCE_HANDLERS);
  }

  private defaultProviderRegion(): string | undefined {
    for (const file of this.ctx.files) {
      if (file.isTfvars) continue;
      for (const block of file.hcl.blocks) {
        if (block.type !== 'provider' || block.labels[0] !== 'aws' || attribute(block, 'alias')) continue;
        const region = this.ctx.str(attribute(block, 'region'), file)?.value;
        return region ? knownText(region) : undefined;
      }
    }
    return undefined;
  }
}

/** Every family's handlers of one kind of block, by type. */
function handlersByType(kind: 'resources' | 'dataSources'): ReadonlyMap<string, ResourceHandler> {
  const handlers = new Map<string, ResourceHandler>();
  for (const family of RESOURCE_FAMILIES) {
    for (const [type, handler] of Object.entries(family[kind] ?? {})) {
      if (handlers.has(type)) throw new Error(`Two Terraform resource families claim the ${kind === 'resources' ? 'resource' : 'data source'} type ${type}.`);
      handlers.set(type, handler);
    }
  }
  return handlers;
}
