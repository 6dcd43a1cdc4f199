/**
 * Facts: what the extractors learn from one file (or one Terraform module
 * directory), as plain readonly values with spans. No syntax-tree handles
 * are kept: the index and the rules see only these.
 */
import type { Span } from '../common/text';
import type { StrValue } from '../common/value';

export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

export type LStr = Located<StrValue>;

// ─── Trust policies ──────────────────────────────────────────────────────────

export type PolicyOrigin =
  /** A JSON file in the workspace (also when Terraform reads it with file()). */
  | 'json-file'
  /** Terraform `jsonencode({...})`. */
  | 'jsonencode'
  /** Terraform heredoc or quoted JSON string. */
  | 'heredoc'
  /** Terraform `data "aws_iam_policy_document"`. */
  | 'policy-document'
  /**
   * Built by a module from its inputs: a terraform-aws-modules/iam IRSA
   * module, or the controller role of terraform-aws-modules/eks `//modules/karpenter`.
   */
  | 'iam-module'
  /** Built by eksctl from `iam.serviceAccounts`. */
  | 'eksctl'
  /** A fenced JSON block (or heredoc) of a Markdown runbook (`facts/markdown.ts`). */
  | 'markdown';

export interface TrustPolicy {
  /** Unique in the workspace; stable across re-analysis of unchanged input. */
  readonly id: string;
  /** The whole document: JSON object, jsonencode call, data block, module block. */
  readonly span: Span;
  readonly origin: PolicyOrigin;
  readonly statements: readonly TrustStatement[];
  /** False when some statements come from an expression the engine could not expand. */
  readonly complete: boolean;
  /**
   * True for policies a tool generates from the user's inputs (eksctl, IRSA
   * modules): rules about how a policy is *spelled* skip them, rules about
   * whom it *admits* do not.
   */
  readonly generated: boolean;
  /**
   * Keys written twice in one JSON object of the document. The statements
   * above are read as a JSON parser reads them, with the last occurrence.
   */
  readonly duplicateKeys?: readonly DuplicateKey[];
  /**
   * For a policy a module builds from `<namespace>:<name>` entries: the
   * arguments to edit. Rules name them in their advice instead of the
   * generated `sub` values, which are written nowhere.
   */
  readonly moduleInputs?: ModuleTrustInputs;
  /**
   * For a document read as JSON (a JSON file, `jsonencode`, a heredoc): its
   * length as IAM counts it against the role trust policy quota
   * (`facts/policy-size.ts`). Documents built from statements (policy
   * documents, modules) are measured from their statements.
   */
  readonly size?: PolicySize;
}

/** A trust policy's length without white space: exact when every part is known, else a lower bound (the known parts). */
export interface PolicySize {
  readonly chars: number;
  readonly exact: boolean;
}

/** The module arguments a generated IRSA statement comes from. */
export interface ModuleTrustInputs {
  /** `namespace_service_accounts` (terraform-aws-modules/iam), `irsa_namespace_service_accounts` (eks karpenter 20.x). */
  readonly subjects: string;
  /** The argument that sets the condition operator (`assume_role_condition_test`, …). */
  readonly conditionTest: string;
}

/** A key that occurs more than once in one object: JSON parsers keep the last value and drop the others. */
export interface DuplicateKey {
  readonly key: string;
  /** The earlier occurrence, whose value is dropped. */
  readonly dropped: Span;
  /** The last occurrence, whose value is kept. */
  readonly kept: Span;
}

export type Effect = 'Allow' | 'Deny' | 'unknown';

export interface TrustStatement {
  readonly span: Span;
  readonly sid?: string;
  readonly effect: Effect;
  readonly actions: readonly LStr[];
  readonly actionsComplete: boolean;
  readonly principals: readonly Principal[];
  readonly principalsComplete: boolean;
  readonly conditions: readonly Condition[];
  readonly conditionsComplete: boolean;
  /**
   * Every key written under `Condition` in a JSON document, including ones
   * whose value holds no condition (`"Comment": "…"`): IAM validates them all.
   */
  readonly conditionOperators?: readonly Located<string>[];
}

export interface Principal {
  /** `Federated`, `AWS`, `Service`, `CanonicalUser`, or `*` for `"Principal": "*"`. */
  readonly type: string;
  readonly value: LStr;
}

export interface Condition {
  /** `StringEquals`, `StringLike`, `ForAnyValue:StringLike`, …; known, as IAM needs it literally. */
  readonly operator: Located<string>;
  readonly key: LStr;
  readonly values: readonly LStr[];
  readonly valuesComplete: boolean;
}

