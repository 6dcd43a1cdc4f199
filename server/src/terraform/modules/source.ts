/**
 * Which well-known module a `source` names: the terraform-aws-modules
 * repository (from the Terraform Registry or GitHub) and the `//` submodule
 * path. The module families match on it; a call no family claims is kind
 * `other`, and its outputs are unknown values.
 */

export interface ModuleSource {
  readonly repository: Repository | undefined;
  /** The path after `//` (`modules/karpenter`), '' for the repository's root module. */
  readonly submodule: string;
}

type Repository = 'eks' | 'iam' | 'eks-pod-identity' | 'eks-blueprints-addon' | 'eks-blueprints-addons';

/**
 * Each repository's two spellings: its Terraform Registry address (the
 * whole base), and its GitHub path (the end of a git URL, `.git` optional).
 */
const REPOSITORIES: readonly { readonly repository: Repository; readonly registry: string; readonly github: string }[] = [
  { repository: 'eks', registry: 'terraform-aws-modules/eks/aws', github: 'terraform-aws-modules/terraform-aws-eks' },
  { repository: 'iam', registry: 'terraform-aws-modules/iam/aws', github: 'terraform-aws-modules/terraform-aws-iam' },
  { repository: 'eks-pod-identity', registry: 'terraform-aws-modules/eks-pod-identity/aws', github: 'terraform-aws-modules/terraform-aws-eks-pod-identity' },
  { repository: 'eks-blueprints-addon', registry: 'aws-ia/eks-blueprints-addon/aws', github: 'aws-ia/terraform-aws-eks-blueprints-addon' },
  { repository: 'eks-blueprints-addons', registry: 'aws-ia/eks-blueprints-addons/aws', github: 'aws-ia/terraform-aws-eks-blueprints-addons' },
];

/**
 * Text that every source a family can match contains (lower case; a source
 * is compared in lower case): the Terraform pre-filter's module tokens
 * (`terraform/prefilter.ts`).
 */
export const MODULE_SOURCE_TOKENS: readonly string[] = REPOSITORIES.flatMap((r) => [r.registry, r.github]);

export function parseModuleSource(source: string | undefined): ModuleSource {
  if (source === undefined) return { repository: undefined, submodule: '' };
  const s = source.toLowerCase().replace(/\?ref=.*$/, '');
  const [base = '', submodule = ''] = s.split('//');
  const known = REPOSITORIES.find((r) => base === r.registry || base.endsWith(r.github) || base.endsWith(`${r.github}.git`));
  return { repository: known?.repository, submodule };
}
