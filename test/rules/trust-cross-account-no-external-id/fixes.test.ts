import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, offeredFixes } from '../../support/fixes';

const RULE = 'trust-cross-account-no-external-id';

before(async () => {
  await initParsers();
});

const json = (condition: string): string => `//- /iam/auditor-trust.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::999988887777:root" },
      "Action": "sts:AssumeRole"${condition}
    }
  ]
}
`;

const document = (condition: string): string => `//- /infra/main.tf
data "aws_iam_policy_document" "auditor" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999988887777:root"]
    }${condition}
  }
}

resource "aws_iam_role" "auditor" {
  name               = "auditor"
  assume_role_policy = data.aws_iam_policy_document.auditor.json
}
`;

describe(`fixes for ${RULE}`, () => {
  it('adds an ExternalId condition with a tab stop (JSON)', () => {
    const { fixes } = offeredFixes(json(''), RULE);
    assert.deepEqual(fixes.map((f) => [f.title, f.snippet, f.preferred ?? false]), [['Add an `sts:ExternalId` condition', true, false]]);
    const change = fixes[0]!.changes[0]!;
    assert.ok(change.kind === 'edit' && change.edits[0]!.newText.includes('"sts:ExternalId": "${1:external-id}"'));
    checkFix({
      rule: RULE,
      title: 'Add an `sts:ExternalId` condition',
      before: json(''),
      after: json(`,
      "Condition": {
        "StringEquals": {
          "sts:ExternalId": "external-id"
        }
      }`),
    });
  });

  it('adds a condition block to a policy document', () => {
    checkFix({
      rule: RULE,
      title: 'Add an `sts:ExternalId` condition',
      before: document(''),
      after: document(`
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["external-id"]
    }`),
    });
  });
});
