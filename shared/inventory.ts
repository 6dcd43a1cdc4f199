/**
 * The IRSA inventory as data: which ServiceAccount carries which role, and
 * whether the role's trust lets it in. The server builds it
 * (`server/src/inventory/`), the CLI prints it (`irsa-lint inventory`), and
 * the VS Code client shows it as the IRSA tree view; this file is the shape
 * they share (the `irsa/inventory` request answers with it).
 *
 * Every text is what the user can read: a value the workspace does not
 * spell out is shown as the expression it comes from (`${var.role_arn}`)
 * or as what is unknown (`<release namespace>`), never as an internal
 * placeholder.
 *
 * Architecture invariant: no imports (the client bundles this file).
 */

/** Bumped when a field changes meaning or goes away (adding one does not). */
export const INVENTORY_VERSION = 1;

/**
 * - `sound`: the trust admits the ServiceAccount by its exact subject, and nobody shares the role;
 * - `mismatch`: the trust does not admit it (`sa-role-trust-mismatch`);
 * - `unknown`: the workspace does not say (the role or its trust is elsewhere, a value is computed);
 * - `wildcard`: admitted only through a pattern, or with no `sub` condition at all;
 * - `shared`: admitted exactly, but other ServiceAccounts use the role or its statement admits several.
 */
export type InventoryVerdict = 'sound' | 'mismatch' | 'unknown' | 'wildcard' | 'shared';

export const INVENTORY_VERDICTS: readonly InventoryVerdict[] = ['sound', 'mismatch', 'unknown', 'wildcard', 'shared'];

/** A place in a file: a URI and a zero-based range, as LSP has it. */
export interface InventoryLocation {
  readonly uri: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number }; readonly end: { readonly line: number; readonly character: number } };
}

/** One statement of a role's trust policy that an EKS ServiceAccount's token may come in by. */
export interface InventoryStatement {
  /** `Federated <issuer>; sub StringEquals system:serviceaccount:ns:sa; aud StringEquals sts.amazonaws.com`. */
  readonly summary: string;
  readonly location: InventoryLocation;
}

/** What the live cluster and IAM say about a row, when they were asked. */
export interface InventoryLive {
  /** The role's managed policy ARNs, when IAM was asked and found the role. */
  readonly attachedPolicies?: readonly string[];
  /** The role's inline policy names, likewise. */
  readonly inlinePolicies?: readonly string[];
  /** IAM says the role does not exist. */
  readonly roleMissing?: boolean;
  /** Where the cluster differs from the workspace. */
  readonly drift: readonly InventoryDrift[];
}

export type InventoryDrift =
  /** The live ServiceAccount carries another role ARN (or none: `live` absent). */
  | { readonly kind: 'annotation-differs'; readonly context: string; readonly live?: string }
  /** The workspace declares the ServiceAccount; no context read has it. */
  | { readonly kind: 'missing-in-cluster'; readonly contexts: readonly string[] };

/** One ServiceAccount ↔ role link. */
export interface InventoryRow {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The role's name (or the expression it comes from). */
  readonly role: string;
  /** The ARN as the ServiceAccount names it (or the expression it comes from). */
  readonly roleArn: string;
  /** The cluster name, else the OIDC issuer the trust names; empty when neither is known. */
  readonly cluster: string;
  readonly verdict: InventoryVerdict;
  /** One sentence: why this verdict. */
  readonly why: string;
  readonly serviceAccountLocation: InventoryLocation;
  /** The role's declaration, when it is in the workspace. */
  readonly roleLocation?: InventoryLocation;
  /** The trust statement that admits the ServiceAccount, else the trust policy; absent when not in the workspace. */
  readonly trustLocation?: InventoryLocation;
  readonly statements: readonly InventoryStatement[];
  readonly live?: InventoryLive;
}

/** A role whose trust is for EKS ServiceAccounts, that no ServiceAccount of the workspace carries. */
export interface InventoryUnusedRole {
  readonly role: string;
  readonly cluster: string;
  /** The `sub` values its trust lists, as written. */
  readonly subjects: readonly string[];
  readonly location: InventoryLocation;
  readonly statements: readonly InventoryStatement[];
  readonly live?: InventoryLive;
}

/** A ServiceAccount that names no IAM role. */
export interface InventoryServiceAccount {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** An EKS Pod Identity association gives it a role instead (IRSA is not used). */
  readonly podIdentity: boolean;
  readonly location: InventoryLocation;
  readonly live?: InventoryLive;
}

/** A live ServiceAccount with a role ARN that the workspace does not declare. */
export interface InventoryLiveOnly {
  readonly context: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
}

export interface Inventory {
  readonly version: number;
  readonly rows: readonly InventoryRow[];
  readonly unusedRoles: readonly InventoryUnusedRole[];
  readonly serviceAccountsWithoutRole: readonly InventoryServiceAccount[];
  /** Present when Kubernetes was asked. */
  readonly liveOnly?: readonly InventoryLiveOnly[];
}
