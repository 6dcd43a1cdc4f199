/**
 * Which well-known module a `source` names: the terraform-aws-modules
 * repository (from the Terraform Registry or GitHub) and the `//` submodule
 * path. The module families match on it; a call no family claims is kind
 * `other`, and its outputs are unknown values.
 */

export interface ModuleSource {
  readonly repository: 'eks' | 'iam' | 'eks-pod-identity' | 'eks-blueprints-addon' | 'eks-blueprints-addons' | undefined;
  /** The path after `//` (`modules/karpenter`), '' for the repository's root module. */
  readonly submodule: string;
}

export function parseModuleSource(source: string | undefined): ModuleSource {
  if (source === undefined) return { repository: undefined, submodule: '' };
  const s = source.toLowerCase().replace(/\?ref=.*$/, '');
  const [base = '', submodule = ''] = s.split('//');
  const isEks = base === 'terraform-aws-modules/eks/aws' || /terraform-aws-modules\/terraform-aws-eks(\.git)?$/.test(base);
  const isIam = base === 'terraform-aws-modules/iam/aws' || /terraform-aws-modules\/terraform-aws-iam(\.git)?$/.test(base);
  const isPodIdentity = base === 'terraform-aws-modules/eks-pod-identity/aws' || /terraform-aws-modules\/terraform-aws-eks-pod-identity(\.git)?$/.test(base);
  const isBlueprintsAddon = base === 'aws-ia/eks-blueprints-addon/aws' || /aws-ia\/terraform-aws-eks-blueprints-addon(\.git)?$/.test(base);
  const isBlueprintsAddons = base === 'aws-ia/eks-blueprints-addons/aws' || /aws-ia\/terraform-aws-eks-blueprints-addons(\.git)?$/.test(base);
  return { repository: isEks ? 'eks' : isIam ? 'iam' : isPodIdentity ? 'eks-pod-identity' : isBlueprintsAddon ? 'eks-blueprints-addon' : isBlueprintsAddons ? 'eks-blueprints-addons' : undefined, submodule };
}
