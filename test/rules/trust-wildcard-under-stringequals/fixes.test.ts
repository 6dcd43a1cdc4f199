import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { ISSUER, providerArn } from '../../support/trust-fixtures';

const RULE = 'trust-wildcard-under-stringequals';
const PROVIDER_ARN = providerArn(ISSUER);

before(async () => {
  await initParsers();
});

const json = (operator: string, sub: string): string => `//- /iam/reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "${PROVIDER_ARN}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "${operator}": {
          "${ISSUER}:sub": "${sub}",
          "${ISSUER}:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`;

const document = (test: string, sub: string): string => `//- /infra/main.tf
data "aws_iam_policy_document" "reader" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["${PROVIDER_ARN}"]
    }
    condition {
      test     = "${test}"
      variable = "${ISSUER}:sub"
      values   = ["${sub}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${ISSUER}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reader" {
  name               = "reader"
  assume_role_policy = data.aws_iam_policy_document.reader.json
}
`;

const account = `//- /k8s/reader.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader-api
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/reader
`;

describe(`fixes for ${RULE}`, () => {
  it('uses the exact subject of the one ServiceAccount that uses the role and matches (preferred)', () => {
    checkFix({
      rule: RULE,
      title: 'Use the exact subject `system:serviceaccount:payments:reader-api`',
      preferred: true,
      before: json('StringEquals', 'system:serviceaccount:payments:reader-*') + account,
      after: json('StringEquals', 'system:serviceaccount:payments:reader-api'),
    });
  });

  it('offers StringLike as a labelled widening fix (JSON), which brings the wildcard warning', () => {
    checkFix({
      rule: RULE,
      title: 'Use StringLike (widens the role to every ServiceAccount matching `system:serviceaccount:payments:reader-*`)',
      preferred: false,
      before: json('StringEquals', 'system:serviceaccount:payments:reader-*') + account,
      after: json('StringLike', 'system:serviceaccount:payments:reader-*'),
      brings: ['trust-sub-wildcard'],
    });
  });

  it('both fixes in a policy document', () => {
    checkFix({
      rule: RULE,
      title: 'Use the exact subject `system:serviceaccount:payments:reader-api`',
      before: document('StringEquals', 'system:serviceaccount:payments:reader-*') + account,
      after: document('StringEquals', 'system:serviceaccount:payments:reader-api'),
    });
    checkFix({
      rule: RULE,
      title: 'Use StringLike (widens the role to every ServiceAccount matching `system:serviceaccount:payments:*`)',
      before: document('StringEquals', 'system:serviceaccount:payments:*'),
      after: document('StringLike', 'system:serviceaccount:payments:*'),
      brings: ['trust-sub-wildcard'],
    });
  });

  it('offers no exact subject when no ServiceAccount of the role matches', () => {
    checkNoFix(json('StringEquals', 'system:serviceaccount:payments:writer-*') + account, RULE, 'Use the exact subject `system:serviceaccount:payments:reader-api`');
  });
});
