/**
 * Local modules through the incremental workspace: an edit on either side
 * of a call (the caller's inputs, the module's trust policy) re-reads the
 * other side, and a call added later gives the module a new instance.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis';
import { Workspace } from '../../server/src/index/workspace';
import { initParsers } from '../../server/src/node/host';

const ROOT = 'file:///w/infra/main.tf';
const CHILD = 'file:///w/infra/modules/irsa/main.tf';

before(async () => {
  await initParsers();
});

function child(subject: string): string {
  return `variable "namespace" {}
variable "service_account" {}
resource "aws_iam_role" "this" {
  name = "irsa-\${var.service_account}"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = {
        "oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:sub" = "${subject}"
        "oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:aud" = "sts.amazonaws.com"
      } }
    }]
  })
}
output "role_arn" {
  value = aws_iam_role.this.arn
}
`;
}

function root(namespace: string, extraCall = ''): string {
  return `module "reports" {
  source          = "./modules/irsa"
  namespace       = "${namespace}"
  service_account = "reports"
}
${extraCall}
resource "kubernetes_service_account_v1" "reports" {
  metadata {
    name        = "reports"
    namespace   = "analytics"
    annotations = { "eks.amazonaws.com/role-arn" = module.reports.role_arn }
  }
}
`;
}

const mismatches = (workspace: Workspace): string[] =>
  analyze(workspace)
    .findings.filter((f) => f.ruleId === 'sa-role-trust-mismatch')
    .map((f) => `${f.span.uri}:${f.span.range.start.line}`);

describe('local modules in the incremental workspace', () => {
  it("re-reads the module when the caller's inputs change, and the caller when the module changes", () => {
    const workspace = new Workspace();
    workspace.setFile(CHILD, child('system:serviceaccount:${var.namespace}:${var.service_account}'));
    workspace.setFile(ROOT, root('analytics'));
    assert.deepEqual(mismatches(workspace), []);

    workspace.setFile(ROOT, root('reporting'));
    assert.deepEqual(mismatches(workspace), [`${ROOT}:10`], 'the namespace passed in no longer matches');

    workspace.setFile(ROOT, root('analytics'));
    assert.deepEqual(mismatches(workspace), []);

    workspace.setFile(CHILD, child('system:serviceaccount:default:${var.service_account}'));
    assert.deepEqual(mismatches(workspace), [`${ROOT}:10`], 'the module now pins another namespace');

    workspace.removeFile(CHILD);
    assert.deepEqual(mismatches(workspace), [], 'without the module its output is unknown again');
  });

  it('gives the module an instance per call, including a call added later', () => {
    const workspace = new Workspace();
    workspace.setFile(CHILD, child('system:serviceaccount:${var.namespace}:${var.service_account}'));
    workspace.setFile(ROOT, root('analytics'));
    const roleNames = (): string[] => workspace.model().roles.map((r) => r.name.segments.map((s) => (s.kind === 'text' ? s.text : '?')).join('')).sort();
    assert.deepEqual(roleNames(), ['irsa-reports']);
    workspace.setFile(ROOT, root('analytics', 'module "billing" {\n  source          = "./modules/irsa"\n  namespace       = "billing"\n  service_account = "invoices"\n}\n'));
    assert.deepEqual(roleNames(), ['irsa-invoices', 'irsa-reports']);
  });
});
