import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';

const RULE = 'trust-issuer-stale';
const STALE = '0123456789ABCDEF0123456789ABCDEF';
const LIVE = 'FEDCBA9876543210FEDCBA9876543210';
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/';

const LIVE_FACTS = `//- live
{"clusters": [{"name": "payments", "region": "eu-west-1", "source": "settings", "arn": "arn:aws:eks:eu-west-1:111122223333:cluster/payments", "account": "111122223333", "status": "ACTIVE",
  "issuerUrl": "https://${ISSUER}${LIVE}", "fetchedAt": 0,
  "provider": {"kind": "found", "arn": "arn:aws:iam::111122223333:oidc-provider/${ISSUER}${LIVE}", "clientIds": ["sts.amazonaws.com"]}}]}
`;

const json = (id: string): string => `//- /iam/s3-reader-trust.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${ISSUER}${id}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "${ISSUER}${id}:sub": "system:serviceaccount:payments:s3-reader",
          "${ISSUER}${id}:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`;

before(async () => {
  await initParsers();
});

describe(`fixes for ${RULE}`, () => {
  const title = `Replace issuer ID \`${STALE}\` with the live cluster's \`${LIVE}\` of \`payments\``;

  it('writes the live ID in the principal and both keys at once, so they still agree', () => {
    checkFix({ rule: RULE, title, preferred: true, finding: 0, before: LIVE_FACTS + json(STALE), after: json(LIVE) });
  });

  it('is the same fix from a condition key', () => {
    checkFix({ rule: RULE, title, finding: 2, before: LIVE_FACTS + json(STALE), after: json(LIVE) });
  });

  it('is not offered when the stale ID comes from a variable', () => {
    const tf = `//- /infra/main.tf
variable "issuer_id" {
  default = "${STALE}"
}

resource "aws_iam_role" "s3_reader" {
  name = "s3-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/${ISSUER}\${var.issuer_id}" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = {
        "${ISSUER}\${var.issuer_id}:sub" = "system:serviceaccount:payments:s3-reader"
        "${ISSUER}\${var.issuer_id}:aud" = "sts.amazonaws.com"
      } }
    }]
  })
}
`;
    checkNoFix(LIVE_FACTS + tf, RULE, undefined, 0);
  });
});
