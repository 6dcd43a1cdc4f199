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
import { withReferences } from './references';
import type { Span } from '../common/text';
import { known, knownText, unknown } from '../common/value';
import type { DocValue } from '../parse/document';
import { mergeFacts, type Facts } from '../facts/types';
import { attribute, type Attribute, type Block, type TraversalStep } from '../parse/hcl';
import { literalText, ModuleContext, type ModuleCallBlock, type ResourceBlock, type TerraformFile } from './context';
import { iterate, type ReferenceResolver } from './evaluate';
import { localModuleDirectory, MAX_DEPTH, MAX_INSTANCES, type ModuleDirectories } from './local-modules';
import { outputReferences } from './module-outputs';
import { admitsOnlyMajorAtLeast } from './version';
import type { ModuleFamily, ResourceFamily, ResourceHandler } from './family';
import { eksModule } from './modules/eks';
import { eksBlueprintsAddonsModule } from './modules/eks-blueprints-addons';
import { eksKarpenterModule } from './modules/eks-karpenter';
import { eksManagedNodeGroupModule, eksSelfManagedNodeGroupModule } from './modules/eks-node-group';
import { assumableRoleWithOidcModule } from './modules/iam-assumable-role-with-oidc';
import { irsaModuleV5, irsaModuleV6 } from './modules/iam-irsa';
import { iamRoleModule } from './modules/iam-role';
import { eksPodIdentityModule } from './modules/eks-pod-identity';
import { eksBlueprintsAddonModule } from './modules/eks-blueprints-addon';
import { parseModuleSource } from './modules/source';
import { eksResources } from './resources/eks';
import { helmResources } from './resources/helm';
import { iamResources } from './resources/iam';
import { kubernetesResources } from './resources/kubernetes';
import { extractTemplateBindings } from './templates';

export type { TerraformFile } from './context';
export type { ModuleDirectories } from './local-modules';

/**
 * A directory's facts. With `directories` (the index's view of the
 * workspace), a directory that other directories call as a local module is
 * read once per call with the call's inputs (see `local-modules.ts`), and
 * local module outputs are read from their instances.
 */
export function extractTerraformModule(dirUri: string, files: readonly TerraformFile[], directories?: ModuleDirectories): Facts {
  if (!directories) return new ModuleExtraction(dirUri, files).run();
  const local: LocalReading = { directories, chain: [dirUri] };
  const instances = instancesOf(dirUri, local);
  if (instances.length === 0) return new ModuleExtraction(dirUri, files, local).run();
  const parts = instances.map((instance, i) => {
    const facts = new ModuleExtraction(dirUri, files, local, instance).run();
    // A file's syntax errors are the file's, not each call's.
    return i === 0 ? facts : { ...facts, problems: [] };
  });
  return mergeFacts(parts);
}

/** What reading local modules carries along: the workspace's directories, and the chain of directories being read (against cycles). */
interface LocalReading {
  readonly directories: ModuleDirectories;
  readonly chain: readonly string[];
}

/** One call of a local module: the key naming it in owners, and the values of its arguments. */
interface Instance {
  readonly key: string;
  readonly inputs: ReadonlyMap<string, DocValue>;
}

/** The arguments of a `module` block that are Terraform's, not the module's variables. */
const META_ARGUMENTS = new Set(['source', 'version', 'for_each', 'count', 'providers', 'depends_on']);

/**
 * The calls of `dirUri` from the other directories of the workspace, each
 * caller read as it is itself read (its own instances, when it is called in
 * turn), bounded in depth and number.
 */
function instancesOf(dirUri: string, local: LocalReading): Instance[] {
  if (local.chain.length > MAX_DEPTH) return [];
  const instances: Instance[] = [];
  for (const callerDir of local.directories.callers(dirUri)) {
    if (local.chain.includes(callerDir)) continue;
    const callerFiles = local.directories.files(callerDir);
    if (!callerFiles) continue;
    const outer: LocalReading = { directories: local.directories, chain: [...local.chain, callerDir] };
    const callerInstances: (Instance | undefined)[] = instancesOf(callerDir, outer);
    if (callerInstances.length === 0) callerInstances.push(undefined);
    for (const callerInstance of callerInstances) {
      const caller = new ModuleExtraction(callerDir, callerFiles, outer, callerInstance);
      for (const call of caller.localCallsOf(dirUri)) {
        for (const instance of caller.instancesOfCall(call)) {
          instances.push(instance);
          if (instances.length >= MAX_INSTANCES) return instances;
        }
      }
    }
  }
  return instances;
}

