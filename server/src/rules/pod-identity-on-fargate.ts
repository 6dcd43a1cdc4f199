import { knownText } from '../common/value';
import { describeProfile, fargateSelectorsFor } from './support/fargate';
import type { Rule } from './types';

/**
 * EKS Pod Identity hands out credentials through the Pod Identity Agent, a
 * DaemonSet on each node; Fargate runs no DaemonSets, and AWS documents Pod
 * Identity as unavailable on Fargate. An association whose namespace a
 * Fargate profile serves gives its pods nothing. Reported only when a
 * selector without labels names the namespace (then every pod of it runs on
 * Fargate); a selector with labels may or may not pick the pods.
 */
export const rule: Rule = {
  meta: { id: 'pod-identity-on-fargate', defaultSeverity: 'error', title: 'Pod Identity association for a namespace that runs on Fargate' },
  check(model, report) {
    for (const association of model.podIdentityAssociations) {
      const namespace = knownText(association.namespace.value);
      if (namespace === undefined) continue;
      const matches = fargateSelectorsFor(model, association.cluster, namespace);
      const first = matches[0];
      if (!first) continue;
      const sa = knownText(association.serviceAccount.value);
      const subject = `system:serviceaccount:${namespace}:${sa ?? '<service-account>'}`;
      report({
        span: association.span,
        message:
          `This Pod Identity association is for ServiceAccount \`${namespace}/${sa ?? '?'}\`, but ${describeProfile(first.profile)} runs the pods of namespace \`${namespace}\` on Fargate. ` +
          `Pod Identity needs the EKS Pod Identity Agent, a DaemonSet that Fargate cannot run, so these pods get no credentials from the association: ` +
          `the AWS SDK's credential chain finds nothing (\`NoCredentialProviders\` / \`Could not load credentials from any providers\`). ` +
          `Use IRSA for this ServiceAccount instead: a role trusting the cluster's OIDC provider with \`sub\` = \`${subject}\`, and the \`eks.amazonaws.com/role-arn\` annotation on the ServiceAccount.`,
        related: matches.map((m) => ({ span: m.selector.span, message: `${describeProfile(m.profile)} selects namespace \`${namespace}\`` })),
        data: { namespace, ...(sa !== undefined ? { serviceAccount: sa } : {}) },
      });
    }
  },
};
