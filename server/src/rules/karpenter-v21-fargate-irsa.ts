import type { ModuleCall } from '../facts/types';
import { subjectOf } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { STS_ACCESS_DENIED } from './support/common';
import { describeProfile, type FargateMatch } from './support/fargate';
import { karpenterFargateProblem } from './support/karpenter';
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
 * The controller role is a role of the model: the ServiceAccount rules leave
 * the controller's own ServiceAccount to this finding (`support/karpenter.ts`).
 */
export const rule: Rule = {
  meta: { id: 'karpenter-v21-fargate-irsa', defaultSeverity: 'error', title: 'Karpenter v21 module on Fargate without an IRSA trust document for its controller' },
  check(model, report) {
    for (const call of model.moduleCalls) {
      const problem = karpenterFargateProblem(model, call);
      if (!problem) continue;
      const { verdict, namespace, serviceAccount, matches } = problem;
      const first = matches[0]!;
      const subject = subjectOf(namespace, serviceAccount);
      const context =
        `terraform-aws-modules/eks 21.x removed IRSA from the karpenter submodule: its controller role trusts EKS Pod Identity only. ` +
        `The controller's namespace \`${namespace}\`${call.karpenter!.namespaceWritten ? '' : ' (the module default)'} runs on Fargate (${describeProfile(first.profile)}), where the Pod Identity Agent DaemonSet cannot run, so the controller can authenticate only with IRSA`;
      const message =
        verdict === 'missing'
          ? `${context}, and no document in \`iam_role_source_assume_policy_documents\` trusts a web identity. The controller fails with ${STS_ACCESS_DENIED} (403). ` +
            `Add a \`data "aws_iam_policy_document"\` trusting the cluster's OIDC provider with \`sub\` = \`${subject}\` and \`aud\` = \`sts.amazonaws.com\`, and pass its \`.json\` in \`iam_role_source_assume_policy_documents\`.`
          : `${context}, and no web-identity statement in the documents passed through \`iam_role_source_assume_policy_documents\` admits \`${subject}\`. The controller fails with ${STS_ACCESS_DENIED} (403). ` +
            `Pin \`sub\` to \`${subject}\` in that document.`;
      const eksModule = eksModuleName(model, call, first);
      report({
        span: call.span,
        message,
        related: relatedOf(matches, namespace),
        data: {
          kind: verdict === 'missing' ? 'missing-document' : 'subject-not-admitted',
          module: call.name,
          namespace,
          serviceAccount,
          ...(eksModule ? { eksModule } : {}),
        },
      });
    }
  },
};

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
