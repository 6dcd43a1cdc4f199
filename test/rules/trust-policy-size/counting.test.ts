/**
 * The length trust-policy-size reports is the length of the JSON IAM gets,
 * without white space: each case below writes a document in one syntax and
 * compares the count with `JSON.stringify` of the document the AWS provider
 * or Terraform sends for it.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze } from '../../../server/src/analysis';
import { Workspace } from '../../../server/src/index/workspace';
import { initParsers } from '../../../server/src/node/host';

before(async () => {
  await initParsers();
});

const ISSUER = 'oidc.eks.eu-north-1.amazonaws.com/id/C0FFEE0123456789ABCDEF0123456789';
const PROVIDER = `arn:aws:iam::135791357913:oidc-provider/${ISSUER}`;

/** The count in the finding a one-character limit gets, and whether it is exact. */
function counted(files: Record<string, string>): { chars: number; exact: boolean } {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///ws/${name}`, text);
  const findings = analyze(workspace, { trustPolicyMaxLength: 1 }).findings.filter((f) => f.ruleId === 'trust-policy-size');
  assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
  const m = /is (at least )?([\d,]+) characters/.exec(findings[0]!.message)!;
  return { chars: Number(m[2]!.replace(/,/g, '')), exact: m[1] === undefined };
}

const minified = (doc: unknown): number => JSON.stringify(doc).length;

describe('trust-policy-size counting', () => {
  it('a JSON file: its minified length, white space between tokens not counted', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:shop:cart' } } }] };
    assert.deepEqual(counted({ 'trust.json': JSON.stringify(doc, null, 4) }), { chars: minified(doc), exact: true });
  });

  it('aws_iam_policy_document: condition blocks of one test and variable share one list, principals of one type too, one value is a string', () => {
    const tf = `
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["${PROVIDER}"]
    }
    principals {
      type        = "Federated"
      identifiers = ["${PROVIDER}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${ISSUER}:sub"
      values   = ["system:serviceaccount:shop:cart"]
    }
    condition {
      test     = "StringEquals"
      variable = "${ISSUER}:sub"
      values   = ["system:serviceaccount:shop:checkout"]
    }
    condition {
      test     = "StringEquals"
      variable = "${ISSUER}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "shop" {
  name               = "shop"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`;
    const rendered = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: PROVIDER },
          Condition: { StringEquals: { [`${ISSUER}:sub`]: ['system:serviceaccount:shop:cart', 'system:serviceaccount:shop:checkout'], [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
        },
      ],
    };
    assert.deepEqual(counted({ 'main.tf': tf }), { chars: minified(rendered), exact: true });
  });

  it('jsonencode with a computed part: a lower bound, never exact', () => {
    const tf = `
variable "namespace" {
  type = string
}

resource "aws_iam_role" "shop" {
  name = "shop"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "${PROVIDER}" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = { "${ISSUER}:sub" = "system:serviceaccount:\${var.namespace}:cart" } }
    }]
  })
}
`;
    const withoutNamespace = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount::cart' } } }] };
    assert.deepEqual(counted({ 'main.tf': tf }), { chars: minified(withoutNamespace), exact: false });
  });
});
