/**
 * What a family of resources or modules implements. The dispatcher
 * (`module.ts`) hands each block to the family that claims it, and asks
 * the same family for the value of a reference into one of its blocks, so
 * what a family knows about its blocks stays in its file.
 */
import type { Span } from '../common/text';
import type { StrValue } from '../common/value';
import type { DocValue } from '../parse/document';
import type { ModuleCall } from '../facts/types';
import type { Attribute } from '../parse/hcl';
import type { ModuleCallBlock, ModuleContext, ResourceBlock } from './context';
import type { ModuleSource } from './modules/source';

/** Resource and data source types, each with what the family does with it. */
export interface ResourceFamily {
  /** Handlers by `resource` type. */
  readonly resources?: Readonly<Record<string, ResourceHandler>>;
  /** Handlers by `data` source type. */
  readonly dataSources?: Readonly<Record<string, ResourceHandler>>;
}

export interface ResourceHandler {
  /** Adds the facts a block of this type yields. */
  extract?(resource: ResourceBlock, ctx: ModuleContext): void;
  /**
   * The value of a reference into a block of this type, whether or not the
   * directory declares it (`aws_iam_role.x.arn` is the role's ARN either
   * way); undefined leaves it unknown, "computed by Terraform".
   */
  attribute?(reference: ResourceReference, ctx: ModuleContext): DocValue | undefined;
  /** Present for the types that declare an EKS cluster (for live checks): the argument that names it. */
  clusterName?(resource: ResourceBlock): Attribute | undefined;
}

/** `aws_iam_role.x.arn`, `data.aws_eks_cluster.c.identity[0].oidc[0].issuer`. */
export interface ResourceReference {
  /** The address of the block it names: `aws_iam_role.x`, `data.aws_eks_cluster.c`. */
  readonly address: string;
  /** The id of that block's facts. */
  readonly owner: string;
  /** The block, when the directory declares it. */
  readonly declared: ResourceBlock | undefined;
  /** The attribute names after the type: the block's name, then the path into it (index steps left out). */
  readonly names: readonly string[];
  /** Where the reference is written: the span of the value it becomes. */
  readonly span: Span;
}

/** The calls of one well-known module: what they create, and what their outputs are. */
export interface ModuleFamily {
  /** The kind of the family's `ModuleCall` facts. */
  readonly kind: Exclude<ModuleCall['kind'], 'other'>;
  matches(source: ModuleSource): boolean;
  /** Adds the facts a call yields (roles, trust policies, providers, …); returns what its `ModuleCall` fact carries beyond what every call's does. */
  extract(call: ModuleCallBlock, ctx: ModuleContext): ModuleCallDetails;
  /** The value of `module.<call>.<output>`, `at` the reference; undefined leaves it unknown. */
  output?(call: ModuleCallBlock, output: string, at: Span, ctx: ModuleContext): DocValue | undefined;
  /** Present for the families whose calls create an EKS cluster: the argument that names it. */
  clusterName?(call: ModuleCallBlock): Attribute | undefined;
  /**
   * The module's outputs in the newest release of the one major version the
   * family's source exists in, as its `outputs.tf` declares them: a call
   * whose version constraint admits only that major cannot reference others.
   */
  readonly outputs?: { readonly major: number; readonly release: string; readonly names: readonly string[] };
}

/** The parts of a `ModuleCall` fact only some families fill. */
export type ModuleCallDetails = Pick<ModuleCall, 'karpenter'>;

/** A string value at a reference's place. */
export function stringAt(value: StrValue, span: Span): DocValue {
  return { kind: 'string', value, span };
}
