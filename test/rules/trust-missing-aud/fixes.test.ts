import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { ISSUER, OIDC_PROVIDER_TF, providerArn } from '../../support/trust-fixtures';

const RULE = 'trust-missing-aud';
const PROVIDER_ARN = providerArn(ISSUER);

before(async () => {
  await initParsers();
});

const json = (aud: string): string => `//- /iam/reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "${PROVIDER_ARN}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "${ISSUER}:sub": "system:serviceaccount:payments:reader"${aud}
        }
      }
    }
  ]
}
`;

const jsonencode = (aud: string): string => `//- /infra/main.tf
locals {
  issuer = "${ISSUER}"
}

resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "${PROVIDER_ARN}" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringLike = {
          "\${local.issuer}:sub" = "system:serviceaccount:payments:reader-*"
        }${aud}
      }
    }]
  })
}
`;

const heredoc = (aud: string): string => `//- /infra/main.tf
resource "aws_iam_role" "reader" {
  name               = "reader"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": { "Federated": "\${aws_iam_openid_connect_provider.eks.arn}" },
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
          "StringEquals": {
            "\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub": "system:serviceaccount:payments:reader"${aud}
          }
        }
      }]
    }
  EOT
}

${OIDC_PROVIDER_TF}
`;

const document = (aud: string): string => `//- /infra/main.tf
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"
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
      variable = "\${module.eks.oidc_provider}:sub"
      values   = ["system:serviceaccount:payments:reader"]
    }${aud}
  }
}
`;

/** A runbook's heredoc, indented in a list item, with shell placeholders in the key. */
const runbook = (aud: string): string => `//- /docs/runbook.md
# Reader role

1. Write the trust policy:

   \`\`\`bash
   cat > reader-trust.json <<EOF
   {
     "Version": "2012-10-17",
     "Statement": [
       {
         "Effect": "Allow",
         "Principal": { "Federated": "arn:aws:iam::\${ACCOUNT_ID}:oidc-provider/\${OIDC_PROVIDER}" },
         "Action": "sts:AssumeRoleWithWebIdentity",
         "Condition": {
           "StringEquals": {
             "\${OIDC_PROVIDER}:sub": "system:serviceaccount:payments:reader"${aud}
           }
         }
       }
     ]
   }
   EOF
   \`\`\`
`;

describe(`fixes for ${RULE}`, () => {
  it('adds the aud next to the sub in a JSON file', () => {
    checkFix({
      rule: RULE,
      title: 'Add an aud condition for `sts.amazonaws.com`',
      preferred: true,
      before: json(''),
      after: json(`,\n          "${ISSUER}:aud": "sts.amazonaws.com"`),
    });
  });

  it('adds a StringEquals with the aud in jsonencode, with the sub key expression', () => {
    checkFix({
      rule: RULE,
      title: 'Add an aud condition for `sts.amazonaws.com`',
      before: jsonencode(''),
      after: jsonencode(`\n        StringEquals = {\n          "\${local.issuer}:aud" = "sts.amazonaws.com"\n        }`),
    });
  });

  it('adds the aud in heredoc JSON, copying the interpolated key', () => {
    checkFix({
      rule: RULE,
      title: 'Add an aud condition for `sts.amazonaws.com`',
      before: heredoc(''),
      after: heredoc(`,\n            "\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:aud": "sts.amazonaws.com"`),
    });
  });

  it('adds the aud inside a Markdown runbook\'s block, with the key as the runbook spells it', () => {
    checkFix({
      rule: RULE,
      title: 'Add an aud condition for `sts.amazonaws.com`',
      preferred: true,
      before: runbook(''),
      after: runbook(`,\n             "\${OIDC_PROVIDER}:aud": "sts.amazonaws.com"`),
    });
  });

  it('adds a condition block to a policy document', () => {
    checkFix({
      rule: RULE,
      title: 'Add an aud condition for `sts.amazonaws.com`',
      before: document(''),
      after: document(`\n    condition {\n      test     = "StringEquals"\n      variable = "\${module.eks.oidc_provider}:aud"\n      values   = ["sts.amazonaws.com"]\n    }`),
    });
  });

  it("uses the audience the role's ServiceAccount annotates; none when they disagree", () => {
    const sa = (name: string, audience: string): string => `//- /k8s/${name}.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/reader
    eks.amazonaws.com/audience: ${audience}
`;
    const withProvider = `//- /infra/provider.tf
resource "aws_iam_openid_connect_provider" "eks" {
  url            = "https://${ISSUER}"
  client_id_list = ["sts.amazonaws.com", "internal"]
}
`;
    checkFix({
      rule: RULE,
      title: 'Add an aud condition for `internal`',
      before: json('') + sa('reader', 'internal') + withProvider,
      after: json(`,\n          "${ISSUER}:aud": "internal"`),
    });
    checkNoFix(json('') + sa('reader', 'internal') + sa('reader2', 'sts.amazonaws.com') + withProvider, RULE);
  });

  it('sets oidc_fully_qualified_audiences on an iam-assumable-role-with-oidc call, the only place the module takes an aud', () => {
    const module = (extra: string): string => `//- /infra/main.tf
module "legacy" {
  source                        = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version                       = "~> 5.0"
  create_role                   = true
  role_name                     = "legacy"
  provider_url                  = "${ISSUER}"
  oidc_fully_qualified_subjects = ["system:serviceaccount:payments:legacy"]
${extra}}
`;
    checkFix({
      rule: RULE,
      title: 'Set `oidc_fully_qualified_audiences = ["sts.amazonaws.com"]` on `module.legacy`',
      preferred: true,
      before: module(''),
      after: module('  oidc_fully_qualified_audiences = ["sts.amazonaws.com"]\n'),
    });
  });
});
