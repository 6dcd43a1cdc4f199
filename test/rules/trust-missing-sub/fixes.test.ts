import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix, offeredFixes } from '../../support/fixes';
import { ISSUER, OIDC_PROVIDER_TF, providerArn } from '../../support/trust-fixtures';

const RULE = 'trust-missing-sub';
const PROVIDER_ARN = providerArn(ISSUER);

before(async () => {
  await initParsers();
});

const json = (condition: string): string => `//- /iam/reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "${PROVIDER_ARN}" },
      "Action": "sts:AssumeRoleWithWebIdentity"${condition}
    }
  ]
}
`;

const jsonencode = (sub: string): string => `//- /infra/main.tf
${OIDC_PROVIDER_TF}

resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:aud" = "sts.amazonaws.com"${sub}
        }
      }
    }]
  })
}
`;

const account = (name: string): string => `//- /k8s/${name}.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/reader
`;

describe(`fixes for ${RULE}`, () => {
  it('adds a Condition with the sub of the ServiceAccount that uses the role (JSON)', () => {
    checkFix({
      rule: RULE,
      title: 'Add a StringEquals sub condition for `system:serviceaccount:payments:reader`',
      preferred: true,
      before: json('') + account('reader'),
      after: json(`,
      "Condition": {
        "StringEquals": {
          "${ISSUER}:sub": "system:serviceaccount:payments:reader"
        }
      }`),
    });
  });

  it('offers nothing when several ServiceAccounts use the role: pinning them all would write down a shared role', () => {
    checkNoFix(json('') + account('reader') + account('reader-batch'), RULE);
  });

  it('adds the sub next to the aud in jsonencode, with its key expression', () => {
    checkFix({
      rule: RULE,
      title: 'Add a StringEquals sub condition for `system:serviceaccount:payments:reader`',
      before: jsonencode('') + account('reader'),
      after: jsonencode(`\n          "\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub" = "system:serviceaccount:payments:reader"`),
    });
  });

  it('offers a snippet with tab stops when no ServiceAccount uses the role', () => {
    const { fixes } = offeredFixes(jsonencode(''), RULE);
    assert.deepEqual(
      fixes.map((f) => [f.title, f.snippet, f.preferred ?? false]),
      [['Add a StringEquals sub condition for a ServiceAccount', true, false]],
    );
    const change = fixes[0]!.changes[0]!;
    assert.ok(change.kind === 'edit');
    assert.equal(
      change.edits[0]!.newText,
      '\n          "\\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")\\}:sub" = "system:serviceaccount:${1:namespace}:${2:name}"',
    );
    checkFix({
      rule: RULE,
      title: 'Add a StringEquals sub condition for a ServiceAccount',
      before: jsonencode(''),
      after: jsonencode(`\n          "\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub" = "system:serviceaccount:namespace:name"`),
    });
  });

  it("sets oidc_subjects on a v6 iam-role call, to the one ServiceAccount that uses the role", () => {
    const module = (extra: string): string => `//- /infra/main.tf
module "eks" {
  source       = "terraform-aws-modules/eks/aws"
  version      = "~> 20.0"
  cluster_name = "payments"
}

module "reports_role" {
  source             = "terraform-aws-modules/iam/aws//modules/iam-role"
  version            = "~> 6.0"
  name               = "reports"
  enable_oidc        = true
  oidc_provider_urls = [module.eks.oidc_provider]
  oidc_audiences     = ["sts.amazonaws.com"]
${extra}}

resource "kubernetes_service_account_v1" "reports" {
  metadata {
    name        = "reports"
    namespace   = "analytics"
    annotations = { "eks.amazonaws.com/role-arn" = module.reports_role.arn }
  }
}
`;
    checkFix({
      rule: RULE,
      title: 'Set `oidc_subjects = ["system:serviceaccount:analytics:reports"]` on `module.reports_role`',
      preferred: true,
      before: module(''),
      after: module('  oidc_subjects = ["system:serviceaccount:analytics:reports"]\n'),
    });
  });
});
