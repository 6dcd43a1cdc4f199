/** Fixes for imds-hop-limit in Terraform, terraform-aws-modules/eks node groups and eksctl. */
import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix } from '../../support/fixes';

before(async () => {
  await initParsers();
});

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
