/**
 * The inventory of the `inventory` fixture workspace (roles in Terraform,
 * ServiceAccounts in YAML, a Helm values file and Terraform): every verdict
 * reached, the unused role and the ServiceAccount without a role listed
 * apart, no internal placeholder anywhere, and the live columns from
 * hand-built `LiveFacts` (the inventory is a pure function of them).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Inventory, InventoryRow } from '../../shared/inventory';
import { Workspace } from '../../server/src/index/workspace';
import { concat, known, unknown, type StrValue } from '../../server/src/common/value';
import type { Role } from '../../server/src/facts/types';
import { buildInventory, roleName } from '../../server/src/inventory/model';
import type { LiveFacts, LiveRole } from '../../server/src/live/types';
import { initParsers, loadWorkspace } from '../../server/src/node/host';

const ROOT = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspaces', 'inventory');

let workspace: Workspace;
before(async () => {
  await initParsers();
  workspace = new Workspace();
  loadWorkspace(workspace, ROOT);
});

function row(inventory: Inventory, namespace: string, serviceAccount: string): InventoryRow {
  const found = inventory.rows.find((r) => r.namespace === namespace && r.serviceAccount === serviceAccount);
  assert.ok(found, `no row for ${namespace}/${serviceAccount}: ${inventory.rows.map((r) => `${r.namespace}/${r.serviceAccount}`).join(', ')}`);
  return found;
}

function file(location: { uri: string; range: { start: { line: number } } } | undefined): string {
  assert.ok(location);
  return `${path.relative(ROOT, decodeURIComponent(new URL(location.uri).pathname))}:${location.range.start.line + 1}`;
}

describe('inventory of a workspace', () => {
  it('gives each link the verdict the rules would', () => {
    const inventory = buildInventory(workspace.model());
    const verdicts = Object.fromEntries(inventory.rows.map((r) => [`${r.namespace}/${r.serviceAccount}`, r.verdict]));
    assert.deepEqual(verdicts, {
      '<release namespace>/external-dns': 'unknown',
      'analytics/report-runner': 'wildcard',
      'batch/batch-worker': 'unknown',
      'payment/payments-api': 'mismatch',
      'shop/catalog': 'shared',
      'shop/orders': 'sound',
      'shop/search': 'shared',
    });
  });

  it('names the role, its ARN, the cluster and both sources', () => {
    const orders = row(buildInventory(workspace.model()), 'shop', 'orders');
    assert.equal(orders.role, 'shop-orders');
    assert.equal(orders.roleArn, 'arn:aws:iam::111122223333:role/shop-orders');
    assert.equal(orders.cluster, 'shop-prod');
    assert.equal(file(orders.serviceAccountLocation), 'k8s/shop/orders.yaml:4');
    assert.equal(file(orders.trustLocation), 'terraform/roles.tf:6');
    assert.equal(file(orders.roleLocation), 'terraform/roles.tf:2');
    assert.equal(orders.statements.length, 1);
    assert.match(orders.statements[0]!.summary, /^Federated shop-prod; sub StringEquals system:serviceaccount:shop:orders; aud StringEquals sts\.amazonaws\.com$/);
    assert.equal(orders.live, undefined, 'no live columns without live facts');
  });

  it('shows what is unknown as the expression or what it is, never a placeholder', () => {
    const inventory = buildInventory(workspace.model());
    const worker = row(inventory, 'batch', 'batch-worker');
    assert.equal(worker.roleArn, '${var.worker_role_arn}');
    assert.match(worker.why, /computed \(\$\{var\.worker_role_arn\}\)/);
    const dns = row(inventory, '<release namespace>', 'external-dns');
    assert.equal(dns.role, 'external-dns');
    const text = JSON.stringify(inventory);
    assert.doesNotMatch(text, /\$\{\?\}|\[object Object\]|undefined/);
  });

  it('lists the role no ServiceAccount uses and the ServiceAccount without a role apart', () => {
    const inventory = buildInventory(workspace.model());
    assert.deepEqual(
      inventory.unusedRoles.map((r) => [r.role, r.cluster, r.subjects.join(' '), file(r.location)]),
      [['monitoring-legacy-exporter', 'shop-prod', 'system:serviceaccount:monitoring:legacy-exporter', 'terraform/roles.tf:75']],
    );
    assert.deepEqual(
      inventory.serviceAccountsWithoutRole.map((s) => [s.namespace, s.serviceAccount, s.podIdentity, file(s.location)]),
      [['shop', 'frontend', false, 'k8s/shop/catalog.yaml:20']],
    );
    assert.equal(inventory.liveOnly, undefined, 'no live-only list when Kubernetes was not asked');
  });

  it('says which pattern admits a wildcard link, or that no sub condition restricts it', () => {
    const reports = row(buildInventory(workspace.model()), 'analytics', 'report-runner');
    assert.equal(reports.why, 'Admitted by the pattern `system:serviceaccount:analytics:*` (StringLike): every ServiceAccount it matches can assume the role.');
    const scratch = new Workspace();
    loadWorkspace(scratch, ROOT);
    const uri = workspace.model().roles.find((r) => r.id.endsWith('aws_iam_role.reports'))!.span.uri;
    scratch.setFile(uri, scratch.text(uri)!.replace('"${local.oidc}:sub" = "system:serviceaccount:analytics:*"\n', ''));
    const open = row(buildInventory(scratch.model()), 'analytics', 'report-runner');
    assert.equal(open.verdict, 'wildcard');
    assert.equal(open.why, 'The trust statement has no sub condition: every ServiceAccount of the cluster can assume the role.');
  });

  it('follows an edit: pinning the payments trust to the manifest’s namespace makes the link sound', () => {
    const scratch = new Workspace();
    loadWorkspace(scratch, ROOT);
    const uri = workspace.model().serviceAccounts.find((sa) => sa.id.includes('orders.yaml'))!.span.uri;
    const text = scratch.text(uri)!;
    scratch.setFile(uri, text.replace('namespace: payment\n', 'namespace: payments\n'));
    assert.equal(row(buildInventory(scratch.model()), 'payments', 'payments-api').verdict, 'sound');
  });
});

describe('inventory with live facts', () => {
  const found = (name: string, attached: string[], inline: string[]): [string, LiveRole] => {
    const arn = `arn:aws:iam::111122223333:role/${name}`;
    return [arn, { kind: 'found', arn, trustPolicy: '{}', attachedPolicies: attached, inlinePolicies: inline, fetchedAt: 1 }];
  };
  const live: LiveFacts = {
    clusters: [],
    roles: new Map<string, LiveRole>([
      found('shop-orders', ['arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess'], ['orders-table']),
      found('monitoring-legacy-exporter', ['arn:aws:iam::111122223333:policy/metrics-read'], []),
      ['arn:aws:iam::111122223333:role/analytics-reports', { kind: 'missing', arn: 'arn:aws:iam::111122223333:role/analytics-reports', fetchedAt: 1 }],
      ['arn:aws:iam::111122223333:role/shop-payments', { kind: 'unknown', arn: 'arn:aws:iam::111122223333:role/shop-payments' }],
    ]),
    kubernetes: [
      {
        kind: 'read',
        context: 'prod',
        cluster: 'shop-prod',
        fetchedAt: 1,
        serviceAccounts: [
          { namespace: 'shop', name: 'orders', roleArn: 'arn:aws:iam::111122223333:role/shop-orders' },
          { namespace: 'shop', name: 'catalog', roleArn: 'arn:aws:iam::111122223333:role/shop-catalog-bucket-v2' },
          { namespace: 'shop', name: 'frontend' },
          { namespace: 'kube-system', name: 'external-dns', roleArn: 'arn:aws:iam::111122223333:role/external-dns' },
          { namespace: 'kube-system', name: 'cluster-autoscaler', roleArn: 'arn:aws:iam::111122223333:role/autoscaler' },
          { namespace: 'default', name: 'default' },
        ],
      },
      // A context that could not be read says nothing: no drift from it.
      { kind: 'unknown', context: 'staging', cluster: 'shop-staging' },
    ],
  };

  it('shows attached and inline policies, and a role IAM does not have', () => {
    const inventory = buildInventory(workspace.model(), live);
    const orders = row(inventory, 'shop', 'orders');
    assert.deepEqual(orders.live, { attachedPolicies: ['arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess'], inlinePolicies: ['orders-table'], drift: [] });
    assert.equal(row(inventory, 'analytics', 'report-runner').live?.roleMissing, true);
    // IAM could not be asked: no permissions, and no claim that the role is missing.
    assert.deepEqual(row(inventory, 'payment', 'payments-api').live?.attachedPolicies, undefined);
    assert.equal(row(inventory, 'payment', 'payments-api').live?.roleMissing, undefined);
    assert.deepEqual(inventory.unusedRoles[0]!.live?.attachedPolicies, ['arn:aws:iam::111122223333:policy/metrics-read']);
  });

  it('reports drift: another live annotation, declared but missing, and live-only ServiceAccounts', () => {
    const inventory = buildInventory(workspace.model(), live);
    assert.deepEqual(row(inventory, 'shop', 'catalog').live?.drift, [{ kind: 'annotation-differs', context: 'prod', live: 'arn:aws:iam::111122223333:role/shop-catalog-bucket-v2' }]);
    assert.deepEqual(row(inventory, 'shop', 'search').live?.drift, [{ kind: 'missing-in-cluster', contexts: ['prod'] }]);
    assert.deepEqual(row(inventory, 'shop', 'orders').live?.drift, []);
    // Its namespace is the Helm release's: not compared, not missing.
    assert.deepEqual(row(inventory, '<release namespace>', 'external-dns').live?.drift, []);
    // A computed ARN cannot differ, but the account can be missing.
    assert.deepEqual(row(inventory, 'batch', 'batch-worker').live?.drift, [{ kind: 'missing-in-cluster', contexts: ['prod'] }]);
    assert.deepEqual(inventory.serviceAccountsWithoutRole[0]!.live?.drift, []);
    // external-dns is declared by the Helm values (any namespace), default has no role: only the autoscaler is live-only.
    assert.deepEqual(inventory.liveOnly, [{ context: 'prod', namespace: 'kube-system', serviceAccount: 'cluster-autoscaler', roleArn: 'arn:aws:iam::111122223333:role/autoscaler' }]);
  });

  it('compares no context of another cluster', () => {
    const other: LiveFacts = { clusters: [], kubernetes: [{ kind: 'read', context: 'dev', cluster: 'shop-dev', fetchedAt: 1, serviceAccounts: [] }] };
    const inventory = buildInventory(workspace.model(), other);
    assert.deepEqual(row(inventory, 'shop', 'orders').live?.drift, []);
  });
});

describe('inventory verdicts agree with the rules', () => {
  before(async () => {
    await initParsers();
  });

  it('a statement that admits the subject through a key with https:// is a mismatch, as trust-condition-key-scheme says', () => {
    const workspace = new Workspace();
    loadWorkspace(workspace, path.join(__dirname, '..', '..', '..', 'examples', 'https-in-key'));
    const reports = row(buildInventory(workspace.model()), 'analytics', 'reports');
    assert.equal(reports.verdict, 'mismatch');
    assert.match(reports.why, /condition key is built from the issuer URL of `aws_eks_cluster\.main`, which starts with `https:\/\/`/);
  });
});

describe('role names in the inventory', () => {
  const role = (name: StrValue): Role => ({ id: 'tf:file:///ws/iam#aws_iam_role.app', span: { uri: 'file:///ws/iam/main.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }, origin: 'terraform', name, trust: { kind: 'unknown', reason: 'test' } });

  it('shows a known name as it is', () => {
    assert.equal(roleName(role(known('app-irsa'))), 'app-irsa');
  });

  it('writes the suffix name_prefix generates as …, and keeps the parts a source spells', () => {
    const prefixed = concat(known('app-'), unknown('suffix Terraform generates for name_prefix'));
    assert.equal(roleName(role(prefixed)), 'aws_iam_role.app (name app-…)');
    assert.doesNotMatch(roleName(role(prefixed)), /generates|</);
  });

  it('leaves a name with no known or written part out', () => {
    assert.equal(roleName(role(unknown('Terraform generates the role name'))), 'aws_iam_role.app');
  });
});