/** The resource families. A type two families claim fails at load: one type, one reader. */
const RESOURCE_FAMILIES: readonly ResourceFamily[] = [iamResources, eksResources, kubernetesResources, helmResources];

/** The module families. A call whose source none matches is kind `other`: its outputs are unknown. */
const MODULE_FAMILIES: readonly ModuleFamily[] = [eksModule, eksBlueprintsAddonsModule, eksKarpenterModule, eksManagedNodeGroupModule, eksSelfManagedNodeGroupModule, irsaModuleV5, irsaModuleV6, assumableRoleWithOidcModule, iamRoleModule, eksPodIdentityModule, eksBlueprintsAddonModule];

const RESOURCE_HANDLERS = handlersByType('resources');
const DATA_SOURCE_HANDLERS = handlersByType('dataSources');

/**
 * The resource and data source types whose blocks some family reads for
 * facts (an `extract` step, or the cluster name for live checks): a
 * directory without any of them (nor a family's module, nor a template
 * call) yields no facts of its own (the Terraform pre-filter's type
 * tokens, `prefilter.ts`). Types with only an `attribute` answer
 * (`data.aws_caller_identity`) matter only inside a directory that has
 * facts for another reason.
 */
export const FACT_BLOCK_TYPES: readonly string[] = [
  ...new Set([...RESOURCE_HANDLERS, ...DATA_SOURCE_HANDLERS].filter(([, handler]) => handler.extract !== undefined || handler.clusterName !== undefined).map(([type]) => type)),
].sort();

class ModuleExtraction implements ReferenceResolver {
  private readonly ctx: ModuleContext;
  private readonly moduleFamilies = new Map<ModuleCallBlock, ModuleFamily>();
  /** Local module instances read for their outputs, by instance key. */
  private readonly children = new Map<string, ModuleExtraction | undefined>();

  constructor(
    dirUri: string,
    files: readonly TerraformFile[],
    private readonly local?: LocalReading,
    instance?: Instance,
  ) {
    this.ctx = new ModuleContext(dirUri, files, this, instance);
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
    extractTemplateBindings(ctx);
    this.clusters();
    ctx.out.roles = withReferences(ctx.out.roles, ctx.files);
    return ctx.out;
  }