// ─── Roles ───────────────────────────────────────────────────────────────────

export type TrustRef =
  /** The trust policy is a fact in the same extraction (jsonencode, policy document, module). */
  | { readonly kind: 'policy'; readonly policyId: string }
  /** Terraform reads a workspace file: `file("${path.module}/trust.json")` or templatefile(). */
  | { readonly kind: 'file'; readonly uri: string; readonly vars?: ReadonlyMap<string, StrValue> }
  /**
   * A module's own trust policy (`policyId`) merged with documents it is
   * passed, as `aws_iam_policy_document` merges `source_policy_documents`
   * (whose statements a same-`Sid` statement of its own replaces) and
   * `override_policy_documents` (which replace same-`Sid` statements):
   * the terraform-aws-modules/eks karpenter controller role. The model
   * resolves the documents and links each of them to the role too.
   */
  | {
      readonly kind: 'merged';
      readonly policyId: string;
      readonly sources: readonly TrustRef[];
      readonly overrides: readonly TrustRef[];
      /** False when a document list is computed: some documents are not known. */
      readonly complete: boolean;
    }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface Role {
  /**
   * Unique key, and the owner key of the role's symbols: a ServiceAccount
   * annotated `aws_iam_role.x.arn` carries a `role-arn` symbol owned by this id.
   */
  readonly id: string;
  /** Where to point: the block header, module header, or eksctl entry. */
  readonly span: Span;
  /** `karpenter-module`: the controller role of terraform-aws-modules/eks `//modules/karpenter` (20.x and later). */
  readonly origin: 'terraform' | 'iam-module' | 'karpenter-module' | 'eksctl';
  /** The role name; unknown when generated (name_prefix) or computed. */
  readonly name: StrValue;
  /** Path of the role (`/` by default). */
  readonly path?: string;
  /** The account, when the configuration says it. */
  readonly accountId?: string;
  readonly trust: TrustRef;
  /** For Terraform: the expression of the role's ARN in its own module directory (`aws_iam_role.x.arn`, `module.x.iam_role_arn`). */
  readonly arnExpression?: string;
  /** For `aws_iam_role`: the managed policies its directory attaches (`terraform/resources/role-policies.ts`). */
  readonly managedPolicies?: ManagedPolicies;
  /**
   * For Terraform: whether its directory refers to the role's address
   * anywhere but in comments and permission attachments (`terraform/references.ts`).
   */
  readonly referenced?: boolean;
}

/** Managed policy ARNs attached to a role; `complete` false when more may be attached (computed, inline, or attached elsewhere). */
export interface ManagedPolicies {
  readonly arns: readonly StrValue[];
  readonly complete: boolean;
}

// ─── Kubernetes ──────────────────────────────────────────────────────────────

export interface Annotation {
  readonly key: Located<string>;
  readonly value: LStr;
}

export interface ServiceAccount {
  readonly id: string;
  /** The name value (or the entry/header when there is none to point at). */
  readonly span: Span;
  /**
   * `eks-addon`: the ServiceAccount an EKS add-on runs as (`facts/addons.ts`), at the add-on's name.
   * `command`: a runbook's `kubectl annotate sa`, `kubectl create sa` or
   * `eksctl create iamserviceaccount` command (`facts/markdown.ts`); no fix edits it.
   */
  readonly origin: 'yaml' | 'terraform' | 'helm' | 'eksctl' | 'eks-addon' | 'command';
  /** For `eks-addon`: the add-on's name (`vpc-cni`). */
  readonly addon?: string;
  readonly name: LStr;
  readonly namespace: LStr;
  /** True when no namespace was written and Kubernetes' `default` applies. */
  readonly namespaceDefaulted: boolean;
  readonly annotations: readonly Annotation[];
  /** False when annotations come from an expression the engine could not expand. */
  readonly annotationsComplete: boolean;
  /**
   * The role ARN the ServiceAccount carries: the `eks.amazonaws.com/role-arn`
   * annotation, eksctl's `attachRoleARN`, or the role eksctl creates.
   */
  readonly roleArn?: LStr;
  /** For eksctl: the id of the role eksctl creates for this ServiceAccount. */
  readonly impliedRoleId?: string;
}

