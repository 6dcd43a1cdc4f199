import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { ISSUER, providerArn, trustJson } from '../../support/trust-fixtures';

const RULE = 'trust-sub-no-service-account';
const PROVIDER_ARN = providerArn(ISSUER);

before(async () => {
  await initParsers();
});


function account(namespace: string, role = 's3-reader'): string {
  return `//- /k8s/s3-reader.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: "s3-reader"
  namespace: "${namespace}"
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/${role}
`;
}

function policyDocument(subject: string): string {
  return `//- /infra/main.tf
data "aws_iam_policy_document" "s3_reader" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["${PROVIDER_ARN}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${ISSUER}:sub"
      values   = ["${subject}"]
    }
  }
}

resource "aws_iam_role" "s3_reader" {
  name               = "s3-reader"
  assume_role_policy = data.aws_iam_policy_document.s3_reader.json
}
`;
}

describe(`fixes for ${RULE}`, () => {
  it('pins the sub to the one ServiceAccount of that name (JSON)', () => {
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:demo:s3-reader`',
      preferred: false,
      before: trustJson('system:serviceaccount:prod:s3-reader') + account('demo'),
      after: trustJson('system:serviceaccount:demo:s3-reader'),
    });
  });

  it('moves the ServiceAccount that uses this role instead, keeping its quoting', () => {
    checkFix({
      rule: RULE,
      title: 'Move the ServiceAccount to namespace `prod`',
      preferred: false,
      before: trustJson('system:serviceaccount:prod:s3-reader') + account('demo'),
      after: account('prod'),
    });
  });

  it('pins the sub in a policy document', () => {
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:demo:s3-reader`',
      before: policyDocument('system:serviceaccount:prod:s3-reader') + account('demo'),
      after: policyDocument('system:serviceaccount:demo:s3-reader'),
    });
  });

  it('does not offer to move a ServiceAccount that uses another role', () => {
    checkNoFix(trustJson('system:serviceaccount:prod:s3-reader') + account('demo', 'other-role'), RULE, 'Move the ServiceAccount to namespace `prod`');
  });

  it('pins an IRSA module entry in its own `<namespace>:<name>` form', () => {
    const module = (entry: string): string => `//- /infra/irsa.tf
module "s3_reader_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.60.0"

  role_name = "s3-reader"
  oidc_providers = {
    main = {
      provider_arn               = "${PROVIDER_ARN}"
      namespace_service_accounts = ["${entry}"]
    }
  }
}
`;
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:demo:s3-reader`',
      preferred: false,
      before: module('demo:s3-reder') + account('demo'),
      after: module('demo:s3-reader'),
    });
  });
});
