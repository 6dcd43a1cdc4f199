/**
 * Live facts: what AWS says about the clusters the workspace is for. They
 * are an input of the analysis like the files are (`analyze(workspace,
 * { live })`); the engine never fetches them. `node/aws.ts` does, for the
 * language server and the CLI.
 */

/** Where a cluster to check comes from; explicit sources may be matched by region alone. */
export type ClusterSource = 'settings' | 'cli' | 'workspace' | 'kubeconfig';

/** A cluster to look up. */
export interface ClusterTarget {
  readonly name: string;
  /** Absent: the SDK's default region (AWS_REGION, the profile's region). */
  readonly region?: string;
  /** A shared-config profile; absent: the SDK's default credential chain. */
  readonly profile?: string;
  readonly source: ClusterSource;
}

/** The IAM OIDC provider for the live issuer, as IAM lists it in the cluster's account. */
export type LiveProvider =
  | { readonly kind: 'found'; readonly arn: string; readonly clientIds: readonly string[] }
  | { readonly kind: 'missing' }
  /** IAM could not be asked (a fault was reported): rules stay silent. */
  | { readonly kind: 'unknown' };

export interface LiveCluster {
  readonly name: string;
  readonly region: string;
  readonly source: ClusterSource;
  /** `arn:aws:eks:<region>:<account>:cluster/<name>`. */
  readonly arn: string;
  readonly account: string;
  readonly status: string;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<ID>`; absent for a cluster without an issuer (still creating). */
  readonly issuerUrl?: string;
  /** When the facts were fetched (ms since the epoch): hovers show it. */
  readonly fetchedAt: number;
  readonly provider: LiveProvider;
}

export interface LiveFacts {
  readonly clusters: readonly LiveCluster[];
  /**
   * ServiceAccounts read from Kubernetes, one entry per kubeconfig context
   * asked (issue #16). Absent: Kubernetes was not asked (no context, the
   * live side off, an untrusted workspace). A context that could not be
   * read is `{ kind: 'unknown' }`: drift checks stay silent for it.
   */
  readonly kubernetes?: readonly LiveKubernetesContext[];
  /**
   * IAM roles read with `iam:GetRole` (+ `ListAttachedRolePolicies` /
   * `ListRolePolicies`), keyed by the ARN the workspace names (issue #16).
   * Absent: IAM roles were not asked.
   */
  readonly roles?: ReadonlyMap<string, LiveRole>;
}

/** One kubeconfig context's ServiceAccounts, all namespaces. */
export type LiveKubernetesContext =
  | {
      readonly kind: 'read';
      /** The kubeconfig context name. */
      readonly context: string;
      /** The EKS cluster it points at, when the server URL or `aws eks get-token` args name one. */
      readonly cluster?: string;
      readonly fetchedAt: number;
      readonly serviceAccounts: readonly LiveServiceAccount[];
    }
  | { readonly kind: 'unknown'; readonly context: string; readonly cluster?: string };

/** A ServiceAccount as the API server returns it, reduced to what IRSA reads. */
export interface LiveServiceAccount {
  readonly namespace: string;
  readonly name: string;
  /** `eks.amazonaws.com/role-arn`, as written (may be malformed: rules judge it). */
  readonly roleArn?: string;
  /** `eks.amazonaws.com/audience`. */
  readonly audience?: string;
  /** `eks.amazonaws.com/token-expiration`, as written. */
  readonly tokenExpiration?: string;
}

/** What IAM says about one role ARN. */
export type LiveRole =
  | {
      readonly kind: 'found';
      readonly arn: string;
      /** The trust policy document, URL-decoded JSON text as `GetRole` returns it. */
      readonly trustPolicy: string;
      /** Managed policy ARNs attached to the role. */
      readonly attachedPolicies: readonly string[];
      /** Inline policy names. */
      readonly inlinePolicies: readonly string[];
      readonly fetchedAt: number;
    }
  /** `NoSuchEntity`: the role does not exist in that account. */
  | { readonly kind: 'missing'; readonly arn: string; readonly fetchedAt: number }
  /** IAM could not be asked (a fault was reported): rules stay silent. */
  | { readonly kind: 'unknown'; readonly arn: string };

/** A live check that failed: one line for the status bar, the log or stderr. */
export interface LiveFault {
  readonly cluster: string;
  readonly region?: string;
  /** What failed, why, and what to do, with no secret in it. */
  readonly message: string;
}
