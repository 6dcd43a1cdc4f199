/**
 * terraform-aws-modules/eks's `//modules/karpenter`: the controller's
 * ServiceAccount and cluster (the call's `karpenter` inputs), and its
 * controller role with the trust the module version builds.
 */
import { concat, known, knownText, symbol, unknown, type StrValue } from '../../common/value';
import type { DocValue } from '../../parse/document';
import type { KarpenterInputs, ModuleTrustInputs, TrustRef, TrustStatement } from '../../facts/types';
import { attribute } from '../../parse/hcl';
import { literalText, moduleOutput, type ModuleCallBlock, type ModuleContext } from '../context';
import { stringAt, type ModuleFamily } from '../family';
import { podIdentityStatement } from '../../facts/iam';
import { trustFromExpression } from '../trust';
import { admitsOnlyMajorAtLeast } from '../version';
import { irsaStatement } from './iam-irsa';

export const eksKarpenterModule: ModuleFamily = {
  kind: 'eks-karpenter',
  matches: (source) => source.repository === 'eks' && source.submodule === 'modules/karpenter',
  // terraform-aws-modules/eks 21.19.0 `modules/karpenter/outputs.tf` (`instance_profile_unique` is its spelling).
  outputs: { major: 21, release: '21.19.0', names: ['iam_role_name', 'iam_role_arn', 'iam_role_unique_id', 'queue_arn', 'queue_name', 'queue_url', 'event_rules', 'node_iam_role_name', 'node_iam_role_arn', 'node_iam_role_unique_id', 'node_access_entry_arn', 'instance_profile_arn', 'instance_profile_id', 'instance_profile_name', 'instance_profile_unique', 'namespace', 'service_account'] },
  extract: (call, ctx) => {
    const documents = karpenterDocuments(call, ctx);
    const karpenter = karpenterInputs(call, ctx, documents);
    karpenterRole(call, ctx, documents);
    return { karpenter };
  },
  output: (call, output, at, ctx) => {
    if (!karpenterHasControllerRole(call, ctx)) return undefined;
    if (output === 'iam_role_arn') return stringAt(symbol('role-arn', call.owner), at);
    if (output === 'iam_role_name') return stringAt(symbol('role-name', call.owner), at);
    return undefined;
  },
};

/** The documents passed to the karpenter submodule for its controller role's trust. */
interface KarpenterDocuments {
  readonly sources: readonly TrustRef[];
  readonly overrides: readonly TrustRef[];
  /** False when a list is computed. */
  readonly complete: boolean;
}

/** The service principal of EKS Pod Identity. */

/**
 * The documents passed to the karpenter submodule for its controller
 * role's trust, per argument, as trust references (read once: reading a
 * `jsonencode` or heredoc document adds its policy to the facts).
 */
function karpenterDocuments({ owner, block, file }: ModuleCallBlock, ctx: ModuleContext): KarpenterDocuments {
  const read = (attrName: string): { refs: TrustRef[]; complete: boolean } => {
    const attr = attribute(block, attrName);
    if (!attr) return { refs: [], complete: true };
    const { expr, file: f } = ctx.throughLocals(attr.value, file);
    if (expr.kind !== 'tuple') return { refs: [], complete: false };
    return { refs: expr.items.map((item, i) => trustFromExpression(ctx, item, f, `${owner}#${attrName}[${i}]`)), complete: true };
  };
  const sources = read('iam_role_source_assume_policy_documents');
  const overrides = read('iam_role_override_assume_policy_documents');
  return { sources: sources.refs, overrides: overrides.refs, complete: sources.complete && overrides.complete };
}

function karpenterInputs(call: ModuleCallBlock, ctx: ModuleContext, documents: KarpenterDocuments): KarpenterInputs {
  const { block, file } = call;
  const header = ctx.span(file, block.header);
  const nsAttr = attribute(block, 'namespace');
  const saAttr = attribute(block, 'service_account');
  const sourceAttr = attribute(block, 'iam_role_source_assume_policy_documents');
  return {
    cluster: ctx.clusterRef(attribute(block, 'cluster_name'), file),
    namespace: ctx.str(nsAttr, file) ?? { value: known('kube-system'), span: header },
    namespaceWritten: nsAttr !== undefined,
    serviceAccount: ctx.str(saAttr, file) ?? { value: known('karpenter'), span: header },
    serviceAccountWritten: saAttr !== undefined,
    createsRole: karpenterCreatesRole(call, ctx),
    assumePolicyDocuments: [...documents.sources, ...documents.overrides],
    assumePolicyDocumentsComplete: documents.complete,
    ...(sourceAttr ? { sourceDocumentsSpan: ctx.span(file, sourceAttr) } : {}),
  };
}

/** False when `create = false` or `create_iam_role = false`, true when neither is set to anything but true, else undefined (computed). */
function karpenterCreatesRole({ block, file }: ModuleCallBlock, ctx: ModuleContext): boolean | undefined {
  const flag = (v: DocValue | undefined): boolean | undefined => (v === undefined ? true : v.kind === 'boolean' ? v.value : undefined);
  const a = flag(ctx.value(attribute(block, 'create'), file));
  const b = flag(ctx.value(attribute(block, 'create_iam_role'), file));
  return a === false || b === false ? false : a === true && b === true ? true : undefined;
}

/**
 * Whether the karpenter submodule call's `iam_role_arn` output is its
 * controller role: from 20.0 (before, `iam_role_arn` was the node role's
 * and the controller's was `irsa_arn`), and unless the call is known not
 * to create it. Unknown versions count: they may be 20.x or later.
 */
