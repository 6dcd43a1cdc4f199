# The classic copy-paste: the cluster's issuer URL carries https://, and it
# ends up in the condition key. IAM rejects the policy, or it never matches.
# (The provider's own `url` attribute would have been right: IAM stores the
# issuer without its scheme.)
resource "aws_eks_cluster" "main" {
  name     = "analytics"
  role_arn = var.cluster_role_arn

  vpc_config {
    subnet_ids = var.subnet_ids
  }
}

resource "aws_iam_openid_connect_provider" "eks" {
  url             = aws_eks_cluster.main.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = []
}

data "aws_iam_policy_document" "reports_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${aws_eks_cluster.main.identity[0].oidc[0].issuer}:sub"
      values   = ["system:serviceaccount:analytics:reports"]
    }

    condition {
      test     = "StringEquals"
      variable = "${aws_eks_cluster.main.identity[0].oidc[0].issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reports" {
  name               = "analytics-reports"
  assume_role_policy = data.aws_iam_policy_document.reports_trust.json
}

variable "cluster_role_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}
