/**
 * EKS add-ons and the ServiceAccounts they run as. An add-on given a role
 * (`aws_eks_addon.service_account_role_arn`, terraform-aws-modules/eks
 * `cluster_addons` / `addons`, Blueprints `eks_addons`, eksctl
 * `addons[].serviceAccountRoleARN`) annotates its own ServiceAccount with
 * that role, so the role's trust must admit that ServiceAccount's subject,
 * exactly as if the workspace had written the annotated ServiceAccount.
 *
 * Each entry names where its ServiceAccount was taken from. An add-on whose
 * role-carrying ServiceAccount depends on its configuration (ADOT: one per
 * collector the configuration opts into) has none: its link stays unknown.
 */
import type { Span } from '../common/text';
import { known, type StrValue } from '../common/value';
import type { LStr, ServiceAccount } from './types';

export interface AddonServiceAccount {
  readonly namespace: string;
  readonly name: string;
  /** Where the name comes from. */
  readonly source: string;
}

const EKS_DOCS = 'https://docs.aws.amazon.com/eks/latest/userguide';

/** The add-ons whose role goes to a ServiceAccount the add-on names, by add-on name. */
export const ADDON_SERVICE_ACCOUNTS: ReadonlyMap<string, AddonServiceAccount> = new Map([
  ['vpc-cni', { namespace: 'kube-system', name: 'aws-node', source: `${EKS_DOCS}/cni-iam-role.html (the aws-node DaemonSet's ServiceAccount)` }],
  ['aws-ebs-csi-driver', { namespace: 'kube-system', name: 'ebs-csi-controller-sa', source: `${EKS_DOCS}/add-ons-aws-ebs-csi-driver.html (eksctl create iamserviceaccount --name ebs-csi-controller-sa)` }],
  ['aws-efs-csi-driver', { namespace: 'kube-system', name: 'efs-csi-controller-sa', source: `${EKS_DOCS}/add-ons-aws-efs-csi-driver.html (eksctl create iamserviceaccount --name efs-csi-controller-sa)` }],
  ['aws-mountpoint-s3-csi-driver', { namespace: 'kube-system', name: 's3-csi-driver-sa', source: `${EKS_DOCS}/mountpoint-for-s3-add-on.html (eksctl create iamserviceaccount --name s3-csi-driver-sa)` }],
  ['amazon-cloudwatch-observability', { namespace: 'amazon-cloudwatch', name: 'cloudwatch-agent', source: `${EKS_DOCS}/amazon-cloudwatch-observability.html (eksctl create iamserviceaccount --name cloudwatch-agent --namespace amazon-cloudwatch)` }],
  ['aws-fsx-csi-driver', { namespace: 'kube-system', name: 'fsx-csi-controller-sa', source: 'kubernetes-sigs/aws-fsx-csi-driver Helm chart, controller.serviceAccount.name default' }],
]);

/**
 * Add-ons whose role-carrying ServiceAccount the configuration chooses: a
 * role given to them is linked to no ServiceAccount (unknown, not wrong).
 * ADOT: "only requires IAM permissions if you're using one of the
 * preconfigured custom resources" (`${EKS_DOCS}/add-ons-adot.html`), each
 * with its own ServiceAccount (adot-col-otlp-ingest, adot-col-prom-metrics, …).
 */
export const ADDONS_WITH_CONFIGURED_SERVICE_ACCOUNT: ReadonlySet<string> = new Set(['adot']);

/**
 * ServiceAccounts every EKS cluster has, whether or not the workspace
 * writes them: the default add-ons' (VPC CNI, kube-proxy, CoreDNS), which
 * EKS installs on cluster creation. `default` exists in every namespace.
 * A trust policy that pins one of them is never "defined nowhere".
 */
export const CLUSTER_SERVICE_ACCOUNTS: ReadonlySet<string> = new Set(['kube-system:aws-node', 'kube-system:kube-proxy', 'kube-system:coredns']);

/** True when every EKS cluster has `namespace/name`. */
export function existsInEveryCluster(namespace: string, name: string): boolean {
  return name === 'default' || CLUSTER_SERVICE_ACCOUNTS.has(`${namespace}:${name}`);
}

/** True when `namespace/name` is the account of an add-on of the table. */
export function isAddonServiceAccount(namespace: string, name: string): boolean {
  for (const sa of ADDON_SERVICE_ACCOUNTS.values()) if (sa.namespace === namespace && sa.name === name) return true;
  return false;
}

/**
 * The ServiceAccount fact an add-on implies: the add-on's own account, at
 * the add-on's name, carrying the role it is given. Undefined for an
 * add-on the table does not know (its account is unknown, so nothing is
 * claimed about it).
 */
export function addonServiceAccount(id: string, addon: string, at: Span, roleArn: LStr | undefined): ServiceAccount | undefined {
  const known_ = ADDON_SERVICE_ACCOUNTS.get(addon);
  if (!known_) return undefined;
  const located = (value: string): { value: StrValue; span: Span } => ({ value: known(value), span: at });
  return {
    id,
    span: at,
    origin: 'eks-addon',
    addon,
    name: located(known_.name),
    namespace: located(known_.namespace),
    namespaceDefaulted: false,
    annotations: [],
    annotationsComplete: true,
    ...(roleArn ? { roleArn } : {}),
  };
}
