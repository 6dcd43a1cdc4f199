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
  /** Built by a terraform-aws-modules/iam IRSA module from its inputs. */
  | 'iam-module'
  /** Built by eksctl from `iam.serviceAccounts`. */
  | 'eksctl';

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
  | { readonly kind: 'unknown'; readonly reason: string };

export interface Role {
  /**
   * Unique key, and the owner key of the role's symbols: a ServiceAccount
   * annotated `aws_iam_role.x.arn` carries a `role-arn` symbol owned by this id.
   */
  readonly id: string;
  /** Where to point: the block header, module header, or eksctl entry. */
  readonly span: Span;
  readonly origin: 'terraform' | 'iam-module' | 'eksctl';
  /** The role name; unknown when generated (name_prefix) or computed. */
  readonly name: StrValue;
  /** Path of the role (`/` by default). */
  readonly path?: string;
  /** The account, when the configuration says it. */
  readonly accountId?: string;
  readonly trust: TrustRef;
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
  readonly origin: 'yaml' | 'terraform' | 'helm' | 'eksctl';
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
}

// ─── OIDC providers and clusters ─────────────────────────────────────────────

export interface OidcProvider {
  /** Owner key of the provider's symbols (`provider-arn`, `issuer-url`, `issuer-host`). */
  readonly id: string;
  readonly span: Span;
  /** Issuer URL with `https://`. */
  readonly url: StrValue;
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

// ─── Per-file results ────────────────────────────────────────────────────────

export interface ParseProblem {
  readonly span: Span;
  readonly message: string;
}

/** What one extraction (a JSON or YAML file, or a Terraform module directory) yields. */
export interface Facts {
  readonly trustPolicies: readonly TrustPolicy[];
  readonly roles: readonly Role[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly workloads: readonly Workload[];
  readonly oidcProviders: readonly OidcProvider[];
  readonly eksctlConfigs: readonly EksctlConfig[];
  readonly cliRoleLinks: readonly CliRoleLink[];
  readonly kustomizations: readonly Kustomization[];
  /** Syntax errors that stopped part of the extraction. */
  readonly problems: readonly ParseProblem[];
}

export const NO_FACTS: Facts = {
  trustPolicies: [],
  roles: [],
  serviceAccounts: [],
  workloads: [],
  oidcProviders: [],
  eksctlConfigs: [],
  cliRoleLinks: [],
  kustomizations: [],
  problems: [],
};

export function mergeFacts(parts: readonly Facts[]): Facts {
  if (parts.length === 1) return parts[0]!;
  return {
    trustPolicies: parts.flatMap((p) => p.trustPolicies),
    roles: parts.flatMap((p) => p.roles),
    serviceAccounts: parts.flatMap((p) => p.serviceAccounts),
    workloads: parts.flatMap((p) => p.workloads),
    oidcProviders: parts.flatMap((p) => p.oidcProviders),
    eksctlConfigs: parts.flatMap((p) => p.eksctlConfigs),
    cliRoleLinks: parts.flatMap((p) => p.cliRoleLinks),
    kustomizations: parts.flatMap((p) => p.kustomizations),
    problems: parts.flatMap((p) => p.problems),
  };
}
