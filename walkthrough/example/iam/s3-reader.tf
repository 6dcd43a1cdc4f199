# The role the report exporter assumes to read its bucket. Its trust policy
# was written when the exporter ran in namespace "prod"; the team has since
# moved it to "demo" (see ../k8s/s3-reader.yaml).
resource "aws_iam_role" "s3_reader" {
  name = "s3-reader"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/8C2B9A3E4F5061728394A5B6C7D8E9F0" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/8C2B9A3E4F5061728394A5B6C7D8E9F0:sub" = "system:serviceaccount:prod:s3-reader"
          "oidc.eks.eu-west-1.amazonaws.com/id/8C2B9A3E4F5061728394A5B6C7D8E9F0:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}
