import { liveClusterOfStatement, parseIssuer } from '../live/match';
import type { LiveCluster } from '../live/types';
import { principalAnchor } from '../index/irsa';
import { STS_NO_PROVIDER } from '../index/describe';
import { defineRule } from './types';

/**
 * STS looks up the token's issuer among the IAM OIDC providers of the
 * role's account before it reads the trust policy. Needs live facts: the
 * list of providers IAM has in the cluster's account.
 */
export const rule = defineRule({
  meta: { id: 'oidc-provider-missing', defaultSeverity: 'error', title: 'IAM has no OIDC provider for the live cluster’s issuer' },
  check(model, report, { live }) {
    if (!live) return;
    for (const { policy, statement } of model.allEksWebIdentityStatements()) {
      const match = liveClusterOfStatement(model, live, policy, statement);
      if (!match || match.cluster.provider.kind !== 'missing' || match.cluster.issuerUrl === undefined) continue;
      // IAM was asked in the cluster's account; a principal in another account is looked up there.
      if (match.mentions.some((m) => m.account !== undefined && m.account !== match.cluster.account)) continue;
      report({ span: principalAnchor(statement), message: missingProviderMessage(match.cluster) });
    }
  },
});

function missingProviderMessage(cluster: LiveCluster): string {
  const host = parseIssuer(cluster.issuerUrl ?? '')?.host ?? cluster.issuerUrl;
  return (
    `IAM has no OIDC provider for \`${host}\`, the issuer of the live cluster \`${cluster.name}\` (${cluster.region}), in account ${cluster.account}. ` +
    `STS rejects every token of this cluster with ${STS_NO_PROVIDER}. Register the issuer: ` +
    `\`eksctl utils associate-iam-oidc-provider --cluster ${cluster.name} --region ${cluster.region} --approve\`, or in Terraform ` +
    `\`resource "aws_iam_openid_connect_provider" "eks" { url = "${cluster.issuerUrl}", client_id_list = ["sts.amazonaws.com"] }\` ` +
    `(terraform-aws-modules/eks does this with \`enable_irsa = true\`).`
  );
}