export interface Workload {
  readonly id: string;
  readonly span: Span;
  readonly kind: string;
  readonly name: LStr;
  readonly namespace: LStr;
  /** `spec.serviceAccountName` (or the pod template's); absent means `default`. */
  readonly serviceAccountName?: LStr;
  readonly podAnnotations: readonly Annotation[];
  /** The pod template's labels (what Fargate profile selectors match), with the same shape as annotations. */
  readonly podLabels: readonly Annotation[];
  /** False when some labels are computed: a label missing from `podLabels` may still be set. */
  readonly podLabelsComplete: boolean;
  /**
   * For a Crossplane `ControllerConfig`: its `role-arn` annotation, which
   * Crossplane copies to its providers' accounts. Such a workload names no
   * `serviceAccountName` unless `spec.serviceAccountName` is written: the
   * account is the provider revision's (`index/consumers.ts`).
   */
  readonly roleArn?: LStr;
}

// ─── OIDC providers and clusters ─────────────────────────────────────────────

export interface OidcProvider {
  /** Owner key of the provider's symbols (`provider-arn`, `issuer-url`, `issuer-host`). */
  readonly id: string;
  readonly span: Span;
  /** Issuer URL with `https://`. */
  readonly url: StrValue;
  /** Where the URL is written, when the configuration spells it (`url = …`). */
  readonly urlSpan?: Span;
  readonly clientIds: readonly LStr[];
  readonly clientIdsComplete: boolean;
  /** Where the client id list is written; absent when it is a module default. */
  readonly clientIdsSpan?: Span;
}

export interface EksctlConfig {
  readonly id: string;
  readonly span: Span;
  readonly clusterName?: string;
  readonly region?: string;
  /** `iam.withOIDC`: true, false, or absent (undefined). */
  readonly withOidc?: Located<boolean>;
  /** The `iam.serviceAccounts` key, when the list is not empty. */
  readonly serviceAccountsKey?: Span;
}

/**
 * A cluster the workspace names: terraform-aws-modules/eks (`name` or
 * `cluster_name`), `resource`/`data "aws_eks_cluster"`, or an eksctl
 * ClusterConfig. Live checks look these clusters up in AWS, and a trust
 * statement built from one of their symbols belongs to that cluster.
 */
export interface ClusterDeclaration {
  /** The owner key of the cluster's symbols (`tf:<dir>#module.eks`, `tf:<dir>#data.aws_eks_cluster.this`, `eksctl:<uri>#…`). */
  readonly owner: string;
  /** The name value, or the block header when the name is not written. */
  readonly span: Span;
  readonly name: StrValue;
  /** The region, when the configuration says it (eksctl `metadata.region`, the default `provider "aws"` block). */
  readonly region?: string;
}

/** A kustomization: what it includes, and how it rewrites namespaces and names. */
export interface Kustomization {
  readonly uri: string;
  readonly dirUri: string;
  /** Files and folders listed in `resources`, `bases` and `components`, as URIs. */
  readonly resources: readonly string[];
  readonly namespace?: Located<string>;
  readonly namePrefix?: Located<string>;
  readonly nameSuffix?: Located<string>;
}

/** A role created from a JSON file by the AWS CLI in a script (`aws iam create-role`). */
export interface CliRoleLink {
  readonly roleName: string;
  readonly policyUri: string;
  /** The command. */
  readonly span: Span;
}

// ─── Compute: Fargate, Pod Identity, nodes ───────────────────────────────────

/**
 * Which cluster a fact belongs to, for matching facts of one cluster only.
 * `name` is the cluster name when the configuration spells it; `scope` is the
 * extraction unit (Terraform module directory or eksctl file): two facts whose
 * names are not both known are taken to be of one cluster only within a scope.
 */
export interface ClusterRef {
  readonly name: StrValue;
  readonly scope: string;
}

export interface LabelRequirement {
  readonly key: string;
  readonly value: StrValue;
}

/** One Fargate profile selector: pods of `namespace` carrying every label in `labels`. */
export interface FargateSelector {
  readonly span: Span;
  /** May hold the wildcards `*` and `?`. */
  readonly namespace: LStr;
  readonly labels: readonly LabelRequirement[];
  /** False when some labels are computed: the selector may then be narrower than `labels` says. */
  readonly labelsComplete: boolean;
}

export interface FargateProfile {
  readonly id: string;
  /** Display name: the profile's name, map key or resource address. */
  readonly name: string;
  /** The resource header, the module's map entry, or the eksctl entry. */
  readonly span: Span;
  readonly origin: 'terraform' | 'eks-module' | 'eksctl';
  readonly cluster: ClusterRef;
  readonly selectors: readonly FargateSelector[];
  /** False when some selectors are computed (a dynamic block over an unknown list). */
  readonly selectorsComplete: boolean;
}

