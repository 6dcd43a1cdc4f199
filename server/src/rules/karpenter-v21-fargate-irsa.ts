import { knownText } from '../common/value';
import type { ModuleCall } from '../facts/types';
import { admitsClaim, hasAction, subjectOf, WEB_IDENTITY_ACTION } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { admitsOnlyMajorAtLeast } from '../terraform/version';
import { STS_ACCESS_DENIED } from './support/common';
import { describeProfile, fargateSelectorsFor, type FargateMatch } from './support/fargate';
import type { Rule } from './types';

/**
 * terraform-aws-modules/eks 21.0 removed native IRSA from `//modules/karpenter`:
 * the controller role trusts EKS Pod Identity (`pods.eks.amazonaws.com`) and
 * nothing else unless documents are merged in through
 * `iam_role_source_assume_policy_documents`. Pod Identity needs its agent
 * DaemonSet, which Fargate cannot run, so a controller whose namespace a
 * Fargate profile serves can only authenticate with IRSA, and the role must
 * trust its web identity token. Two findings, both on the module header:
 * no web-identity document at all, or documents that all refuse the
 * controller's subject (`system:serviceaccount:<namespace>:<service_account>`).
 */
export const rule: Rule = {
  meta: { id: 'karpenter-v21-fargate-irsa', defaultSeverity: 'error', title: 'Karpenter v21 module on Fargate without an IRSA trust document for its controller' },
  check(model, report) {
    for (const call of model.moduleCalls) {
      const k = call.karpenter;
      if (!k || admitsOnlyMajorAtLeast(call.version?.value, 21) !== true || k.createsRole !== true) continue;
      const namespace = knownText(k.namespace.value);
      const serviceAccount = knownText(k.serviceAccount.value);
      if (namespace === undefined || serviceAccount === undefined) continue;
      // The module's default namespace says where the controller runs only if nothing says otherwise:
      // a ServiceAccount of that name in another namespace (the Helm release's) means the default is not it.
      if (!k.namespaceWritten && model.serviceAccounts.some((sa) => knownText(sa.name.value) === serviceAccount && knownText(sa.namespace.value) !== namespace)) continue;
      const matches = fargateSelectorsFor(model, k.cluster, namespace);
      const first = matches[0];
      if (!first) continue;
      const verdict = irsaTrust(model, call, subjectOf(namespace, serviceAccount));
      if (verdict === 'unknown' || verdict === 'admits') continue;
      const subject = subjectOf(namespace, serviceAccount);
      const context =
        `terraform-aws-modules/eks 21.x removed IRSA from the karpenter submodule: its controller role trusts EKS Pod Identity only. ` +
        `The controller's namespace \`${namespace}\`${k.namespaceWritten ? '' : ' (the module default)'} runs on Fargate (${describeProfile(first.profile)}), where the Pod Identity Agent DaemonSet cannot run, so the controller can authenticate only with IRSA`;
      const message =
        verdict === 'missing'
          ? `${context}, and no document in \`iam_role_source_assume_policy_documents\` trusts a web identity. The controller fails with ${STS_ACCESS_DENIED} (403). ` +
            `Add a \`data "aws_iam_policy_document"\` trusting the cluster's OIDC provider with \`sub\` = \`${subject}\` and \`aud\` = \`sts.amazonaws.com\`, and pass its \`.json\` in \`iam_role_source_assume_policy_documents\`.`
          : `${context}, and no web-identity statement in the documents passed through \`iam_role_source_assume_policy_documents\` admits \`${subject}\`. The controller fails with ${STS_ACCESS_DENIED} (403). ` +
            `Pin \`sub\` to \`${subject}\` in that document.`;
      report({
        span: call.span,
        message,
        related: relatedOf(matches, namespace),
        data: {
          kind: verdict === 'missing' ? 'missing-document' : 'subject-not-admitted',
          module: call.name,
          namespace,
          serviceAccount,
          ...(eksModuleName(model, call, first) ? { eksModule: eksModuleName(model, call, first)! } : {}),
        },
      });
    }
  },
};

/**
 * What the documents merged into the controller role say about IRSA:
 * `missing` (every document is known and none has a web-identity statement),
 * `refuses` (some have, and every one of them refuses the subject),
 * `admits`, or `unknown`.
 */
function irsaTrust(model: WorkspaceModel, call: ModuleCall, subject: string): 'missing' | 'refuses' | 'admits' | 'unknown' {
  const k = call.karpenter!;
  if (!k.assumePolicyDocumentsComplete) return 'unknown';
  let webIdentity = 0;
  let unknown = false;
  for (const ref of k.assumePolicyDocuments) {
    const policy = model.trustPolicyOfRef(ref);
    if (!policy) return 'unknown';
    if (!policy.complete) unknown = true;
    for (const statement of policy.statements) {
      if (statement.effect === 'Deny' || hasAction(statement, WEB_IDENTITY_ACTION) === false) continue;
      webIdentity++;
      const admits = statement.effect === 'Allow' && hasAction(statement, WEB_IDENTITY_ACTION) === true ? admitsClaim(statement, 'sub', subject) : undefined;
      if (admits !== false) return admits === true ? 'admits' : 'unknown';
    }
  }
  if (unknown) return 'unknown';
  return webIdentity === 0 ? 'missing' : 'refuses';
}

function relatedOf(matches: readonly FargateMatch[], namespace: string): { span: FargateMatch['selector']['span']; message: string }[] {
  return matches.map((m) => ({ span: m.selector.span, message: `${describeProfile(m.profile)} selects namespace \`${namespace}\`` }));
}

/** The root terraform-aws-modules/eks module of the cluster, for the fix's `module.<name>.oidc_provider_arn`. */
function eksModuleName(model: WorkspaceModel, call: ModuleCall, match: FargateMatch): string | undefined {
  if (match.profile.origin === 'eks-module') return /#module\.([^#]*)#/.exec(match.profile.id)?.[1];
  const dir = call.id.replace(/#[^#]*$/, '');
  const eks = model.moduleCalls.filter((m) => m.kind === 'eks' && m.id.replace(/#[^#]*$/, '') === dir);
  return eks.length === 1 ? eks[0]!.name : undefined;
}
