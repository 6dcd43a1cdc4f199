/**
 * terraform-aws-modules/eks's root module: the cluster, its OIDC provider
 * (unless `enable_irsa = false`), the Fargate profiles and node groups
 * it is given as maps, and the ServiceAccounts of the add-ons it installs.
 */
import { known, knownText, symbol, unknown } from '../../common/value';
import { knownString, member, scalarString } from '../../parse/document';
import { DEFAULT_AUDIENCE, selectorsFromDoc } from '../../facts/kubernetes';
import { attribute, type Attribute } from '../../parse/hcl';
import type { ModuleCallBlock, ModuleContext } from '../context';
import { iterate } from '../evaluate';
import { stringAt, type ModuleFamily } from '../family';
import { extractAddonMap } from '../addons';
import { extractEksModuleNodeGroups } from './eks-node-group';

export const eksModule: ModuleFamily = {
  kind: 'eks',
  matches: (source) => source.repository === 'eks' && source.submodule === '',
  // terraform-aws-modules/eks 21.19.0 `outputs.tf`.
  outputs: {
    major: 21,
    release: '21.19.0',
    names: ['cluster_arn', 'cluster_certificate_authority_data', 'cluster_endpoint', 'cluster_id', 'cluster_name', 'cluster_oidc_issuer_url', 'cluster_dualstack_oidc_issuer_url', 'cluster_version', 'cluster_platform_version', 'cluster_status', 'cluster_primary_security_group_id', 'cluster_service_cidr', 'cluster_ip_family', 'cluster_control_plane_scaling_tier', 'access_entries', 'access_policy_associations', 'kms_key_arn', 'kms_key_id', 'kms_key_policy', 'cluster_security_group_arn', 'cluster_security_group_id', 'node_security_group_arn', 'node_security_group_id', 'oidc_provider', 'oidc_provider_arn', 'cluster_tls_certificate_sha1_fingerprint', 'cluster_iam_role_name', 'cluster_iam_role_arn', 'cluster_iam_role_unique_id', 'node_iam_role_name', 'node_iam_role_arn', 'node_iam_role_unique_id', 'cluster_addons', 'cluster_identity_providers', 'cloudwatch_log_group_name', 'cloudwatch_log_group_arn', 'fargate_profiles', 'eks_managed_node_groups', 'eks_managed_node_groups_autoscaling_group_names', 'self_managed_node_groups', 'self_managed_node_groups_autoscaling_group_names'],
  },
  extract: (call, ctx) => {
    const { owner, block, file } = call;
    const header = ctx.span(file, block.header);
    extractFargateProfiles(call, ctx);
    extractEksModuleNodeGroups(call, ctx);
    // `cluster_addons` up to v20, `addons` from v21.
    extractAddonMap(call, 'cluster_addons', ctx);
    extractAddonMap(call, 'addons', ctx);
    const enable = ctx.value(attribute(block, 'enable_irsa'), file);
    if (enable?.kind === 'boolean' && !enable.value) return {};
    const audiencesAttr = attribute(block, 'openid_connect_audiences');
    const audiences = ctx.list(audiencesAttr, file);
    ctx.out.oidcProviders.push({
      id: owner,
      span: header,
      url: symbol('issuer-url', owner),
      clientIds: [{ value: known(DEFAULT_AUDIENCE), span: header }, ...audiences.items],
      clientIdsComplete: audiences.complete,
      ...(audiencesAttr ? { clientIdsSpan: ctx.span(file, audiencesAttr.value) } : {}),
    });
    return {};
  },
  output: (call, output, at, ctx) => {
    if (output === 'oidc_provider') return stringAt(symbol('issuer-host', call.owner), at);
    if (output === 'oidc_provider_arn') return stringAt(symbol('provider-arn', call.owner), at);
    if (output === 'cluster_oidc_issuer_url') return stringAt(symbol('issuer-url', call.owner), at);
    if (output === 'cluster_name') return ctx.value(clusterNameArgument(call), call.file);
    return undefined;
  },
  clusterName: clusterNameArgument,
};

/** `name` (v21), else `cluster_name` (up to v20). */
function clusterNameArgument({ block }: ModuleCallBlock): Attribute | undefined {
  return attribute(block, 'name') ?? attribute(block, 'cluster_name');
}

/** `fargate_profiles = { k = { name, selectors = [{ namespace, labels }] } }` (v20 and v21). */
function extractFargateProfiles(call: ModuleCallBlock, ctx: ModuleContext): void {
  const { owner, block, file } = call;
  const profilesAttr = attribute(block, 'fargate_profiles');
  if (!profilesAttr) return;
  const cluster = { name: ctx.str(clusterNameArgument(call), file)?.value ?? unknown('no cluster name'), scope: ctx.dirUri };
  for (const [key, profile] of iterate(ctx.evaluator.evaluate(profilesAttr.value, file)) ?? []) {
    const keyText = scalarString(key);
    const profileName = knownString(member(profile, 'name')) ?? (keyText ? knownText(keyText) : undefined) ?? '?';
    const { selectors, complete } = selectorsFromDoc(member(profile, 'selectors'));
    ctx.out.fargateProfiles.push({ id: `${owner}#fargate_profiles.${profileName}`, name: profileName, span: key.span, origin: 'eks-module', cluster, selectors, selectorsComplete: complete });
  }
}
