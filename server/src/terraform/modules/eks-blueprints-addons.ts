/**
 * aws-ia/eks-blueprints-addons: the EKS add-ons it installs from
 * `eks_addons` (the same map shape as the eks module's `cluster_addons`).
 */
import { extractAddonMap } from '../addons';
import type { ModuleFamily } from '../family';

export const eksBlueprintsAddonsModule: ModuleFamily = {
  kind: 'eks-blueprints-addons',
  matches: (source) => source.repository === 'eks-blueprints-addons' && source.submodule === '',
  extract: (call, ctx) => {
    extractAddonMap(call, 'eks_addons', ctx);
    return {};
  },
};
