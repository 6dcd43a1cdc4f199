/**
 * Which well-known module a `source` names. The engine models the outputs
 * and generated trust policies of these modules; any other module's outputs
 * are unknown values.
 */

export type ModuleKind =
  | { readonly type: 'eks' }
  | { readonly type: 'eks-karpenter' }
  /** `//modules/eks-managed-node-group` (managed) or `//modules/self-managed-node-group`. */
  | { readonly type: 'eks-node-group'; readonly managed: boolean }
  | { readonly type: 'iam-irsa'; readonly major: 5 | 6 }
  | { readonly type: 'iam-assumable-role-with-oidc' }
  | { readonly type: 'other' };

export function classifyModuleSource(source: string | undefined): ModuleKind {
  if (source === undefined) return { type: 'other' };
  const s = source.toLowerCase().replace(/\?ref=.*$/, '');
  const [base = '', sub = ''] = s.split('//');
  const isEks = base === 'terraform-aws-modules/eks/aws' || /terraform-aws-modules\/terraform-aws-eks(\.git)?$/.test(base);
  const isIam = base === 'terraform-aws-modules/iam/aws' || /terraform-aws-modules\/terraform-aws-iam(\.git)?$/.test(base);
  if (isEks && sub === '') return { type: 'eks' };
  if (isEks && sub === 'modules/karpenter') return { type: 'eks-karpenter' };
  if (isEks && sub === 'modules/eks-managed-node-group') return { type: 'eks-node-group', managed: true };
  if (isEks && sub === 'modules/self-managed-node-group') return { type: 'eks-node-group', managed: false };
  if (isIam && sub === 'modules/iam-role-for-service-accounts-eks') return { type: 'iam-irsa', major: 5 };
  if (isIam && sub === 'modules/iam-role-for-service-accounts') return { type: 'iam-irsa', major: 6 };
  if (isIam && sub === 'modules/iam-assumable-role-with-oidc') return { type: 'iam-assumable-role-with-oidc' };
  return { type: 'other' };
}