/**
 * An EKS Pod Identity association: `aws_eks_pod_identity_association`, eksctl
 * `iam.podIdentityAssociations`, or eksctl `addons[].podIdentityAssociations`.
 */
export interface PodIdentityAssociation {
  readonly id: string;
  /** The resource header or the eksctl entry. */
  readonly span: Span;
  readonly origin: 'terraform' | 'eksctl';
  readonly cluster: ClusterRef;
  readonly namespace: LStr;
  readonly serviceAccount: LStr;
  /** For an eksctl add-on's association: the add-on's `name` (unknown when not written). */
  readonly addon?: StrValue;
}

/**
 * An EC2 launch template (Terraform `aws_launch_template`), the one eksctl
 * builds for a node group, or the one terraform-aws-modules/eks builds for a
 * node group from its `metadata_options` input, with the IMDS hop limit pods
 * would see.
 */
export interface LaunchTemplate {
  readonly id: string;
  readonly name: string;
  readonly span: Span;
  readonly origin: 'terraform' | 'eksctl' | 'eks-module';
  /** The hop limit: known number, or unknown (computed); absent means not set (the AMI's default applies). */
  readonly hopLimit?: Located<number | undefined>;
  /**
   * Whether an EKS node group launches its nodes from it: `yes` for an
   * `aws_eks_node_group` that references it or eksctl's own node groups,
   * `unknown` when nothing in the workspace says.
   */
  readonly usedByNodeGroup: 'yes' | 'unknown';
  /** For eksctl: the `disableIMDSv1` value the user wrote, which does not lower the hop limit. */
  readonly eksctl?: { readonly disableImdsV1?: Located<boolean>; readonly entry: Span };
  /**
   * For terraform-aws-modules/eks: where the user wrote the `metadata_options`
   * (`module.eks`, input `eks_managed_node_groups`, group `default`; a node
   * group submodule takes `metadata_options` itself and names no group).
   */
  readonly module?: {
    readonly call: string;
    readonly input: string;
    readonly group?: string;
    /** For `*_node_group_defaults`: the groups that take its `metadata_options`, having none of their own. */
    readonly defaultsFor?: readonly string[];
  };
}

// ─── Module calls ────────────────────────────────────────────────────────────

export interface ModuleArgument {
  readonly name: string;
  /** The whole `name = value` attribute. */
  readonly span: Span;
  readonly nameSpan: Span;
}

/** terraform-aws-modules/eks `//modules/karpenter` inputs the Karpenter rules read. */
export interface KarpenterInputs {
  /** From `cluster_name`. */
  readonly cluster: ClusterRef;
  /** `namespace` (v21 default `kube-system`). */
  readonly namespace: LStr;
  readonly namespaceWritten: boolean;
  /** `service_account` (default `karpenter`). */
  readonly serviceAccount: LStr;
  readonly serviceAccountWritten: boolean;
  /** False when `create = false` or `create_iam_role = false`: the controller role is not the module's. */
  readonly createsRole: boolean | undefined;
  /**
   * The documents merged into the controller role's trust policy
   * (`iam_role_source_assume_policy_documents` and
   * `iam_role_override_assume_policy_documents`), as trust references.
   */
  readonly assumePolicyDocuments: readonly TrustRef[];
  /** False when the lists are computed. */
  readonly assumePolicyDocumentsComplete: boolean;
  /** The `iam_role_source_assume_policy_documents` attribute, when written. */
  readonly sourceDocumentsSpan?: Span;
}

/** A Terraform `module` block: where it comes from, which version, and what it is passed. */
export interface ModuleCall {
  readonly id: string;
  readonly name: string;
  /** The block header (`module "x" {`). */
  readonly span: Span;
  /** Where the block ends, for edits that append arguments. */
  readonly blockSpan: Span;
  readonly kind: 'eks' | 'eks-karpenter' | 'eks-node-group' | 'eks-blueprints-addons' | 'iam-irsa' | 'iam-assumable-role-with-oidc' | 'iam-role' | 'eks-pod-identity' | 'eks-blueprints-addon' | 'other';
  readonly source?: string;
  /** The `version` constraint as written, when it is a literal. */
  readonly version?: Located<string>;
  readonly arguments: readonly ModuleArgument[];
  readonly karpenter?: KarpenterInputs;
  /**
   * For a well-known module whose version constraint admits one major only:
   * its outputs in that major, and the references the directory makes to
   * the call's outputs (`module.<name>.<output>`).
   */
  readonly outputs?: {
    readonly names: readonly string[];
    /** The major version the constraint admits. */
    readonly major: number;
    /** The module and the release the names were checked against (`iam-role 6.5.0`), for messages. */
    readonly module: string;
    readonly references: readonly { readonly name: string; readonly span: Span }[];
  };
}

