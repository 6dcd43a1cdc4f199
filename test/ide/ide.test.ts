/**
 * The IDE queries over fixture workspaces, with a `$0` cursor: what is at a
 * position, and where each feature leads from there.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { codeLenses } from '../../server/src/ide/code-lens';
import { completion } from '../../server/src/ide/completion';
import { definition } from '../../server/src/ide/definition';
import { hover } from '../../server/src/ide/hover';
import { references } from '../../server/src/ide/references';
import { documentSymbols } from '../../server/src/ide/symbols';
import type { LiveFacts } from '../../server/src/live/types';
import { initParsers } from '../../server/src/node/host';
import { placeOf, withCursor } from '../support/cursor';
import { FIXTURE_ROOT } from '../support/fixture';

before(async () => {
  await initParsers();
});

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`;

/** A JSON trust file (role `s3-reader` by file name) pinning prod/s3-reader, and Terraform role `logs-writer`. */
function workspace(cursor: { trust?: string; sa?: string; tf?: string; extra?: string }): string {
  return `
//- /roles/s3-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "S3Reader",
      "Effect": "Allow",
      "Principal": { "Federated": "${PROVIDER}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "${ISSUER}:sub": "${cursor.trust ?? 'system:serviceaccount:prod:s3-reader'}",
          "${ISSUER}:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
//- /k8s/sa.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: s3-reader
  namespace: prod
  annotations:
    eks.amazonaws.com/role-arn: ${cursor.sa ?? 'arn:aws:iam::111122223333:role/s3-reader'}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: s3-reader
  namespace: demo
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/s3-reader
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: plain
  namespace: prod
//- /tf/main.tf
data "aws_iam_policy_document" "logs" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["${PROVIDER}"]
    }
    condition {
      test     = "StringLike"
      variable = "${ISSUER}:sub"
      values   = ["${cursor.tf ?? 'system:serviceaccount:logging:*'}"]
    }
  }
}

resource "aws_iam_role" "logs" {
  name               = "logs-writer"
  assume_role_policy = data.aws_iam_policy_document.logs.json
}

resource "kubernetes_service_account_v1" "logs" {
  metadata {
    name      = "logs-writer"
    namespace = "logging"
    annotations = {
      "eks.amazonaws.com/role-arn" = ${cursor.extra ?? 'aws_iam_role.logs.arn'}
    }
  }
}
`;
}

const first = `${FIXTURE_ROOT}/k8s/sa.yaml`;

describe('definition', () => {
  it('goes from a role-arn annotation to the role and its trust statement', () => {
    const f = withCursor(workspace({ sa: 'arn:aws:iam::111122223333:role/s3-r$0eader' }));
    const spans = definition(f.workspace.model(), f.uri, f.position);
    assert.deepEqual(spans.map(placeOf), ['/roles/s3-reader.json:1:1', '/roles/s3-reader.json:4:5']);
  });

  it('goes from a Terraform reference to the role block and its policy document statement', () => {
    const f = withCursor(workspace({ extra: 'aws_iam_role.lo$0gs.arn' }));
    assert.deepEqual(definition(f.workspace.model(), f.uri, f.position).map(placeOf), ['/tf/main.tf:16:1', '/tf/main.tf:2:3']);
  });

  it('goes from a sub value to the ServiceAccount it names, and from a wildcard to each it matches', () => {
    const exact = withCursor(workspace({ trust: 'system:serviceaccount:prod:s3-$0reader' }));
    assert.deepEqual(definition(exact.workspace.model(), exact.uri, exact.position).map(placeOf), ['/k8s/sa.yaml:4:9']);
    const wild = withCursor(workspace({ tf: 'system:serviceaccount:logging:$0*' }));
    assert.deepEqual(definition(wild.workspace.model(), wild.uri, wild.position).map(placeOf), ['/tf/main.tf:23:17']);
  });

  it('is empty for an ARN no role matches, an unknown document and an out-of-range position', () => {
    const f = withCursor(workspace({ sa: 'arn:aws:iam::111122223333:role/else$0where' }));
    const model = f.workspace.model();
    assert.deepEqual(definition(model, f.uri, f.position), []);
    assert.deepEqual(definition(model, 'file:///nowhere.yaml', { line: 0, character: 0 }), []);
    assert.deepEqual(definition(model, first, { line: 9999, character: 9999 }), []);
  });
});

