/**
 * One trust statement written in each syntax the trust-policy fixes edit
 * (a JSON file, `jsonencode`, a policy document), for fix tables: the same
 * parts in, the same parts out.
 */
export const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';
export const OTHER_ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
export const providerArn = (issuer: string): string => `arn:aws:iam::111122223333:oidc-provider/${issuer}`;
/** The subject the statements pin: the ServiceAccount of service-account-fixtures.ts. */
export const READER_SUBJECT = 'system:serviceaccount:payments:reader';

/** The cluster's IAM OIDC provider as Terraform writes it, for fixtures that reference `aws_iam_openid_connect_provider.eks`. */
export const OIDC_PROVIDER_TF = `resource "aws_iam_openid_connect_provider" "eks" {
  url            = "https://${ISSUER}"
  client_id_list = ["sts.amazonaws.com"]
}`;

export interface StatementParts {
  readonly principal?: string;
  readonly action?: string;
  readonly subKey?: string;
  readonly sub?: string;
  readonly audKey?: string;
  readonly aud?: string;
}

export type TrustSyntax = 'json' | 'jsonencode' | 'policy-document';
export const TRUST_SYNTAXES: readonly TrustSyntax[] = ['json', 'jsonencode', 'policy-document'];

function complete(p: StatementParts): Required<StatementParts> {
  return {
    principal: p.principal ?? providerArn(ISSUER),
    action: p.action ?? 'sts:AssumeRoleWithWebIdentity',
    subKey: p.subKey ?? `${ISSUER}:sub`,
    sub: p.sub ?? READER_SUBJECT,
    audKey: p.audKey ?? `${ISSUER}:aud`,
    aud: p.aud ?? 'sts.amazonaws.com',
  };
}

/** The statement in `syntax`, as a fixture file, with an optional `extra` file. */
export function trustPolicy(syntax: TrustSyntax, parts: StatementParts = {}): string {
  const p = complete(parts);
  switch (syntax) {
    case 'json':
      return `//- /iam/reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "${p.principal}" },
      "Action": "${p.action}",
      "Condition": {
        "StringEquals": {
          "${p.subKey}": "${p.sub}",
          "${p.audKey}": "${p.aud}"
        }
      }
    }
  ]
}
`;
    case 'jsonencode':
      return `//- /infra/main.tf
resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "${p.principal}" }
      Action    = "${p.action}"
      Condition = {
        StringEquals = {
          "${p.subKey}" = "${p.sub}"
          "${p.audKey}" = "${p.aud}"
        }
      }
    }]
  })
}
`;
    case 'policy-document':
      return `//- /infra/main.tf
data "aws_iam_policy_document" "reader" {
  statement {
    actions = ["${p.action}"]
    principals {
      type        = "Federated"
      identifiers = ["${p.principal}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${p.subKey}"
      values   = ["${p.sub}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${p.audKey}"
      values   = ["${p.aud}"]
    }
  }
}

resource "aws_iam_role" "reader" {
  name               = "reader"
  assume_role_policy = data.aws_iam_policy_document.reader.json
}
`;
  }
}

/** The s3-reader trust policy as a JSON file pinning `subject`, for the sub-mismatch fixes (both sides). */
export function trustJson(subject: string): string {
  return `//- /iam/s3-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "${providerArn(ISSUER)}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "${ISSUER}:sub": "${subject}",
          "${ISSUER}:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`;
}
