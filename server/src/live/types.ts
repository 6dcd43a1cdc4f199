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
}

/** A live check that failed: one line for the status bar, the log or stderr. */
export interface LiveFault {
  readonly cluster: string;
  readonly region?: string;
  /** What failed, why, and what to do, with no secret in it. */
  readonly message: string;
}