  resolveReference(root: string, steps: readonly TraversalStep[], span: Span): DocValue | undefined {
    const attrs = steps.filter((s): s is Extract<TraversalStep, { kind: 'attr' }> => s.kind === 'attr').map((s) => s.name);
    if (root === 'module') {
      const [name, output] = attrs;
      const call = name !== undefined ? this.ctx.moduleCalls.get(name) : undefined;
      if (!call || output === undefined) return undefined;
      const family = this.moduleFamilies.get(call);
      if (family) return family.output?.(call, output, span, this.ctx);
      return this.localOutput(call, steps, span);
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

  /** The module blocks of this directory that call `dirUri` as a local module. */
  localCallsOf(dirUri: string): ModuleCallBlock[] {
    return [...this.ctx.moduleCalls.values()].filter((call) => localModuleDirectory(this.ctx.dirUri, call.source) === dirUri);
  }

  /**
   * A call's instances: one, or one per key of a known `for_each` (`count`
   * as indices); none when the keys are not known (the child is then read
   * from its other calls, or on its own).
   */
  instancesOfCall(call: ModuleCallBlock): Instance[] {
    const { ctx } = this;
    const callKey = ctx.owner(call.address);
    const inputsWith = (env: ReadonlyMap<string, DocValue>): Map<string, DocValue> => {
      const inputs = new Map<string, DocValue>();
      for (const a of call.block.attributes) if (!META_ARGUMENTS.has(a.name)) inputs.set(a.name, ctx.evaluator.evaluate(a.value, call.file, env));
      return inputs;
    };
    const forEach = attribute(call.block, 'for_each');
    const count = attribute(call.block, 'count');
    if (forEach) {
      const pairs = iterate(ctx.evaluator.evaluate(forEach.value, call.file));
      if (!pairs) return [];
      return pairs.slice(0, MAX_INSTANCES).flatMap(([key, value]) => {
        const keyText = key.kind === 'string' ? knownText(key.value) : key.kind === 'number' ? String(key.value) : undefined;
        if (keyText === undefined) return [];
        const each: DocValue = { kind: 'object', complete: true, span: key.span, entries: [{ key: known('key'), keySpan: key.span, value: key }, { key: known('value'), keySpan: key.span, value }] };
        return [{ key: `${callKey}[${JSON.stringify(keyText)}]`, inputs: inputsWith(new Map([['each', each]])) }];
      });
    }
    if (count) {
      const n = ctx.evaluator.evaluate(count.value, call.file);
      if (n.kind !== 'number' || !Number.isInteger(n.value) || n.value < 0) return [];
      return Array.from({ length: Math.min(n.value, MAX_INSTANCES) }, (_, i) => {
        const index: DocValue = { kind: 'object', complete: true, span: n.span, entries: [{ key: known('index'), keySpan: n.span, value: { kind: 'number', value: i, span: n.span } }] };
        return { key: `${callKey}[${i}]`, inputs: inputsWith(new Map([['count', index]])) };
      });
    }
    return [{ key: callKey, inputs: inputsWith(new Map()) }];
  }

  /** The value of an `output` block of this directory, at a reference's place. */
  outputValue(name: string, rest: readonly TraversalStep[], span: Span): DocValue | undefined {
    for (const file of this.ctx.files) {
      if (file.isTfvars) continue;
      for (const block of file.hcl.blocks) {
        if (block.type !== 'output' || block.labels[0] !== name) continue;
        const value = this.ctx.value(attribute(block, 'value'), file);
        if (!value) return undefined;
        const at = this.ctx.evaluator.applySteps(value, rest, file, new Map(), span);
        return { ...at, span };
      }
    }
    return undefined;
  }

  /**
   * `module.x.<output>` of a local module: its instance for this call (the
   * one key `module.x["k"]` names, for a `for_each` call), read with the
   * call's inputs.
   */
  private localOutput(call: ModuleCallBlock, steps: readonly TraversalStep[], span: Span): DocValue | undefined {
    const local = this.local;
    const childDir = localModuleDirectory(this.ctx.dirUri, call.source);
    if (!local || childDir === undefined || local.chain.includes(childDir) || local.chain.length > MAX_DEPTH) return undefined;
    const files = local.directories.files(childDir);
    if (!files) return undefined;
    // steps: .x, then [key] for a for_each or count call, then .output and the path into it.
    let i = 1;
    let instance: Instance | undefined;
    const instances = this.instancesOfCall(call);
    const keyed = attribute(call.block, 'for_each') !== undefined || attribute(call.block, 'count') !== undefined;
    if (keyed) {
      const step = steps[1];
      if (step?.kind !== 'index') return undefined;
      const key = this.ctx.evaluator.evaluate(step.index, call.file);
      const keyText = key.kind === 'string' ? knownText(key.value) : key.kind === 'number' ? String(key.value) : undefined;
      if (keyText === undefined) return undefined;
      const callKey = this.ctx.owner(call.address);
      instance = instances.find((c) => c.key === `${callKey}[${JSON.stringify(keyText)}]` || c.key === `${callKey}[${keyText}]`);
      i = 2;
    } else instance = instances[0];
    const output = steps[i];
    if (!instance || output?.kind !== 'attr') return undefined;
    let child = this.children.get(instance.key);
    if (!this.children.has(instance.key)) {
      child = new ModuleExtraction(childDir, files, { directories: local.directories, chain: [...local.chain, childDir] }, instance);
      this.children.set(instance.key, child);
    }
    return child?.outputValue(output.name, steps.slice(i + 1), span);
  }

  /** The call's facts from its family, then its `ModuleCall` fact. */
  private moduleCall(call: ModuleCallBlock): void {
    const { ctx } = this;
    const { block, file } = call;
    const family = this.moduleFamilies.get(call);
    const details = family ? family.extract(call, ctx) : {};
    const version = attribute(block, 'version');
    const versionText = literalText(version);
    const outputs = family?.outputs;
    const pinned = outputs && admitsOnlyMajorAtLeast(versionText, outputs.major) === true && admitsOnlyMajorAtLeast(versionText, outputs.major + 1) === false;
    ctx.out.moduleCalls.push({
      id: call.owner,
      name: call.name,
      span: ctx.span(file, block.header),
      blockSpan: ctx.span(file, block),
      kind: family?.kind ?? 'other',
      ...(call.source !== undefined ? { source: call.source } : {}),
      ...(version && versionText !== undefined ? { version: { value: versionText, span: ctx.span(file, version.value) } } : {}),
      arguments: block.attributes.map((a) => ({ name: a.name, span: ctx.span(file, a), nameSpan: ctx.span(file, a.nameExtent) })),
      ...(pinned && outputs ? { outputs: { names: outputs.names, major: outputs.major, module: `${(call.source ?? '').replace(/^.*\/\//, '').replace(/^modules\//, '') || family.kind} ${outputs.release}`, references: outputReferences(ctx.files, call.name) } } : {}),
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