// ─── Per-file results ────────────────────────────────────────────────────────

export interface ParseProblem {
  readonly span: Span;
  readonly message: string;
}

/** What one extraction (a JSON or YAML file, or a Terraform module directory) yields. */
// ─── Templates ───────────────────────────────────────────────────────────────

/**
 * A workspace file Terraform renders with variables: `templatefile(path,
 * {vars})` anywhere in a module, or `data "template_file"` (`template =
 * file(path)`, `vars`). The model reads the file's ServiceAccounts with
 * these values in place of its `${name}` placeholders, once per binding.
 */
export interface TemplateBinding {
  /** Unique per call: `<module dir>#templatefile@<file>:<offset>`. */
  readonly id: string;
  /** The rendered file. */
  readonly uri: string;
  /** The call, or the data block's header. */
  readonly span: Span;
  /** The variables the call passes, three-valued; a name missing here stays unknown. */
  readonly vars: ReadonlyMap<string, StrValue>;
  /**
   * For a `helm_release`'s values: the release's namespace, which is the
   * namespace of the ServiceAccount the chart creates from these values.
   */
  readonly releaseNamespace?: LStr;
}

export interface Facts {
  readonly trustPolicies: readonly TrustPolicy[];
  readonly roles: readonly Role[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly workloads: readonly Workload[];
  readonly oidcProviders: readonly OidcProvider[];
  readonly eksctlConfigs: readonly EksctlConfig[];
  readonly clusters: readonly ClusterDeclaration[];
  readonly cliRoleLinks: readonly CliRoleLink[];
  readonly kustomizations: readonly Kustomization[];
  readonly fargateProfiles: readonly FargateProfile[];
  readonly podIdentityAssociations: readonly PodIdentityAssociation[];
  readonly launchTemplates: readonly LaunchTemplate[];
  readonly moduleCalls: readonly ModuleCall[];
  /** Workspace files Terraform renders with variables (`templatefile()`, `data "template_file"`). */
  readonly templateBindings: readonly TemplateBinding[];
  /** Syntax errors that stopped part of the extraction. */
  readonly problems: readonly ParseProblem[];
}

/** Facts while they are collected: every kind as a growing array. */
export type FactsBuilder = { -readonly [K in keyof Facts]: Facts[K][number][] };

/** A fresh set of empty fact lists, one per kind. */
export function emptyFacts(): FactsBuilder {
  return {
    trustPolicies: [],
    roles: [],
    serviceAccounts: [],
    workloads: [],
    oidcProviders: [],
    eksctlConfigs: [],
    clusters: [],
    cliRoleLinks: [],
    kustomizations: [],
    fargateProfiles: [],
    podIdentityAssociations: [],
    launchTemplates: [],
    moduleCalls: [],
    templateBindings: [],
    problems: [],
  };
}

export const NO_FACTS: Facts = emptyFacts();

/** The facts of several parts of one file (or of one module's instances) as one. */
export function mergeFacts(parts: readonly Facts[]): Facts {
  if (parts.length === 1) return parts[0]!;
  return {
    trustPolicies: parts.flatMap((p) => p.trustPolicies),
    roles: parts.flatMap((p) => p.roles),
    serviceAccounts: parts.flatMap((p) => p.serviceAccounts),
    workloads: parts.flatMap((p) => p.workloads),
    oidcProviders: parts.flatMap((p) => p.oidcProviders),
    eksctlConfigs: parts.flatMap((p) => p.eksctlConfigs),
    clusters: parts.flatMap((p) => p.clusters),
    cliRoleLinks: parts.flatMap((p) => p.cliRoleLinks),
    kustomizations: parts.flatMap((p) => p.kustomizations),
    fargateProfiles: parts.flatMap((p) => p.fargateProfiles),
    podIdentityAssociations: parts.flatMap((p) => p.podIdentityAssociations),
    launchTemplates: parts.flatMap((p) => p.launchTemplates),
    moduleCalls: parts.flatMap((p) => p.moduleCalls),
    templateBindings: parts.flatMap((p) => p.templateBindings),
    problems: parts.flatMap((p) => p.problems),
  };
}
