import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix } from '../../support/fixes';
import { ISSUER, OIDC_PROVIDER_TF, providerArn } from '../../support/trust-fixtures';

const RULE = 'trust-condition-key-scheme';
const PROVIDER_ARN = providerArn(ISSUER);
const CLUSTER_DATA = 'data "aws_eks_cluster" "prod" {\n  name = "prod"\n}\n\n';

before(async () => {
  await initParsers();
});

function jsonTrust(subKey: string): string {
  return `//- /roles/reader-trust.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "${PROVIDER_ARN}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "${subKey}": "system:serviceaccount:payments:reader",
          "${ISSUER}:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`;
}

function terraformTrust(subKey: string, prelude = ''): string {
  return `//- /infra/main.tf
${prelude}resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          ${subKey} = "system:serviceaccount:payments:reader"
          "\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

${OIDC_PROVIDER_TF}
`;
}

describe(`fixes for ${RULE}`, () => {
  it('strips https:// from a JSON key, touching nothing else', () => {
    checkFix({
      rule: RULE,
      title: 'Remove `https://` from the condition key',
      preferred: true,
      before: jsonTrust(`https://${ISSUER}:sub`),
      after: jsonTrust(`${ISSUER}:sub`),
    });
  });

  it('strips an oidc-provider ARN prefix from a JSON key', () => {
    checkFix({
      rule: RULE,
      title: 'Remove the `oidc-provider` ARN prefix from the condition key',
      before: jsonTrust(`${PROVIDER_ARN}:sub`),
      after: jsonTrust(`${ISSUER}:sub`),
    });
  });

  it('wraps an issuer URL expression in replace(), keeping the expression', () => {
    checkFix({
      rule: RULE,
      title: 'Wrap in `replace(…, "https://", "")`',
      before: terraformTrust('"${data.aws_eks_cluster.prod.identity[0].oidc[0].issuer}:sub"', CLUSTER_DATA),
      after: terraformTrust('"${replace(data.aws_eks_cluster.prod.identity[0].oidc[0].issuer, "https://", "")}:sub"', CLUSTER_DATA),
    });
  });

  it('takes the issuer out of a provider ARN expression', () => {
    checkFix({
      rule: RULE,
      title: 'Take the issuer from the ARN with `split("oidc-provider/", …)`',
      before: terraformTrust('"${aws_iam_openid_connect_provider.eks.arn}:sub"'),
      after: terraformTrust('"${element(split("oidc-provider/", aws_iam_openid_connect_provider.eks.arn), 1)}:sub"'),
    });
  });

  it("uses the EKS module's oidc_provider output in a policy document", () => {
    const doc = (variable: string): string => `//- /infra/main.tf
module "eks" {
  source       = "terraform-aws-modules/eks/aws"
  version      = "~> 20.0"
  cluster_name = "prod"
}

data "aws_iam_policy_document" "reader" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = ${variable}
      values   = ["system:serviceaccount:payments:reader"]
    }
    condition {
      test     = "StringEquals"
      variable = "\${module.eks.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}
`;
    checkFix({
      rule: RULE,
      title: 'Use `module.eks.oidc_provider`, the issuer without `https://`',
      before: doc('"${module.eks.cluster_oidc_issuer_url}:sub"'),
      after: doc('"${module.eks.oidc_provider}:sub"'),
    });
  });
});
