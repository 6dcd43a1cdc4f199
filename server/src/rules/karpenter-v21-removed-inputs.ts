import { admitsOnlyMajorAtLeast } from '../terraform/version';
import type { Rule } from './types';

/**
 * terraform-aws-modules/eks 21.0 removed these inputs of `//modules/karpenter`
 * (docs/UPGRADE-21.0.md): native IRSA is gone (Pod Identity is the default)
 * and the v1 controller policy is the only one. Terraform rejects an
 * argument a module does not declare, so the plan fails before anything runs.
 */
const REMOVED: Readonly<Record<string, string>> = {
  enable_irsa: 'native IRSA support was removed',
  irsa_oidc_provider_arn: 'native IRSA support was removed',
  irsa_namespace_service_accounts: 'native IRSA support was removed',
  irsa_assume_role_condition_test: 'native IRSA support was removed',
  enable_pod_identity: 'Pod Identity is always enabled (`create_pod_identity_association` defaults to true)',
  enable_v1_permissions: 'the Karpenter v1 controller policy is now the only one',
};

const IRSA_INPUTS = new Set(['enable_irsa', 'irsa_oidc_provider_arn', 'irsa_namespace_service_accounts', 'irsa_assume_role_condition_test']);

export const rule: Rule = {
  meta: { id: 'karpenter-v21-removed-inputs', defaultSeverity: 'error', title: 'Input removed from the karpenter submodule in terraform-aws-modules/eks 21.0' },
  check(model, report) {
    for (const call of model.moduleCalls) {
      if (call.kind !== 'eks-karpenter' || admitsOnlyMajorAtLeast(call.version?.value, 21) !== true) continue;
      for (const argument of call.arguments) {
        const why = REMOVED[argument.name];
        if (why === undefined) continue;
        const what = IRSA_INPUTS.has(argument.name)
          ? 'If the controller needs IRSA (it runs on Fargate, or without the Pod Identity Agent), pass an IRSA trust document through `iam_role_source_assume_policy_documents`; otherwise delete the argument.'
          : 'Delete the argument.';
        report({
          span: argument.span,
          message:
            `\`${argument.name}\` was removed from the karpenter submodule in terraform-aws-modules/eks 21.0 (${why}), and this module call admits only 21.x or later (\`version = "${call.version?.value ?? ''}"\`). ` +
            `\`terraform validate\` and \`plan\` stop with \`Unsupported argument: An argument named "${argument.name}" is not expected here.\` ${what}`,
          data: { argument: argument.name, module: call.name },
        });
      }
    }
  },
};