function karpenterHasControllerRole(call: ModuleCallBlock, ctx: ModuleContext): boolean {
  return karpenterCreatesRole(call, ctx) !== false && admitsOnlyMajorAtLeast(literalText(attribute(call.block, 'version')), 20) !== false;
}

/**
 * The karpenter submodule's controller role (20.x and 21.x):
 * `aws_iam_role.controller`, named `iam_role_name` (default
 * `KarpenterController`) plus a generated suffix unless
 * `iam_role_use_name_prefix = false`, and trusting what its
 * `data "aws_iam_policy_document" "controller_assume_role"` says:
 * - 21.x: EKS Pod Identity only (sid `PodIdentity`), merged with the
 *   documents passed in `iam_role_source_assume_policy_documents` and
 *   `iam_role_override_assume_policy_documents`;
 * - 20.x: Pod Identity unless `enable_pod_identity = false`, and with
 *   `enable_irsa = true` an IRSA statement built like terraform-aws-modules/iam's
 *   from `irsa_oidc_provider_arn`, `irsa_namespace_service_accounts`
 *   (default `["karpenter:karpenter"]`) and `irsa_assume_role_condition_test`
 *   (default `StringEquals`).
 * When the version constraint does not pin one of these majors, the role
 * is there (for the links) but its trust is unknown: no finding comes from a guess.
 */
function karpenterRole(call: ModuleCallBlock, ctx: ModuleContext, documents: KarpenterDocuments): void {
  const { owner, block, file } = call;
  if (!karpenterHasControllerRole(call, ctx)) return;
  const header = ctx.span(file, block.header);
  const version = literalText(attribute(block, 'version'));
  const major = admitsOnlyMajorAtLeast(version, 21) === true ? 21 : admitsOnlyMajorAtLeast(version, 20) === true && admitsOnlyMajorAtLeast(version, 21) === false ? 20 : undefined;
  const pathValue = ctx.str(attribute(block, 'iam_role_path'), file)?.value;
  const path = pathValue ? knownText(pathValue) : undefined;
  const role = (name: StrValue, trust: TrustRef): void => {
    ctx.out.roles.push({ id: owner, span: header, origin: 'karpenter-module', name, trust, arnExpression: moduleOutput(owner, 'iam_role_arn'), ...(path !== undefined ? { path } : {}) });
  };
  if (major === undefined) {
    const why = version === undefined ? 'the module call pins no version' : `\`version = "${version}"\` admits more than one of 20.x and 21.x`;
    role(unknown(`the controller role's name depends on the module version (${why})`), { kind: 'unknown', reason: `the karpenter submodule's controller trust depends on its version: ${why}` });
    return;
  }
  const base = ctx.str(attribute(block, 'iam_role_name'), file)?.value ?? known('KarpenterController');
  const prefixed = ctx.value(attribute(block, 'iam_role_use_name_prefix'), file);
  const name =
    prefixed?.kind === 'boolean' && !prefixed.value
      ? base
      : prefixed === undefined || prefixed.kind === 'boolean'
        ? concat(base, known('-'), unknown('suffix Terraform generates (iam_role_use_name_prefix)'))
        : unknown('iam_role_use_name_prefix is computed');
  if (karpenterCreatesRole(call, ctx) !== true) {
    role(name, { kind: 'unknown', reason: '`create` or `create_iam_role` is computed' });
    return;
  }
  const statements: TrustStatement[] = [];
  let complete = true;
  let moduleInputs: ModuleTrustInputs | undefined;
  const podIdentity = (): TrustStatement => podIdentityStatement(header, { sid: 'PodIdentity' });
  if (major === 21) statements.push(podIdentity());
  else {
    const flag = (attrName: string, fallback: boolean): boolean | undefined => {
      const v = ctx.value(attribute(block, attrName), file);
      return v === undefined ? fallback : v.kind === 'boolean' ? v.value : undefined;
    };
    const pod = flag('enable_pod_identity', true);
    const irsa = flag('enable_irsa', false);
    if (pod === undefined || irsa === undefined) complete = false;
    if (pod === true) statements.push(podIdentity());
    if (irsa === true) {
      const arnAttr = attribute(block, 'irsa_oidc_provider_arn');
      const arnValue = ctx.value(arnAttr, file);
      const sasAttr = attribute(block, 'irsa_namespace_service_accounts');
      const sas = sasAttr ? ctx.list(sasAttr, file) : { items: [{ value: known('karpenter:karpenter'), span: header }], complete: true };
      const test = ctx.str(attribute(block, 'irsa_assume_role_condition_test'), file) ?? { value: known('StringEquals'), span: header };
      const statement = arnValue ? irsaStatement(arnValue, sas, test, sasAttr ? ctx.span(file, sasAttr.value) : header) : undefined;
      if (statement) statements.push(statement);
      else complete = false;
      moduleInputs = { subjects: 'irsa_namespace_service_accounts', conditionTest: 'irsa_assume_role_condition_test' };
    }
    // 20.x has no assume-policy document inputs (Terraform rejects them): what the role trusts is then not known.
    if (documents.sources.length > 0 || documents.overrides.length > 0 || !documents.complete) complete = false;
  }
  const policyId = `${owner}#trust`;
  ctx.out.trustPolicies.push({ id: policyId, span: header, origin: 'iam-module', statements, complete, generated: true, ...(moduleInputs ? { moduleInputs } : {}) });
  const merges = major === 21 && (documents.sources.length > 0 || documents.overrides.length > 0 || !documents.complete);
  role(name, merges ? { kind: 'merged', policyId, sources: documents.sources, overrides: documents.overrides, complete: documents.complete } : { kind: 'policy', policyId });
}
