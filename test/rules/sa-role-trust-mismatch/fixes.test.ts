import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { ISSUER, OIDC_PROVIDER_TF, trustJson } from '../../support/trust-fixtures';

const RULE = 'sa-role-trust-mismatch';
const ROLE_ARN = 'arn:aws:iam::111122223333:role/s3-reader';

before(async () => {
  await initParsers();
});

/** Another ServiceAccount of the role, in the namespace the trust pins today: pinning the sub elsewhere would lock it out. */
const PROD_ACCOUNT = `//- /k8s/prod.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: s3-reader
  namespace: prod
  annotations:
    eks.amazonaws.com/role-arn: ${ROLE_ARN}
`;

function manifest(namespace: string | undefined, name = 's3-reader', deployment = true): string {
  const ns = namespace === undefined ? '' : `\n  namespace: ${namespace}`;
  return `//- /k8s/s3-reader.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}${ns}
  annotations:
    eks.amazonaws.com/role-arn: ${ROLE_ARN}
${
  deployment
    ? `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reporter${ns}
spec:
  template:
    spec:
      serviceAccountName: ${name}
`
    : ''
}`;
}

function terraform(sub: string, extra = ''): string {
  return `//- /infra/main.tf
${OIDC_PROVIDER_TF}

resource "aws_iam_role" "s3_reader" {
  name = "s3-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub" = ${sub}
          "\${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}
${extra}`;
}

