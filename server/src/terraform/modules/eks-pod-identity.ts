/**
 * terraform-aws-modules/eks-pod-identity: a role for EKS Pod Identity. Its
 * trust is one statement the module writes (checked against 2.8.1's
 * `data "aws_iam_policy_document" "assume"`): Allow `sts:AssumeRole` and
 * `sts:TagSession` for the Service `pods.eks.amazonaws.com`, nothing else
 * unless `trust_policy_statements` adds statements. A ServiceAccount
 * annotated with its ARN for IRSA can never assume it
 * (`sa-role-not-web-identity`). Outputs: `iam_role_arn`, `iam_role_name`.
 */
import { concat, known, unknown, type StrValue } from '../../common/value';
import { podIdentityStatement } from '../../facts/iam';
import { attribute } from '../../parse/hcl';
import { moduleOutput, type ModuleCallBlock, type ModuleContext } from '../context';
import type { ModuleFamily } from '../family';
import { roleModuleOutput } from './iam-irsa';


export const eksPodIdentityModule: ModuleFamily = {
  kind: 'eks-pod-identity',
  matches: (source) => source.repository === 'eks-pod-identity' && source.submodule === '',
  extract: (call, ctx) => {
    extractRole(call, ctx);
    return {};
  },
  output: (call, output, at) => (output === 'iam_role_arn' || output === 'iam_role_name' ? roleModuleOutput(call, output, at) : undefined),
  // terraform-aws-modules/eks-pod-identity 2.8.1 `outputs.tf`.
  outputs: { major: 2, release: '2.8.1', names: ['iam_role_arn', 'iam_role_name', 'iam_role_path', 'iam_role_unique_id', 'iam_policy_arn', 'iam_policy_name', 'iam_policy_id', 'associations'] },
};

function extractRole({ owner, block, file }: ModuleCallBlock, ctx: ModuleContext): void {
  const header = ctx.span(file, block.header);
  const n = ctx.str(attribute(block, 'name'), file)?.value ?? unknown('no name');
  const prefixed = ctx.value(attribute(block, 'use_name_prefix'), file);
  const name: StrValue = prefixed?.kind === 'boolean' && !prefixed.value ? n : concat(n, known('-'), unknown('suffix Terraform generates (use_name_prefix)'));
  const statement = podIdentityStatement(header, { conditionsComplete: !attribute(block, 'trust_policy_conditions') });
  // Statements added through `trust_policy_statements` are not read: the trust is then not fully known.
  const complete = !attribute(block, 'trust_policy_statements');
  const policyId = `${owner}#trust`;
  ctx.out.trustPolicies.push({ id: policyId, span: header, origin: 'iam-module', statements: [statement], complete, generated: true });
  ctx.out.roles.push({ id: owner, span: header, origin: 'iam-module', name, trust: { kind: 'policy', policyId }, arnExpression: moduleOutput(owner, 'iam_role_arn') });
}
