import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix } from '../../support/fixes';

const RULE = 'module-output-unknown';

before(async () => {
  await initParsers();
});

const workspace = (output: string): string => `//- /infra/main.tf
module "reports_irsa" {
  source    = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version   = "~> 6.0"
  name      = "reports"
}

resource "kubernetes_service_account_v1" "reports" {
  metadata {
    name        = "reports"
    namespace   = "analytics"
    annotations = { "eks.amazonaws.com/role-arn" = module.reports_irsa.${output} }
  }
}
`;

const karpenter = (output: string): string => `//- /infra/karpenter.tf
module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name = "orbit"
}

output "controller_role_arn" {
  value = module.karpenter.${output}
}
`;

describe(`fixes for ${RULE}`, () => {
  it("renames the 6.x iam naming to the karpenter submodule's 21.x output", () => {
    checkFix({ rule: RULE, title: 'Use `module.karpenter.iam_role_arn`', preferred: true, before: karpenter('arn'), after: karpenter('iam_role_arn') });
  });

  it("renames a 5.x output to the 6.x module's", () => {
    checkFix({ rule: RULE, title: 'Use `module.reports_irsa.arn`', preferred: true, before: workspace('iam_role_arn'), after: workspace('arn') });
  });
});
