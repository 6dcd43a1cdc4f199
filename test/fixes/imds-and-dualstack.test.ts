/** Fixes for imds-hop-limit (Terraform, terraform-aws-modules/eks node groups and eksctl) and oidc-provider-dualstack. */
import { before, describe, it } from 'node:test';
import { initParsers } from '../../server/src/node/host';
import { checkFix } from '../support/fixes';

before(async () => {
  await initParsers();
});

const ISSUER_ID = '5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';

describe('fixes for imds-hop-limit', () => {
  const terraform = (hops: string): string => `//- /infra/nodes.tf
resource "aws_launch_template" "nodes" {
  name_prefix = "payments-nodes-"

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = ${hops}
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name  = "payments"
  node_role_arn = "arn:aws:iam::111122223333:role/payments-nodes"
  subnet_ids    = ["subnet-0a1b2c3d"]

  launch_template {
    name    = aws_launch_template.nodes.name
    version = "$Latest"
  }
}
`;

  it('sets the hop limit to 1', () => {
    checkFix({ rule: 'imds-hop-limit', title: 'Set `http_put_response_hop_limit = 1`', preferred: true, before: terraform('2'), after: terraform('1') });
  });

  it('sets the hop limit to 1 in a terraform-aws-modules/eks node group', () => {
    const eks = (hops: string): string => `//- /infra/eks.tf
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "payments"

  eks_managed_node_groups = {
    default = {
      metadata_options = {
        http_tokens                 = "required"
        http_put_response_hop_limit = ${hops}
      }
    }
  }
}
`;
    checkFix({ rule: 'imds-hop-limit', title: 'Set `http_put_response_hop_limit = 1`', preferred: true, before: eks('2'), after: eks('1') });
  });

  it('sets the hop limit to 1 where a local in another file writes it', () => {
    const eks = `//- /infra/eks.tf
module "eks" {
  source = "terraform-aws-modules/eks/aws"

  cluster_name = "payments"

  self_managed_node_groups = {
    legacy = { metadata_options = local.node_metadata }
  }
}
`;
    const locals = (hops: string): string => `//- /infra/locals.tf
locals {
  node_metadata = { http_put_response_hop_limit = ${hops} }
}
`;
    checkFix({ rule: 'imds-hop-limit', title: 'Set `http_put_response_hop_limit = 1`', before: eks + locals('"3"'), after: locals('1') });
  });

  it('adds disablePodIMDS to the eksctl node group at its indentation', () => {
    const config = (extra: string): string => `//- /cluster.yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: payments
  region: eu-west-1
managedNodeGroups:
    - name: default
      disableIMDSv1: true
${extra}      instanceType: m6i.large
`;
    checkFix({ rule: 'imds-hop-limit', title: 'Add `disablePodIMDS: true` to the node group', before: config(''), after: config('      disablePodIMDS: true\n') });
  });
});

describe('fixes for oidc-provider-dualstack', () => {
  it('replaces the host in a provider URL, keeping the issuer id', () => {
    const provider = (host: string): string => `//- /infra/oidc.tf
resource "aws_iam_openid_connect_provider" "eks" {
  url             = "https://${host}/id/${ISSUER_ID}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}
`;
    checkFix({
      rule: 'oidc-provider-dualstack',
      title: 'Use `oidc.eks.eu-west-1.amazonaws.com`, the issuer host tokens carry',
      preferred: true,
      before: provider('oidc-eks.eu-west-1.api.aws'),
      after: provider('oidc.eks.eu-west-1.amazonaws.com'),
    });
  });

  it('replaces the host in a JSON Federated principal', () => {
    const trust = (host: string): string => `//- /iam/exporter-trust.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${host}/id/${ISSUER_ID}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "oidc.eks.eu-west-1.amazonaws.com/id/${ISSUER_ID}:sub": "system:serviceaccount:billing:exporter",
          "oidc.eks.eu-west-1.amazonaws.com/id/${ISSUER_ID}:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`;
    checkFix({
      rule: 'oidc-provider-dualstack',
      title: 'Use `oidc.eks.eu-west-1.amazonaws.com`, the issuer host tokens carry',
      before: trust('oidc-eks.eu-west-1.api.aws'),
      after: trust('oidc.eks.eu-west-1.amazonaws.com'),
    });
  });

  it('pins terraform-aws-modules/eks 21.0.1 instead of 21.0.0', () => {
    const eks = (version: string): string => `//- /infra/eks.tf
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "${version}"

  name = "payments"
}
`;
    checkFix({ rule: 'oidc-provider-dualstack', title: 'Pin `version = "21.0.1"`, which registers `oidc.eks…` again', before: eks('21.0.0'), after: eks('21.0.1') });
  });
});
