/**
 * aws-ia `eks-blueprints-addon` (`aws-ia/eks-blueprints-addon/aws`): one
 * Helm release and, with `create_role = true`, its IRSA role. Checked
 * against the module source at `0f109f7` (main.tf):
 * - the role's trust has, per `oidc_providers` entry, Federated =
 *   `provider_arn`, `<issuer>:sub` = `system:serviceaccount:<entry
 *   namespace, else the release namespace>:<entry service_account>` and
 *   `<issuer>:aud` = `sts.amazonaws.com`, both under
 *   `assume_role_condition_test` (StringEquals); `trust_policy_statements`
 *   and `allow_self_assume_role` add statements;
 * - the release namespace is `namespace`, else `default`;
 * - `set_irsa_names` are Helm value paths set to the role's ARN: with the
 *   chart's `serviceAccount.name` from `set`, that is the ServiceAccount
 *   the role is for, and it must match the trust's subject.
 * Outputs: `iam_role_arn`, `iam_role_name` (and the release's).
 */
import { concat, known, knownText, symbol, unknown } from '../../common/value';
import { member, scalarString } from '../../parse/document';
import { ROLE_ARN_ANNOTATION } from '../../facts/kubernetes';
import type { LStr, TrustStatement } from '../../facts/types';
import { attribute } from '../../parse/hcl';
import { moduleOutput, type ModuleCallBlock, type ModuleContext } from '../context';
import { iterate } from '../evaluate';
import type { ModuleFamily } from '../family';
import { splitHelmPath } from '../resources/helm';
import { irsaStatement, roleModuleOutput } from './iam-irsa';

export const eksBlueprintsAddonModule: ModuleFamily = {
  kind: 'eks-blueprints-addon',
  matches: (source) => source.repository === 'eks-blueprints-addon' && source.submodule === '',
  extract: (call, ctx) => {
    extractAddon(call, ctx);
    return {};
  },
  output: (call, output, at) => (output === 'iam_role_arn' || output === 'iam_role_name' ? roleModuleOutput(call, output, at) : undefined),
};

function extractAddon({ owner, block, file }: ModuleCallBlock, ctx: ModuleContext): void {
  const header = ctx.span(file, block.header);
  const createRole = ctx.value(attribute(block, 'create_role'), file);
  if (createRole?.kind !== 'boolean' || !createRole.value) return;
  const namespaceAttr = attribute(block, 'namespace');
  const namespace: LStr = ctx.str(namespaceAttr, file) ?? { value: known('default'), span: header };
  const roleName = ctx.str(attribute(block, 'role_name'), file)?.value ?? ctx.str(attribute(block, 'name'), file)?.value ?? unknown('no role_name');
  const prefixed = ctx.value(attribute(block, 'role_name_use_prefix'), file);
  const name = prefixed?.kind === 'boolean' && !prefixed.value ? roleName : concat(roleName, known('-'), unknown('suffix Terraform generates (role_name_use_prefix)'));
  const test = ctx.str(attribute(block, 'assume_role_condition_test'), file) ?? { value: known('StringEquals'), span: header };

  const statements: TrustStatement[] = [];
  let complete = !attribute(block, 'trust_policy_statements');
  const providers = ctx.value(attribute(block, 'oidc_providers'), file);
  const pairs = providers ? iterate(providers) : [];
  if (!pairs) complete = false;
  for (const [, provider] of pairs ?? []) {
    const arn = member(provider, 'provider_arn');
    const sa = member(provider, 'service_account');
    const saValue = scalarString(sa);
    const ns = member(provider, 'namespace');
    const nsValue = ns ? scalarString(ns) : namespace.value;
    const statement = arn && sa && saValue && nsValue ? irsaStatement(arn, { items: [{ value: concat(nsValue, known(':'), saValue), span: sa.span }], complete: true }, test, provider.span) : undefined;
    if (statement) statements.push(statement);
    else complete = false;
  }
  // `allow_self_assume_role` adds an AWS-principal statement for the role itself: not a web identity, and not read.
  const policyId = `${owner}#trust`;
  ctx.out.trustPolicies.push({ id: policyId, span: header, origin: 'iam-module', statements, complete, generated: true });
  ctx.out.roles.push({ id: owner, span: header, origin: 'iam-module', name, trust: { kind: 'policy', policyId }, arnExpression: moduleOutput(owner, 'iam_role_arn') });
  serviceAccounts(owner, block, file, ctx, namespace, namespaceAttr === undefined);
}

/**
 * The chart's ServiceAccounts that `set_irsa_names` annotates with the role:
 * per values prefix (`serviceAccount.…`, `controller.serviceAccount.…`), the
 * name `set` gives at the same prefix, else one the chart derives (unknown).
 */
function serviceAccounts(owner: string, block: ModuleCallBlock['block'], file: ModuleCallBlock['file'], ctx: ModuleContext, namespace: LStr, namespaceDefaulted: boolean): void {
  const irsaNames = ctx.list(attribute(block, 'set_irsa_names'), file);
  const names = new Map<string, LStr>();
  const set = ctx.value(attribute(block, 'set'), file);
  if (set?.kind === 'array') {
    for (const item of set.items) {
      const path = knownText(scalarString(member(item, 'name')) ?? unknown('name'));
      const value = member(item, 'value');
      const text = value ? scalarString(value) : undefined;
      if (path === undefined || !value || !text) continue;
      const parts = splitHelmPath(path);
      if (parts.length >= 2 && parts[parts.length - 1] === 'name' && parts[parts.length - 2] === 'serviceAccount') names.set(parts.slice(0, -2).join('.'), { value: text, span: value.span });
    }
  }
  const seen = new Set<string>();
  for (const item of irsaNames.items) {
    const path = knownText(item.value);
    if (path === undefined) continue;
    const parts = splitHelmPath(path);
    const i = parts.lastIndexOf('serviceAccount');
    if (i < 0 || parts[i + 1] !== 'annotations' || parts.slice(i + 2).join('.') !== ROLE_ARN_ANNOTATION) continue;
    const prefix = parts.slice(0, i).join('.');
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    const name = names.get(prefix) ?? { value: unknown('the chart derives the ServiceAccount name'), span: item.span };
    const roleArn: LStr = { value: symbol('role-arn', owner), span: item.span };
    ctx.out.serviceAccounts.push({
      id: `${owner}#${prefix}${prefix ? '.' : ''}serviceAccount`,
      span: name.span,
      origin: 'helm',
      name,
      namespace,
      namespaceDefaulted,
      annotations: [{ key: { value: ROLE_ARN_ANNOTATION, span: item.span }, value: roleArn }],
      annotationsComplete: true,
      roleArn,
    });
  }
}