describe('references', () => {
  it('from a role finds every ServiceAccount whose role ARN links to it', () => {
    const f = withCursor(workspace({}).replace('//- /roles/s3-reader.json\n{', '//- /roles/s3-reader.json\n{$0'));
    const model = f.workspace.model();
    assert.deepEqual(references(model, f.uri, f.position, false).map(placeOf), ['/k8s/sa.yaml:7:33', '/k8s/sa.yaml:15:33']);
    assert.deepEqual(references(model, f.uri, f.position, true).map(placeOf)[0], '/roles/s3-reader.json:1:1');
  });

  it('from a Terraform role header and from a role ARN alike', () => {
    const header = withCursor(workspace({}).replace('resource "aws_iam_role" "logs"', 'resource "aws_iam_role" "lo$0gs"'));
    assert.deepEqual(references(header.workspace.model(), header.uri, header.position, false).map(placeOf), ['/tf/main.tf:26:38']);
    const arn = withCursor(workspace({ sa: 'arn:aws:iam::111122223333:$0role/s3-reader' }));
    assert.equal(references(arn.workspace.model(), arn.uri, arn.position, false).length, 2);
  });

  it('from a ServiceAccount finds the sub values that admit it', () => {
    const f = withCursor(workspace({}).replace('name      = "logs-writer"', 'name      = "logs-$0writer"'));
    assert.deepEqual(references(f.workspace.model(), f.uri, f.position, false).map(placeOf), ['/tf/main.tf:11:19']);
  });
});

