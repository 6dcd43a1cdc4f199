/**
 * "Create role for this ServiceAccount": applied, the ServiceAccount links
 * to a role whose trust admits it, and the analysis finds nothing new.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis';
import { createRoleAssists } from '../../server/src/ide/create-role';
import { applyFix } from '../../server/src/edit/edits';
import { fixContextOf } from '../../server/src/rules/fixes';
import { trustVerdict } from '../../server/src/index/links';
import type { Workspace } from '../../server/src/index/workspace';
import { initParsers } from '../../server/src/node/host';
import { withCursor } from '../support/cursor';

before(async () => {
  await initParsers();
});

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';
const JSON_TRUST = `//- /roles/other.json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${ISSUER}" },
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": { "StringEquals": { "${ISSUER}:sub": "system:serviceaccount:a:other", "${ISSUER}:aud": "sts.amazonaws.com" } }
  }]
}
//- /k8s/other.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: other
  namespace: a
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/other
`;

/** Applies the one assist at the cursor; returns the new workspace and the files it wrote. */
function applyAssist(fixture: string): { workspace: Workspace; files: Map<string, string>; title: string } {
  const f = withCursor(fixture);
  const before = analyze(f.workspace).findings.map((x) => `${x.ruleId} ${x.span.uri}`);
  const fixes = createRoleAssists(fixContextOf(f.workspace), f.uri, f.position);
  assert.equal(fixes.length, 1);
  const files = applyFix((uri) => f.workspace.text(uri), fixes[0]!);
  for (const [uri, text] of files) f.workspace.setFile(uri, text);
  const after = analyze(f.workspace).findings.map((x) => `${x.ruleId} ${x.span.uri}`);
  assert.deepEqual(after.filter((x) => !before.includes(x)), [], 'no new finding');
  const model = f.workspace.model();
  const sa = model.serviceAccounts.find((s) => s.span.uri === f.uri && s.name.value.segments.some((x) => x.kind === 'text' && x.text === 'app'))!;
  const links = model.roleLinks(sa);
  assert.equal(links.length, 1, 'the ServiceAccount now links to a role');
  assert.equal(trustVerdict(model, links[0]!.role, sa).kind, 'admits');
  assert.deepEqual(createRoleAssists(fixContextOf(f.workspace), f.uri, f.position), [], 'not offered again');
  return { workspace: f.workspace, files, title: fixes[0]!.title };
}

describe('create role for this ServiceAccount', () => {
  it('writes a JSON trust file beside the workspace’s and annotates an unannotated YAML ServiceAccount', () => {
    const { files, title } = applyAssist(`${JSON_TRUST}//- /k8s/app.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ap$0p
  namespace: demo
`);
    assert.equal(title, 'IRSA: Create role for this ServiceAccount (app-trust.json)');
    assert.equal(files.get('file:///fixture/k8s/app.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n  namespace: demo\n');
    assert.match(files.get('file:///fixture/roles/app-trust.json')!, /"oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:sub": "system:serviceaccount:demo:app"/);
  });

  it('replaces a role ARN that resolves to no role', () => {
    const { files } = applyAssist(`${JSON_TRUST}//- /k8s/app.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: demo
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/mis$0sing
`);
    assert.match(files.get('file:///fixture/k8s/app.yaml')!, /role-arn: arn:aws:iam::111122223333:role\/app\n/);
  });

  it('writes Terraform beside a Terraform ServiceAccount, with the module’s EKS issuer and a reference annotation', () => {
    const { files, title } = applyAssist(`//- /tf/main.tf
module "eks" {
  source       = "terraform-aws-modules/eks/aws"
  version      = "~> 20.0"
  cluster_name = "demo"
}

resource "kubernetes_service_account_v1" "app" {
  metadata {
    name      = "ap$0p"
    namespace = "demo"
  }
}
`);
    assert.equal(title, 'IRSA: Create role for this ServiceAccount (app-irsa.tf)');
    assert.match(files.get('file:///fixture/tf/main.tf')!, /name      = "app"\n    annotations = \{\n      "eks.amazonaws.com\/role-arn" = aws_iam_role.app.arn\n    \}\n/);
    assert.match(files.get('file:///fixture/tf/app-irsa.tf')!, /variable = "\$\{module\.eks\.oidc_provider\}:sub"/);
  });

  it('is not offered on an annotated ServiceAccount whose role resolves, nor away from ServiceAccounts', () => {
    const f = withCursor(JSON_TRUST.replace('name: other', 'name: oth$0er'));
    assert.deepEqual(createRoleAssists(fixContextOf(f.workspace), f.uri, f.position), []);
    assert.deepEqual(createRoleAssists(fixContextOf(f.workspace), f.uri, { line: 0, character: 0 }), []);
  });
});
