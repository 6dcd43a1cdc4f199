/**
 * terraform-aws-modules/iam v6 `//modules/iam-role`: a general role whose
 * trust the module builds from inputs. With `enable_oidc = true` it writes,
 * per entry of `oidc_provider_urls` (scheme removed), one web-identity
 * statement: Federated = `arn:…:oidc-provider/<url>`; `<url>:sub` with
 * StringEquals over `oidc_subjects` and StringLike over
 * `oidc_wildcard_subjects`; `<url>:aud` over `oidc_audiences` — each
 * condition only when its list is not empty. With no subjects at all it
 * writes no sub condition, so every ServiceAccount of the cluster can assume
 * the role (trust-missing-sub). Checked against the module source at 6.5.0
 * (`modules/iam-role/main.tf`, `data "aws_iam_policy_document" "this"`).
 */
import { concat, known, stripScheme, unknown, type StrValue } from '../../common/value';
import type { Condition, LStr, TrustStatement } from '../../facts/types';
import { attribute } from '../../parse/hcl';
import { moduleOutput, type ModuleCallBlock, type ModuleContext } from '../context';
import type { ModuleFamily } from '../family';
import { roleModuleOutput } from './iam-irsa';

export const iamRoleModule: ModuleFamily = {
  kind: 'iam-role',
  matches: (source) => source.repository === 'iam' && source.submodule === 'modules/iam-role',
  extract: (call, ctx) => {
    extractRole(call, ctx);
    return {};
  },
  output: roleModuleOutput,
  // terraform-aws-modules/iam 6.5.0 `modules/iam-role/outputs.tf`.
  outputs: { major: 6, release: '6.5.0', names: ['name', 'arn', 'unique_id', 'instance_profile_arn', 'instance_profile_id', 'instance_profile_name', 'instance_profile_unique_id'] },
};

/** Inputs that add statements or conditions this family does not read: with one of them set, the trust is not fully known. */
const UNREAD_TRUST_INPUTS = ['trust_policy_permissions', 'trust_policy_conditions', 'enable_github_oidc', 'enable_bitbucket_oidc', 'source_trust_policy_documents', 'override_trust_policy_documents'];

function extractRole({ owner, block, file }: ModuleCallBlock, ctx: ModuleContext): void {
  const header = ctx.span(file, block.header);
  const n = ctx.str(attribute(block, 'name'), file)?.value ?? unknown('no name');
  const prefixed = ctx.value(attribute(block, 'use_name_prefix'), file);
  const name: StrValue = prefixed?.kind === 'boolean' && !prefixed.value ? n : concat(n, known('-'), unknown('suffix Terraform generates (use_name_prefix)'));
  const arnExpression = moduleOutput(owner, 'arn');
  const enabled = ctx.value(attribute(block, 'enable_oidc'), file);
  if (enabled?.kind !== 'boolean' || !enabled.value) {
    // No OIDC trust, or one the tool cannot tell: the role is linked, its trust is not judged.
    ctx.out.roles.push({ id: owner, span: header, origin: 'iam-module', name, trust: { kind: 'unknown', reason: 'the module builds the trust from inputs other than enable_oidc' }, arnExpression });
    return;
  }
  const urlsAttr = attribute(block, 'oidc_provider_urls');
  const urls = ctx.list(urlsAttr, file);
  const subjects = ctx.list(attribute(block, 'oidc_subjects'), file);
  const wildcards = ctx.list(attribute(block, 'oidc_wildcard_subjects'), file);
  const audiences = ctx.list(attribute(block, 'oidc_audiences'), file);
  const account = ctx.str(attribute(block, 'oidc_account_id'), file)?.value ?? unknown('account of the role');
  const conditionsComplete = subjects.complete && wildcards.complete && audiences.complete && !attribute(block, 'trust_policy_conditions');
  const statements: TrustStatement[] = urls.items.map((url) => {
    const issuer = stripScheme(url.value, 'https://', true);
    const condition = (operator: string, claim: string, values: { items: LStr[]; complete: boolean }): Condition[] =>
      values.items.length > 0 || !values.complete ? [{ operator: { value: operator, span: header }, key: { value: concat(issuer, known(`:${claim}`)), span: url.span }, values: values.items, valuesComplete: values.complete }] : [];
    return {
      span: header,
      effect: 'Allow',
      actions: [
        { value: known('sts:TagSession'), span: header },
        { value: known('sts:AssumeRoleWithWebIdentity'), span: header },
      ],
      actionsComplete: true,
      principals: [{ type: 'Federated', value: { value: concat(known('arn:aws:iam::'), account, known(':oidc-provider/'), issuer), span: url.span } }],
      principalsComplete: true,
      conditions: [...condition('StringEquals', 'sub', subjects), ...condition('StringLike', 'sub', wildcards), ...condition('StringEquals', 'aud', audiences)],
      conditionsComplete,
    };
  });
  const complete = urls.complete && !UNREAD_TRUST_INPUTS.some((input) => attribute(block, input));
  const policyId = `${owner}#trust`;
  // Not `generated`: the user spells the provider URLs and subjects, so spelling rules apply.
  ctx.out.trustPolicies.push({ id: policyId, span: header, origin: 'iam-module', statements, complete, generated: false });
  ctx.out.roles.push({ id: owner, span: header, origin: 'iam-module', name, trust: { kind: 'policy', policyId }, arnExpression });
}