describe('hover', () => {
  it('on a sub value lists the ServiceAccounts it admits with their link status', () => {
    const f = withCursor(workspace({ trust: 'system:serviceaccount:prod:s3-$0reader' }));
    const h = hover(f.workspace.model(), f.uri, f.position, { rootUri: FIXTURE_ROOT });
    assert.ok(h);
    assert.match(h.markdown, /Admits 1 ServiceAccount of the workspace/);
    assert.match(h.markdown, /`prod\/s3-reader` \(\[k8s\/sa\.yaml:4\]\(file:\/\/\/fixture\/k8s\/sa\.yaml#L4\)\): uses this role \(by role name, matched to the trust policy file name\)/);
  });

  it('on a sub value says when a ServiceAccount is not annotated or uses another role, and when none has the subject', () => {
    const plain = withCursor(workspace({ trust: 'system:serviceaccount:prod:pl$0ain' }));
    assert.match(hover(plain.workspace.model(), plain.uri, plain.position)!.markdown, /`prod\/plain` .*: not annotated with a role ARN/);
    const other = withCursor(workspace({ tf: 'system:serviceaccount:prod:s3-$0reader' }));
    assert.match(hover(other.workspace.model(), other.uri, other.position)!.markdown, /uses another role: `s3-reader`/);
    const none = withCursor(workspace({ trust: 'system:serviceaccount:x:$0y' }));
    assert.match(hover(none.workspace.model(), none.uri, none.position)!.markdown, /No ServiceAccount of the workspace has this subject/);
  });

  it('on a role-arn annotation shows the role, how it was linked, and whether its trust admits the ServiceAccount', () => {
    const admitted = withCursor(workspace({ sa: 'arn:aws:iam::111122223333:role/s3$0-reader' }));
    const h = hover(admitted.workspace.model(), admitted.uri, admitted.position, { rootUri: FIXTURE_ROOT })!;
    assert.match(h.markdown, /Role `s3-reader` \(\[roles\/s3-reader\.json:1\].*linked by role name, matched to the trust policy file name/);
    assert.match(h.markdown, /admits `system:serviceaccount:prod:s3-reader`/);
    assert.deepEqual(h.range, { start: { line: 6, character: 32 }, end: { line: 6, character: 72 } });
    // The second ServiceAccount (demo) uses the same role, whose trust does not admit it.
    const rejected = withCursor(workspace({}).replace('role-arn: arn:aws:iam::111122223333:role/s3-reader\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: plain', 'role-arn: arn:aws:iam::111122223333:role/s3-re$0ader\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: plain'));
    assert.match(hover(rejected.workspace.model(), rejected.uri, rejected.position)!.markdown, /does \*\*not\*\* admit `system:serviceaccount:demo:s3-reader`/);
  });

  it('says unknown for a role outside the workspace, and nothing away from the links', () => {
    const f = withCursor(workspace({ sa: 'arn:aws:iam::111122223333:role/else$0where' }));
    assert.match(hover(f.workspace.model(), f.uri, f.position)!.markdown, /No role of the workspace matches `arn:aws:iam::111122223333:role\/elsewhere`.*unknown/);
    const away = withCursor(workspace({}).replace('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s3-reader\n  namespace: prod', 'api$0Version: v1\nkind: ServiceAccount\nmetadata:\n  name: s3-reader\n  namespace: prod'));
    assert.equal(hover(away.workspace.model(), away.uri, away.position), undefined);
  });
});

describe('completion', () => {
  it('inside a sub value offers the workspace ServiceAccounts, sorted, replacing the value between its quotes', () => {
    const f = withCursor(workspace({ trust: 'system:serviceaccount:$0' }));
    const items = completion(f.workspace.model(), f.workspace.lines(f.uri), f.uri, f.position, { rootUri: FIXTURE_ROOT });
    assert.deepEqual(
      items.map((i) => i.label),
      ['system:serviceaccount:demo:s3-reader', 'system:serviceaccount:logging:logs-writer', 'system:serviceaccount:prod:plain', 'system:serviceaccount:prod:s3-reader'],
    );
    assert.deepEqual(items[0]!.range, { start: { line: 10, character: 87 }, end: { line: 10, character: 109 } });
    assert.equal(items[0]!.detail, 'ServiceAccount demo/s3-reader, k8s/sa.yaml:12');
  });

  it('inside a role-arn annotation offers the roles as ARNs with the workspace account', () => {
    const f = withCursor(workspace({ sa: 'arn:$0' }));
    const items = completion(f.workspace.model(), f.workspace.lines(f.uri), f.uri, f.position);
    assert.deepEqual(
      items.map((i) => i.newText),
      ['arn:aws:iam::111122223333:role/logs-writer', 'arn:aws:iam::111122223333:role/s3-reader'],
    );
    assert.deepEqual(items[0]!.range, { start: { line: 6, character: 32 }, end: { line: 6, character: 36 } });
  });

  it('on an annotation still without a value, and not at all when the account is unknown (Terraform references instead, in the role’s module)', () => {
    const empty = withCursor(workspace({ sa: '$0' }));
    assert.equal(completion(empty.workspace.model(), empty.workspace.lines(empty.uri), empty.uri, empty.position).length, 2);
    const noAccount = (text: string): string => text.replaceAll('111122223333', '${var.account}').replace(`"Federated": "arn:aws:iam::\${var.account}`, '"Federated": "arn:aws:iam::${var.account}');
    const yaml = withCursor(noAccount(workspace({ sa: 'x$0' })));
    assert.deepEqual(completion(yaml.workspace.model(), yaml.workspace.lines(yaml.uri), yaml.uri, yaml.position), []);
    const tf = withCursor(noAccount(workspace({ extra: '"$0"' })));
    assert.deepEqual(
      completion(tf.workspace.model(), tf.workspace.lines(tf.uri), tf.uri, tf.position).map((i) => i.newText),
      ['aws_iam_role.logs.arn'],
    );
  });

  it('offers the ARN outputs of role modules in the same Terraform directory: terraform-aws-modules/iam 5.x and 6.x, the karpenter submodule', () => {
    const modules = `
module "reader_v5" {
  source    = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version   = "5.60.0"
  role_name = "reader-v5"
  oidc_providers = { main = { provider_arn = var.provider_arn, namespace_service_accounts = ["apps:reader"] } }
}

module "reader_v6" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "~> 6.0"
  name    = "reader-v6"
  oidc_providers = { main = { provider_arn = var.provider_arn, namespace_service_accounts = ["apps:reader"] } }
}

module "karpenter" {
  source       = "terraform-aws-modules/eks/aws//modules/karpenter"
  version      = "~> 21.0"
  cluster_name = "batch"
}
`;
    const noAccount = (text: string): string => text.replaceAll('111122223333', '${var.account}');
    const tf = withCursor(noAccount(workspace({ extra: '"$0"' })) + modules);
    assert.deepEqual(
      completion(tf.workspace.model(), tf.workspace.lines(tf.uri), tf.uri, tf.position).map((i) => i.newText),
      ['aws_iam_role.logs.arn', 'module.karpenter.iam_role_arn', 'module.reader_v5.iam_role_arn', 'module.reader_v6.arn'],
    );
  });

  it('is empty elsewhere and on unknown documents', () => {
    const f = withCursor(workspace({}).replace('"Version"', '"Ver$0sion"'));
    assert.deepEqual(completion(f.workspace.model(), f.workspace.lines(f.uri), f.uri, f.position), []);
    assert.deepEqual(completion(f.workspace.model(), undefined, 'file:///nowhere.json', f.position), []);
  });
});

describe('code lens and symbols', () => {
  it('counts, per role, the ServiceAccounts its trust admits and those whose role ARN links to it', () => {
    const f = withCursor(workspace({ sa: '$0arn:aws:iam::111122223333:role/s3-reader' }));
    const model = f.workspace.model();
    assert.deepEqual(
      codeLenses(model, `${FIXTURE_ROOT}/roles/s3-reader.json`).map((l) => l.title),
      ['trusted by 1 ServiceAccount', 'used by 2'],
    );
    const tf = codeLenses(model, `${FIXTURE_ROOT}/tf/main.tf`);
    assert.deepEqual(tf.map((l) => l.title), ['trusted by 1 ServiceAccount', 'used by 1']);
    // Each lens opens the list it counts: the ServiceAccount its trust admits, the role ARN that uses it.
    assert.deepEqual(tf[0]!.locations.map(placeOf), ['/tf/main.tf:23:17']);
    assert.deepEqual(tf[1]!.locations.map(placeOf), ['/tf/main.tf:26:38']);
  });

  it('adds what IAM holds for the role when live checks ran: its policies, or that it does not exist', () => {
    const arn = 'arn:aws:iam::111122223333:role/s3-reader';
    const f = withCursor(workspace({ sa: `$0${arn}` }));
    const model = f.workspace.model();
    const at = Date.UTC(2026, 11, 3, 8, 5);
    const found: LiveFacts = { clusters: [], roles: new Map([[arn, { kind: 'found', arn, trustPolicy: '{}', attachedPolicies: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::111122223333:policy/reports'], inlinePolicies: ['extra'], fetchedAt: at }]]) };
    assert.deepEqual(
      codeLenses(model, `${FIXTURE_ROOT}/roles/s3-reader.json`, found).map((l) => l.title),
      ['trusted by 1 ServiceAccount', 'used by 2', 'IAM: 2 managed policies, 1 inline policy (2026-12-03 08:05 UTC)'],
    );
    const missing: LiveFacts = { clusters: [], roles: new Map([[arn, { kind: 'missing', arn, fetchedAt: at }]]) };
    assert.equal(codeLenses(model, `${FIXTURE_ROOT}/roles/s3-reader.json`, missing).at(-1)?.title, 'IAM: no such role (2026-12-03 08:05 UTC)');
    // Not asked, or asked and unanswered: no lens, never a guess.
    const unknown: LiveFacts = { clusters: [], roles: new Map([[arn, { kind: 'unknown', arn }]]) };
    assert.equal(codeLenses(model, `${FIXTURE_ROOT}/roles/s3-reader.json`, unknown).length, 2);
    assert.equal(codeLenses(model, `${FIXTURE_ROOT}/roles/s3-reader.json`, { clusters: [] }).length, 2);
  });

  it('says when a trust policy is missing from the workspace, and when it is computed', () => {
    const f = withCursor(
      workspace({}) +
        `//- /tf/more.tf
resource "aws_iam_role" "elsewhere" {
  name               = "elsewhere"
  assume_role_policy = file("\${path.module}/policies/not-here.json")
}

resource "aws_iam_role" "computed" {
  name               = "computed"
  assume_role_policy = var.trust_po$0licy
}
`,
    );
    assert.deepEqual(
      codeLenses(f.workspace.model(), `${FIXTURE_ROOT}/tf/more.tf`).map((l) => l.title),
      ['trust policy not in the workspace', 'used by 0', 'trust policy unknown', 'used by 0'],
    );
  });

  it('lists roles, trust policies with their statements, and ServiceAccounts per file', () => {
    const f = withCursor(workspace({ sa: '$0arn:aws:iam::111122223333:role/s3-reader' }));
    const model = f.workspace.model();
    const json = documentSymbols(model, `${FIXTURE_ROOT}/roles/s3-reader.json`);
    assert.deepEqual(json.map((s) => [s.kind, s.name, s.children.map((c) => c.name)]), [
      ['role', 's3-reader', []],
      ['trust-policy', 'trust policy of s3-reader', ['S3Reader']],
    ]);
    const tf = documentSymbols(model, `${FIXTURE_ROOT}/tf/main.tf`);
    assert.deepEqual(tf.map((s) => [s.kind, s.name, s.children.map((c) => c.name)]), [
      ['trust-policy', 'trust policy of logs-writer', ['system:serviceaccount:logging:*']],
      ['role', 'logs-writer', []],
      ['service-account', 'logging/logs-writer', []],
    ]);
    assert.deepEqual(documentSymbols(model, first).map((s) => s.name), ['prod/s3-reader', 'demo/s3-reader', 'prod/plain']);
  });
});

/**
 * The karpenter submodule's controller role (21.x): a role of the model
 * whose trust is the module's Pod Identity statement merged with the IRSA
 * document passed in `iam_role_source_assume_policy_documents`.
 */
function karpenterWorkspace(cursor: { sa?: string; sub?: string; version?: string }): string {
  return `
//- /infra/karpenter.tf
data "aws_iam_policy_document" "karpenter_irsa" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["${PROVIDER}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${ISSUER}:sub"
      values   = ["${cursor.sub ?? 'system:serviceaccount:karpenter:karpenter'}"]
    }
  }
}

module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "${cursor.version ?? '~> 21.0'}"

  cluster_name = "batch"
  namespace    = "karpenter"

  iam_role_source_assume_policy_documents = [data.aws_iam_policy_document.karpenter_irsa.json]
}

resource "helm_release" "karpenter" {
  name      = "karpenter"
  namespace = "karpenter"
  chart     = "karpenter"

  values = [yamlencode({
    serviceAccount = {
      name        = "karpenter"
      annotations = { "eks.amazonaws.com/role-arn" = ${cursor.sa ?? 'module.karpenter.iam_role_arn'} }
    }
  })]
}
`;
}

describe('the karpenter controller role', () => {
  const tf = `${FIXTURE_ROOT}/infra/karpenter.tf`;

  it('goes from module.karpenter.iam_role_arn to the module and the document statement that admits the ServiceAccount', () => {
    const f = withCursor(karpenterWorkspace({ sa: 'module.karpenter.iam_r$0ole_arn' }));
    assert.deepEqual(definition(f.workspace.model(), f.uri, f.position).map(placeOf), ['/infra/karpenter.tf:16:1', '/infra/karpenter.tf:2:3']);
  });

  it('hovers the role ARN with the link by reference and the merged trust verdict', () => {
    const f = withCursor(karpenterWorkspace({ sa: 'module.karpenter.iam_r$0ole_arn' }));
    const h = hover(f.workspace.model(), f.uri, f.position, { rootUri: FIXTURE_ROOT })!;
    assert.match(h.markdown, /Role `module\.karpenter` \(name `KarpenterController-<suffix Terraform generates \(iam_role_use_name_prefix\)>`\) \(\[infra\/karpenter\.tf:16\]/);
    assert.match(h.markdown, /linked by reference\./);
    assert.match(h.markdown, /Its trust policy \(\[infra\/karpenter\.tf:16\]\(.*\)\) admits `system:serviceaccount:karpenter:karpenter`\./);
    const rejected = withCursor(karpenterWorkspace({ sa: 'module.karpenter.iam_r$0ole_arn', sub: 'system:serviceaccount:kube-system:karpenter' }));
    assert.match(hover(rejected.workspace.model(), rejected.uri, rejected.position)!.markdown, /does \*\*not\*\* admit `system:serviceaccount:karpenter:karpenter`/);
  });

  it('hovers a sub value of the document as a value of the role: the ServiceAccount uses this role', () => {
    const f = withCursor(karpenterWorkspace({ sub: 'system:serviceaccount:karpenter:karp$0enter' }));
    assert.match(hover(f.workspace.model(), f.uri, f.position)!.markdown, /`karpenter\/karpenter` .*: uses this role \(by reference\)/);
  });

  it('puts a lens on the module header and finds the ServiceAccount from it', () => {
    const f = withCursor(karpenterWorkspace({}).replace('module "karpenter" {', 'module "karp$0enter" {'));
    const model = f.workspace.model();
    const lenses = codeLenses(model, tf);
    assert.deepEqual(lenses.map((l) => [l.range.start.line + 1, l.title]), [[16, 'trusted by 1 ServiceAccount'], [16, 'used by 1']]);
    assert.deepEqual(references(model, f.uri, f.position, false).map(placeOf), ['/infra/karpenter.tf:34:54']);
    assert.deepEqual(
      documentSymbols(model, tf).filter((s) => s.kind !== 'service-account').map((s) => [s.kind, s.name]),
      [
        ['trust-policy', 'trust policy of module.karpenter'],
        ['role', 'module.karpenter'],
        ['trust-policy', 'trust policy of module.karpenter'],
      ],
    );
  });

  it('links, without a trust verdict, when the version does not say 20.x or 21.x', () => {
    const f = withCursor(karpenterWorkspace({ sa: 'module.karpenter.iam_r$0ole_arn', version: '>= 19.0' }));
    const model = f.workspace.model();
    assert.deepEqual(definition(model, f.uri, f.position).map(placeOf), ['/infra/karpenter.tf:16:1']);
    assert.match(hover(model, f.uri, f.position)!.markdown, /Unknown whether its trust policy admits/);
    assert.deepEqual(codeLenses(model, tf).map((l) => l.title), ['trust policy unknown', 'used by 1']);
    // 19.x's `iam_role_arn` is the node role's: no link.
    const old = withCursor(karpenterWorkspace({ sa: 'module.karpenter.iam_r$0ole_arn', version: '~> 19.0' }));
    assert.deepEqual(definition(old.workspace.model(), old.uri, old.position), []);
  });
});
