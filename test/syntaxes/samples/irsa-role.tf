# The role the ledger exporter assumes through IRSA.
locals {
  namespace = "ledger"
  issuer    = replace(module.eks.cluster_oidc_issuer_url, "https://", "")
  replicas  = 3
  ratio     = 0.25e2
}

/* A block comment
   over two lines */
data "aws_iam_policy_document" "exporter_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.cluster.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${aws_iam_openid_connect_provider.cluster.url}:sub"
      values   = ["system:serviceaccount:${local.namespace}:exporter"]
    }
  }
}

resource "aws_iam_role" "exporter" {
  name               = "ledger-exporter" // the name the annotation uses
  assume_role_policy = data.aws_iam_policy_document.exporter_trust.json
  tags               = { team = "ledger", "cost-center" = var.cost_center }
  enabled            = true && !var.disabled
  max_session        = var.hours * 3600
  description        = "Escaped $${literal} and %%{literal}, then \"quoted\""
}

resource "aws_iam_role" "legacy" {
  name = "ledger-legacy"
  assume_role_policy = <<-EOT
    {
      "Statement": [{
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Principal": { "Federated": "arn:aws:iam::210987654321:oidc-provider/oidc.eks.ap-south-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9" },
        "Condition": { "StringLike": { "${local.issuer}:sub": "system:serviceaccount:ledger:*" } }
      }]
    }
  EOT
}

output "subjects" {
  value = [for sa in var.service_accounts : "system:serviceaccount:${sa.namespace}:${sa.name}" if sa.enabled]
}

output "greeting" {
  value = "%{ if local.replicas > 1 }many%{ else }one%{ endif }"
}
