/**
 * terraform-aws-modules/iam's older `//modules/iam-assumable-role-with-oidc`:
 * one role whose trust the user spells out (provider URL, subjects).
 */
import { concat, known, stripScheme, unknown } from '../../common/value';
import type { Condition, TrustStatement } from '../../facts/types';
import { attribute } from '../../parse/hcl';
import { moduleOutput, type ModuleCallBlock, type ModuleContext } from '../context';
import type { ModuleFamily } from '../family';
import { roleModuleOutput } from './iam-irsa';

export const assumableRoleWithOidcModule: ModuleFamily = {
  kind: 'iam-assumable-role-with-oidc',
  matches: (source) => source.repository === 'iam' && source.submodule === 'modules/iam-assumable-role-with-oidc',
  extract: (call, ctx) => {
    extractRole(call, ctx);
    return {};
  },
  output: roleModuleOutput,
  // terraform-aws-modules/iam 5.60.0 `modules/iam-assumable-role-with-oidc/outputs.tf` (removed in 6.0).
  outputs: { major: 5, release: '5.60.0', names: ['iam_role_arn', 'iam_role_name', 'iam_role_path', 'iam_role_unique_id'] },
};

/**
 * `provider_url` (no scheme), `oidc_fully_qualified_subjects` (StringEquals),
 * `oidc_subjects_with_wildcards` (StringLike), and an aud condition only
 * with `oidc_fully_qualified_audiences`.
 */
function extractRole({ owner, block, file }: ModuleCallBlock, ctx: ModuleContext): void {
  const header = ctx.span(file, block.header);
  const name = ctx.str(attribute(block, 'role_name'), file)?.value ?? unknown('the module generates the role name');
  const urlAttr = attribute(block, 'provider_url');
  const url = ctx.str(urlAttr, file);
  const policyId = `${owner}#trust`;
  const statements: TrustStatement[] = [];
  let complete = !!url;
  if (url) {
    // The module strips the scheme itself: `replace(url, "https://", "")`.
    const issuer = stripScheme(url.value, 'https://', true);
    const conditions: Condition[] = [];
    const exact = ctx.list(attribute(block, 'oidc_fully_qualified_subjects'), file);
    const wild = ctx.list(attribute(block, 'oidc_subjects_with_wildcards'), file);
    const auds = ctx.list(attribute(block, 'oidc_fully_qualified_audiences'), file);
    complete = exact.complete && wild.complete && auds.complete;
    if (exact.items.length) conditions.push({ operator: { value: 'StringEquals', span: header }, key: { value: concat(issuer, known(':sub')), span: url.span }, values: exact.items, valuesComplete: exact.complete });
    if (wild.items.length) conditions.push({ operator: { value: 'StringLike', span: header }, key: { value: concat(issuer, known(':sub')), span: url.span }, values: wild.items, valuesComplete: wild.complete });
    // The module tests audiences with StringLike (its `oidc_fully_qualified_audiences` condition block).
    if (auds.items.length) conditions.push({ operator: { value: 'StringLike', span: header }, key: { value: concat(issuer, known(':aud')), span: url.span }, values: auds.items, valuesComplete: auds.complete });
    const arn = concat(known('arn:aws:iam::'), unknown('account of the role'), known(':oidc-provider/'), issuer);
    statements.push({
      span: header,
      effect: 'Allow',
      actions: [{ value: known('sts:AssumeRoleWithWebIdentity'), span: header }],
      actionsComplete: true,
      principals: [{ type: 'Federated', value: { value: arn, span: url.span } }],
      principalsComplete: true,
      conditions,
      conditionsComplete: complete,
    });
  }
  // Not `generated`: the user spells the provider URL and subjects, so spelling rules apply.
  ctx.out.trustPolicies.push({ id: policyId, span: header, origin: 'iam-module', statements, complete, generated: false });
  ctx.out.roles.push({ id: owner, span: header, origin: 'iam-module', name, trust: { kind: 'policy', policyId }, arnExpression: moduleOutput(owner, 'iam_role_arn') });
}
