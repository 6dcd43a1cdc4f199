# Karpenter on Fargate with terraform-aws-modules/eks 21.x. Version 21 dropped
# native IRSA from the karpenter submodule (Pod Identity by default), and the
# Pod Identity agent cannot run on Fargate: the controller needs an IRSA trust
# document passed through iam_role_source_assume_policy_documents.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = "batch"
  kubernetes_version = "1.33"

  fargate_profiles = {
    karpenter = {
      selectors = [{ namespace = "karpenter" }]
    }
  }
}

data "aws_iam_policy_document" "karpenter_irsa" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }

    # Copied from a kube-system install: this cluster runs Karpenter in the
    # `karpenter` namespace, so the controller's token is never admitted.
    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider}:sub"
      values   = ["system:serviceaccount:kube-system:karpenter"]
    }

    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name = module.eks.cluster_name
  namespace    = "karpenter"

  iam_role_source_assume_policy_documents = [data.aws_iam_policy_document.karpenter_irsa.json]
}

resource "helm_release" "karpenter" {
  name       = "karpenter"
  namespace  = "karpenter"
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"
  version    = "1.5.0"

  values = [yamlencode({
    serviceAccount = {
      name = "karpenter"
      annotations = {
        "eks.amazonaws.com/role-arn" = module.karpenter.iam_role_arn
      }
    }
    settings = {
      clusterName = module.eks.cluster_name
    }
  })]
}
