/**
 * Fixes for karpenter-v21-fargate-irsa: the IRSA trust document written
 * into the module's `iam_role_source_assume_policy_documents`.
 */
import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';

before(async () => {
  await initParsers();
});

const EKS = `module "cluster" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name = "batch"

  fargate_profiles = {
    karpenter = {
      selectors = [{ namespace = "karpenter" }]
    }
  }
}
`;

const IRSA_DOCUMENT = `data "aws_iam_policy_document" "karpenter_irsa" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [module.cluster.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "\${module.cluster.oidc_provider}:sub"
      values   = ["system:serviceaccount:karpenter:controller"]
    }

    condition {
      test     = "StringEquals"
      variable = "\${module.cluster.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}
`;

describe('fixes for karpenter-v21-fargate-irsa', () => {
  const TITLE = "Add an IRSA trust document for `system:serviceaccount:karpenter:controller` to `iam_role_source_assume_policy_documents` (widens the role's trust to that ServiceAccount's tokens)";

  it('writes the document before the module and passes it, naming the root eks module and the service_account input', () => {
    checkFix({
      rule: 'karpenter-v21-fargate-irsa',
      title: TITLE,
      preferred: false,
      before: `//- /infra/main.tf
${EKS}
module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name    = module.cluster.cluster_name
  namespace       = "karpenter"
  service_account = "controller"
}
`,
      after: `//- /infra/main.tf
${EKS}
${IRSA_DOCUMENT}
module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name    = module.cluster.cluster_name
  namespace       = "karpenter"
  service_account = "controller"

  iam_role_source_assume_policy_documents = [data.aws_iam_policy_document.karpenter_irsa.json]
}
`,
    });
  });

  it('appends to an existing list of documents without a web-identity statement', () => {
    const pre = `//- /infra/main.tf
${EKS}
data "aws_iam_policy_document" "extra" {
  statement {
    actions = ["sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name    = module.cluster.cluster_name
  namespace       = "karpenter"
  service_account = "controller"

  iam_role_source_assume_policy_documents = [data.aws_iam_policy_document.extra.json]
}
`;
    checkFix({
      rule: 'karpenter-v21-fargate-irsa',
      title: TITLE,
      before: pre,
      after: pre
        .replace('module "karpenter" {', `${IRSA_DOCUMENT}\nmodule "karpenter" {`)
        .replace('[data.aws_iam_policy_document.extra.json]', '[data.aws_iam_policy_document.extra.json, data.aws_iam_policy_document.karpenter_irsa.json]'),
    });
  });

  it('offers nothing when the document pins another ServiceAccount (which side is wrong is the user\'s call)', () => {
    checkNoFix(
      `//- /infra/main.tf
${EKS}
${IRSA_DOCUMENT.replace('karpenter:controller', 'kube-system:karpenter')}
module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name    = module.cluster.cluster_name
  namespace       = "karpenter"
  service_account = "controller"

  iam_role_source_assume_policy_documents = [data.aws_iam_policy_document.karpenter_irsa.json]
}
`,
      'karpenter-v21-fargate-irsa',
    );
  });
});