describe(`fixes for ${RULE}`, () => {
  it('moves the ServiceAccount and its Deployment to the namespace the trust pins (not preferred: both sides are plausible)', () => {
    checkFix({
      rule: RULE,
      title: 'Move the ServiceAccount to namespace `prod`',
      preferred: false,
      before: trustJson('system:serviceaccount:prod:s3-reader') + manifest('demo'),
      after: manifest('prod'),
    });
  });

  it('pins the JSON trust sub to the ServiceAccount instead', () => {
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:demo:s3-reader`',
      preferred: false,
      before: trustJson('system:serviceaccount:prod:s3-reader') + manifest('demo'),
      after: trustJson('system:serviceaccount:demo:s3-reader'),
    });
  });

  it('inserts metadata.namespace into a manifest that names none, and prefers that fix', () => {
    checkFix({
      rule: RULE,
      title: 'Move the ServiceAccount to namespace `prod`',
      preferred: true,
      before: trustJson('system:serviceaccount:prod:s3-reader') + manifest(undefined),
      after: manifest('prod'),
    });
  });

  it('renames the ServiceAccount, and the Deployment follows', () => {
    checkFix({
      rule: RULE,
      title: 'Rename the ServiceAccount to `s3-reader`',
      before: trustJson('system:serviceaccount:demo:s3-reader') + manifest('demo', 's3-raeder'),
      after: manifest('demo', 's3-reader'),
    });
  });

  it('pins a jsonencode sub in HCL', () => {
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:demo:s3-reader`',
      before: terraform('"system:serviceaccount:prod:s3-reader"') + manifest('demo', 's3-reader', false),
      after: terraform('"system:serviceaccount:demo:s3-reader"'),
    });
  });

  it('edits the variable default a sub comes from, and says where', () => {
    const variable = (value: string): string => `//- /infra/variables.tf
variable "reader_subject" {
  type    = string
  default = "${value}"
}
`;
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:demo:s3-reader` (in variables.tf)',
      before: terraform('var.reader_subject') + variable('system:serviceaccount:prod:s3-reader') + manifest('demo', 's3-reader', false),
      after: variable('system:serviceaccount:demo:s3-reader'),
    });
  });

  it('edits the tfvars value that overrides the default', () => {
    const tfvars = (value: string): string => `//- /infra/terraform.tfvars
reader_subject = "${value}" # the load-test namespace
`;
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:demo:s3-reader` (in terraform.tfvars)',
      before:
        terraform('var.reader_subject') +
        `//- /infra/variables.tf
variable "reader_subject" {
  default = "system:serviceaccount:staging:s3-reader"
}
` +
        tfvars('system:serviceaccount:prod:s3-reader') +
        manifest('demo', 's3-reader', false),
      after: tfvars('system:serviceaccount:demo:s3-reader'),
    });
  });

  it('offers no trust-side fix for a sub built from an expression', () => {
    checkNoFix(
      terraform('"system:serviceaccount:${var.namespace}:s3-reader"', 'variable "namespace" {\n  default = "prod"\n}\n') + manifest('demo', 's3-reader', false),
      RULE,
      'Pin sub to `system:serviceaccount:demo:s3-reader`',
    );
  });

  it('offers no trust-side fix that would take access from another ServiceAccount of the role', () => {
    checkNoFix(
      trustJson('system:serviceaccount:prod:s3-reader') +
        manifest('demo', 's3-reader', false) +
        PROD_ACCOUNT,
      RULE,
    );
  });

  it('offers no ServiceAccount-side fix when the namespace comes from a kustomization', () => {
    const before =
      trustJson('system:serviceaccount:prod:s3-reader') +
      manifest(undefined, 's3-reader', false) +
      `//- /k8s/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: demo
resources:
  - s3-reader.yaml
`;
    checkNoFix(before, RULE, 'Move the ServiceAccount to namespace `prod`');
    checkFix({ rule: RULE, title: 'Pin sub to `system:serviceaccount:demo:s3-reader`', before, after: trustJson('system:serviceaccount:demo:s3-reader') });
  });

  it('moves a Terraform ServiceAccount written with a literal namespace; not one whose namespace is an expression', () => {
    const sa = (namespace: string, prelude = ''): string => `//- /infra/sa.tf
${prelude}resource "kubernetes_service_account" "reader" {
  metadata {
    name      = "s3-reader"
    namespace = ${namespace}
    annotations = {
      "eks.amazonaws.com/role-arn" = "${ROLE_ARN}"
    }
  }
}
`;
    checkFix({ rule: RULE, title: 'Move the ServiceAccount to namespace `prod`', before: trustJson('system:serviceaccount:prod:s3-reader') + sa('"demo"'), after: sa('"prod"') });
    // The fact points at `local.namespace`, not at the local's literal: editing the expression would replace it with a literal.
    checkNoFix(trustJson('system:serviceaccount:prod:s3-reader') + sa('local.namespace', 'locals {\n  namespace = "demo"\n}\n\n'), RULE, 'Move the ServiceAccount to namespace `prod`');
  });

  describe('on the role of a terraform-aws-modules/iam IRSA module', () => {
    const provider = `//- /infra/oidc.tf
${OIDC_PROVIDER_TF}
`;
    const v5 = (entries: string): string => `//- /infra/irsa.tf
module "s3_reader_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.0"

  role_name = "s3-reader"
  oidc_providers = {
    main = {
      provider_arn               = aws_iam_openid_connect_provider.eks.arn
      namespace_service_accounts = [${entries}]
    }
  }
}
`;
    const v6 = (entries: string): string => `//- /infra/irsa.tf
module "s3_reader_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "~> 6.0"

  name            = "s3-reader"
  use_name_prefix = false
  oidc_providers = {
    main = {
      provider_arn               = aws_iam_openid_connect_provider.eks.arn
      namespace_service_accounts = [${entries}]
    }
  }
}
`;

    it('pins the namespace_service_accounts entry the module builds the sub from (5.x)', () => {
      checkFix({
        rule: RULE,
        title: 'Pin sub to `system:serviceaccount:demo:s3-reader`',
        before: provider + v5('"prod:s3-reader"') + manifest('demo', 's3-reader', false),
        after: v5('"demo:s3-reader"'),
      });
    });

    it('pins the entry in 6.x, in its own quoting', () => {
      checkFix({
        rule: RULE,
        title: 'Pin sub to `system:serviceaccount:demo:s3-reader`',
        before: provider + v6('"prod:s3-reader"') + manifest('demo', 's3-reader', false),
        after: v6('"demo:s3-reader"'),
      });
    });

    it('offers no pin for an entry built from an expression, nor one that would drop another ServiceAccount of the role', () => {
      checkNoFix(provider + v5('"${var.namespace}:s3-reader"') + 'variable "namespace" {\n  default = "prod"\n}\n' + manifest('demo', 's3-reader', false), RULE, 'Pin sub to `system:serviceaccount:demo:s3-reader`');
      checkNoFix(
        provider +
          v5('"prod:s3-reader"') +
          manifest('demo', 's3-reader', false) +
          PROD_ACCOUNT,
        RULE,
        'Pin sub to `system:serviceaccount:demo:s3-reader`',
      );
    });

    it('pins a fully qualified subject of iam-assumable-role-with-oidc', () => {
      const module = (subject: string): string => `//- /infra/irsa.tf
module "s3_reader_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version = "~> 5.0"

  create_role                    = true
  role_name                      = "s3-reader"
  provider_url                   = "${ISSUER}"
  oidc_fully_qualified_subjects  = ["${subject}"]
  oidc_fully_qualified_audiences = ["sts.amazonaws.com"]
}
`;
      checkFix({
        rule: RULE,
        title: 'Pin sub to `system:serviceaccount:demo:s3-reader`',
        before: provider + module('system:serviceaccount:prod:s3-reader') + manifest('demo', 's3-reader', false),
        after: module('system:serviceaccount:demo:s3-reader'),
      });
    });
  });

  it('pins the sub of the document passed to the karpenter submodule, whose controller role the ServiceAccount uses', () => {
    const karpenter = (sub: string): string => `//- /infra/karpenter.tf
data "aws_iam_policy_document" "karpenter_irsa" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/${ISSUER}"]
    }

    condition {
      test     = "StringEquals"
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

module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name = "batch"

  iam_role_source_assume_policy_documents = [data.aws_iam_policy_document.karpenter_irsa.json]
}
`;
    const sa = `//- /infra/sa.tf
resource "kubernetes_service_account_v1" "karpenter" {
  metadata {
    name      = "karpenter"
    namespace = "kube-system"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.karpenter.iam_role_arn
    }
  }
}
`;
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:kube-system:karpenter`',
      before: karpenter('system:serviceaccount:karpenter:karpenter') + sa,
      after: karpenter('system:serviceaccount:kube-system:karpenter'),
    });
  });

  it('pins the role of an EKS add-on to the add-on\'s own ServiceAccount, and never renames the add-on', () => {
    const addon = `//- /infra/addon.tf
resource "aws_eks_addon" "ebs" {
  cluster_name             = "payments"
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = "${ROLE_ARN}"
}
`;
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:kube-system:ebs-csi-controller-sa`',
      before: trustJson('system:serviceaccount:kube-system:ebs-csi-controller') + addon,
      after: trustJson('system:serviceaccount:kube-system:ebs-csi-controller-sa'),
    });
    checkNoFix(trustJson('system:serviceaccount:kube-system:ebs-csi-controller') + addon, RULE, 'Rename the ServiceAccount to `ebs-csi-controller`');
    checkNoFix(trustJson('system:serviceaccount:storage:ebs-csi-controller-sa') + addon, RULE, 'Move the ServiceAccount to namespace `storage`');
  });
});

describe(`${RULE} in a Markdown runbook`, () => {
  const runbook = (sub: string): string => `//- /RUNBOOK.md
# Exporter role

\`\`\`sh
cat > exporter-trust.json <<'EOF'
${trustJson(sub).replace(/^\/\/- .*\n/, "").trimEnd()}
EOF
aws iam create-role --role-name s3-reader --assume-role-policy-document file://exporter-trust.json
kubectl annotate sa s3-reader -n demo eks.amazonaws.com/role-arn=${ROLE_ARN}
\`\`\`
`;

  it('pins the sub in the block; the kubectl command is not rewritten', () => {
    checkFix({
      rule: RULE,
      title: 'Pin sub to `system:serviceaccount:demo:s3-reader`',
      before: runbook('system:serviceaccount:prod:s3-reader'),
      after: runbook('system:serviceaccount:demo:s3-reader'),
    });
    checkNoFix(runbook('system:serviceaccount:prod:s3-reader'), RULE, 'Move the ServiceAccount to namespace `prod`');
  });
});
