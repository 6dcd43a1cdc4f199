import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix } from '../../support/fixes';

before(async () => {
  await initParsers();
});

const ISSUER_ID = '5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';

describe('fixes for oidc-provider-dualstack', () => {
  it('replaces the host in a provider URL, keeping the issuer id', () => {
    const provider = (host: string): string => `//- /infra/oidc.tf
resource "aws_iam_openid_connect_provider" "eks" {
  url             = "https://${host}/id/${ISSUER_ID}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}
`;
    checkFix({
      rule: 'oidc-provider-dualstack',
      title: 'Use `oidc.eks.eu-west-1.amazonaws.com`, the issuer host tokens carry',
      preferred: true,
      before: provider('oidc-eks.eu-west-1.api.aws'),
      after: provider('oidc.eks.eu-west-1.amazonaws.com'),
    });
  });

  it('replaces the host in a JSON Federated principal', () => {
    const trust = (host: string): string => `//- /iam/exporter-trust.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${host}/id/${ISSUER_ID}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "oidc.eks.eu-west-1.amazonaws.com/id/${ISSUER_ID}:sub": "system:serviceaccount:billing:exporter",
          "oidc.eks.eu-west-1.amazonaws.com/id/${ISSUER_ID}:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`;
    checkFix({
      rule: 'oidc-provider-dualstack',
      title: 'Use `oidc.eks.eu-west-1.amazonaws.com`, the issuer host tokens carry',
      before: trust('oidc-eks.eu-west-1.api.aws'),
      after: trust('oidc.eks.eu-west-1.amazonaws.com'),
    });
  });

  it('pins terraform-aws-modules/eks 21.0.1 instead of 21.0.0', () => {
    const eks = (version: string): string => `//- /infra/eks.tf
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "${version}"

  name = "payments"
}
`;
    checkFix({ rule: 'oidc-provider-dualstack', title: 'Pin `version = "21.0.1"`, which registers `oidc.eks…` again', before: eks('21.0.0'), after: eks('21.0.1') });
  });
});
