/** Fixes for karpenter-v21-removed-inputs: the removed inputs deleted, the IRSA namespace moved to `namespace`. */
import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix } from '../../support/fixes';

before(async () => {
  await initParsers();
});

describe('fixes for karpenter-v21-removed-inputs', () => {
  const module = (body: string): string => `//- /infra/karpenter.tf
module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name = "batch"
${body}}
`;

  it('deletes the argument line', () => {
    checkFix({
      rule: 'karpenter-v21-removed-inputs',
      title: 'Delete `enable_v1_permissions`',
      preferred: true,
      before: module('  enable_v1_permissions = true\n'),
      after: module(''),
    });
  });

  it('moves the IRSA namespace and ServiceAccount into the 21.x inputs', () => {
    checkFix({
      rule: 'karpenter-v21-removed-inputs',
      title: 'Replace `irsa_namespace_service_accounts` with `namespace = "karpenter"` and `service_account = "controller"`',
      before: module('  irsa_namespace_service_accounts = ["karpenter:controller"]\n'),
      after: module('  namespace = "karpenter"\n  service_account = "controller"\n'),
    });
  });

  it('deletes IRSA inputs one at a time, leaving the others reported', () => {
    checkFix({
      rule: 'karpenter-v21-removed-inputs',
      title: 'Delete `enable_irsa`',
      finding: 0,
      before: module('  enable_irsa            = true\n  irsa_oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E"\n'),
      after: module('  irsa_oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E"\n'),
    });
  });
});
