/**
 * terraform-aws-modules/iam's IRSA role modules: v5's
 * `//modules/iam-role-for-service-accounts-eks` and v6's
 * `//modules/iam-role-for-service-accounts`. Also the IRSA statement they
 * build, which the eks karpenter submodule (20.x) builds alike.
 */
import type { Span } from '../../common/text';
import { concat, known, knownText, symbol, unknown, type StrValue } from '../../common/value';
import { member, scalarString, stringList, type DocValue } from '../../parse/document';
import { DEFAULT_AUDIENCE } from '../../facts/kubernetes';
import type { Condition, LStr, TrustStatement } from '../../facts/types';
import { attribute } from '../../parse/hcl';
import { moduleOutput, type ModuleCallBlock, type ModuleContext } from '../context';
import { iterate } from '../evaluate';
import { stringAt, type ModuleFamily } from '../family';

export const irsaModuleV5: ModuleFamily = irsaModule(5, 'modules/iam-role-for-service-accounts-eks');
export const irsaModuleV6: ModuleFamily = irsaModule(6, 'modules/iam-role-for-service-accounts');

/** The outputs of a module that creates one role: `iam_role_arn` / `arn` and `iam_role_name` / `name`. */
export function roleModuleOutput(call: ModuleCallBlock, output: string, at: Span): DocValue | undefined {
  if (output === 'iam_role_arn' || output === 'arn') return stringAt(symbol('role-arn', call.owner), at);
  if (output === 'iam_role_name' || output === 'name') return stringAt(symbol('role-name', call.owner), at);
  return undefined;
}

/**
 * The statement terraform-aws-modules builds for IRSA from a provider ARN
 * and `<namespace>:<name>` entries (the iam IRSA modules per
 * `oidc_providers` entry, the eks karpenter submodule in 20.x): Federated
 * = the ARN; `<issuer>:sub` under the condition test over
 * `system:serviceaccount:<entry>`; `<issuer>:aud` = sts.amazonaws.com.
 * Undefined when the ARN or the condition test is computed.
 */
export function irsaStatement(arnValue: DocValue, subjects: { items: readonly LStr[]; complete: boolean }, test: LStr, span: Span): TrustStatement | undefined {
  const arn = scalarString(arnValue);
  const testText = knownText(test.value);
  if (!arn || testText === undefined) return undefined;
  const issuer = issuerFromProviderArn(arn);
  const keySpan = arnValue.span;
  const conditions: Condition[] = [
    {
      operator: { value: testText, span: test.span },
      key: { value: concat(issuer, known(':sub')), span: keySpan },
      values: subjects.items.map((s) => ({ value: concat(known('system:serviceaccount:'), s.value), span: s.span })),
      valuesComplete: subjects.complete,
    },
    { operator: { value: testText, span: test.span }, key: { value: concat(issuer, known(':aud')), span: keySpan }, values: [{ value: known(DEFAULT_AUDIENCE), span: keySpan }], valuesComplete: true },
  ];
  return {
    span,
    effect: 'Allow',
    actions: [{ value: known('sts:AssumeRoleWithWebIdentity'), span }],
    actionsComplete: true,
    principals: [{ type: 'Federated', value: { value: arn, span: arnValue.span } }],
    principalsComplete: true,
    conditions,
    conditionsComplete: true,
  };
}

/** The family of one major version, whose calls name `submodule` of terraform-aws-modules/iam. */
function irsaModule(major: 5 | 6, submodule: string): ModuleFamily {
  return {
    kind: 'iam-irsa',
    matches: (source) => source.repository === 'iam' && source.submodule === submodule,
    extract: (call, ctx) => {
      extractIrsaRole(call, ctx, major);
      return {};
    },
    output: roleModuleOutput,
    // terraform-aws-modules/iam 5.60.0 `modules/iam-role-for-service-accounts-eks/outputs.tf` and 6.5.0 `modules/iam-role-for-service-accounts/outputs.tf`.
    outputs:
      major === 5
        ? { major, release: '5.60.0', names: ['iam_role_arn', 'iam_role_name', 'iam_role_path', 'iam_role_unique_id'] }
        : { major, release: '6.5.0', names: ['arn', 'name', 'path', 'unique_id', 'iam_policy_arn', 'iam_policy'] },
  };
}

/**
 * terraform-aws-modules/iam IRSA modules build, per `oidc_providers` entry,
 * one statement: Federated = provider_arn; `<issuer>:sub` with the
 * condition test (StringEquals by default) over
 * `system:serviceaccount:<ns:sa>`; `<issuer>:aud` = sts.amazonaws.com.
 */
function extractIrsaRole({ owner, block, file }: ModuleCallBlock, ctx: ModuleContext, major: 5 | 6): void {
  const header = ctx.span(file, block.header);
  let name: StrValue;
  if (major === 6) {
    const n = ctx.str(attribute(block, 'name'), file)?.value ?? unknown('no name');
    const prefixed = ctx.value(attribute(block, 'use_name_prefix'), file);
    name = prefixed?.kind === 'boolean' && !prefixed.value ? n : concat(n, known('-'), unknown('suffix Terraform generates (use_name_prefix)'));
  } else {
    const n = ctx.str(attribute(block, 'role_name'), file)?.value;
    const prefix = ctx.str(attribute(block, 'role_name_prefix'), file)?.value;
    name = n ?? (prefix ? concat(prefix, unknown('suffix Terraform generates (role_name_prefix)')) : unknown('the module generates the role name'));
  }
  const testName = major === 6 ? 'trust_condition_test' : 'assume_role_condition_test';
  const test = ctx.str(attribute(block, testName), file) ?? { value: known('StringEquals'), span: header };
  const providersAttr = attribute(block, 'oidc_providers');
  const providers = ctx.value(providersAttr, file);
  const statements: TrustStatement[] = [];
  let complete = true;
  const pairs = providers ? iterate(providers) : [];
  if (!pairs) complete = false;
  for (const [, provider] of pairs ?? []) {
    const arnValue = member(provider, 'provider_arn');
    const statement = arnValue ? irsaStatement(arnValue, stringList(member(provider, 'namespace_service_accounts')), test, provider.span) : undefined;
    if (statement) statements.push(statement);
    else complete = false;
  }
  // Extra documents merged by the module are not read: whom the role admits is then not fully known.
  if (attribute(block, 'source_trust_policy_documents') || attribute(block, 'override_trust_policy_documents')) complete = false;
  const policyId = `${owner}#trust`;
  const moduleInputs = { subjects: 'namespace_service_accounts', conditionTest: testName };
  ctx.out.trustPolicies.push({ id: policyId, span: header, origin: 'iam-module', statements, complete, generated: true, moduleInputs });
  const arnExpression = moduleOutput(owner, major === 6 ? 'arn' : 'iam_role_arn');
  ctx.out.roles.push({ id: owner, span: header, origin: 'iam-module', name, trust: { kind: 'policy', policyId }, arnExpression });
}

/** `arn:aws:iam::1:oidc-provider/oidc.eks…/id/X` → `oidc.eks…/id/X`, known or as an issuer-host symbol. */
function issuerFromProviderArn(arn: StrValue): StrValue {
  const text = knownText(arn);
  if (text !== undefined) return known(text.replace(/^.*provider\//, ''));
  const first = arn.segments[0];
  if (arn.segments.length === 1 && first?.kind === 'symbol' && first.symbol === 'provider-arn') return symbol('issuer-host', first.owner, first.resolved?.replace(/^.*provider\//, ''));
  return unknown('issuer of a computed provider ARN');
}
