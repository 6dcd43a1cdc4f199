/**
 * The IRSA view's tree from a real inventory (the `inventory` fixture
 * workspace, built by the server's code): its levels, status icons, where
 * a click leads, and the "problems only" filter.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { inventoryTree, type InventoryNode } from '../../client/src/inventory-tree';
import type { Inventory } from '../../shared/inventory';
import { Workspace } from '../../server/src/index/workspace';
import { buildInventory } from '../../server/src/inventory/model';
import { initParsers, loadWorkspace } from '../../server/src/node/host';

const ROOT = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspaces', 'inventory');

let inventory: Inventory;
before(async () => {
  await initParsers();
  const workspace = new Workspace();
  loadWorkspace(workspace, ROOT);
  inventory = buildInventory(workspace.model());
});

/** `label [icon] description` per node, children indented. */
function outline(nodes: readonly InventoryNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.label} [${n.icon.id}]${n.description ? ` ${n.description}` : ''}`, ...outline(n.children, depth + 1)]);
}

function file(node: InventoryNode | undefined): string {
  assert.ok(node?.location, `${node?.label} has no location`);
  return `${path.relative(ROOT, decodeURIComponent(new URL(node.location.uri).pathname))}:${node.location.range.start.line + 1}`;
}

describe('the IRSA view tree', () => {
  it('nests namespace → ServiceAccount → role → trust statements, with status icons', () => {
    const lines = outline(inventoryTree(inventory, false)).filter((l) => !l.includes('[shield]'));
    assert.deepEqual(lines, [
      '<release namespace> [question] 1 link',
      '  external-dns [question] unknown',
      '    external-dns [question] unknown · shop-prod',
      'analytics [warning] 1 link',
      '  report-runner [warning] wildcard',
      '    analytics-reports [warning] wildcard · shop-prod',
      'batch [question] 1 link',
      '  batch-worker [question] unknown',
      '    ${var.worker_role_arn} [question] unknown',
      'payment [error] 1 link',
      '  payments-api [error] mismatch',
      '    shop-payments [error] mismatch · shop-prod',
      'shop [warning] 3 links',
      '  catalog [warning] shared',
      '    shop-catalog-bucket [warning] shared · shop-prod',
      '  frontend [circle-outline] no role',
      '  orders [pass] sound',
      '    shop-orders [pass] sound · shop-prod',
      '  search [warning] shared',
      '    shop-catalog-bucket [warning] shared · shop-prod',
      'Roles no ServiceAccount uses [circle-slash] 1',
      '  monitoring-legacy-exporter [key] system:serviceaccount:monitoring:legacy-exporter',
    ]);
  });

  it('leads a click to the ServiceAccount, the role and the trust statement', () => {
    const shop = inventoryTree(inventory, false).find((n) => n.label === 'shop')!;
    const orders = shop.children.find((n) => n.label === 'orders')!;
    assert.equal(file(orders), 'k8s/shop/orders.yaml:4');
    assert.equal(file(orders.children[0]), 'terraform/roles.tf:2');
    const statement = orders.children[0]!.children[0]!;
    assert.equal(statement.icon.id, 'shield');
    assert.match(statement.label, /^Federated shop-prod; sub StringEquals system:serviceaccount:shop:orders/);
    assert.equal(file(statement), 'terraform/roles.tf:6');
    assert.equal(file(shop.children.find((n) => n.label === 'frontend')), 'k8s/shop/catalog.yaml:20');
  });

  it('shows problems only: no sound link, no ServiceAccount without a role, no namespace left empty', () => {
    const lines = outline(inventoryTree(inventory, true)).filter((l) => !l.startsWith('    '));
    assert.deepEqual(lines, [
      '<release namespace> [question] 1 link',
      '  external-dns [question] unknown',
      'analytics [warning] 1 link',
      '  report-runner [warning] wildcard',
      'batch [question] 1 link',
      '  batch-worker [question] unknown',
      'payment [error] 1 link',
      '  payments-api [error] mismatch',
      'shop [warning] 2 links',
      '  catalog [warning] shared',
      '  search [warning] shared',
      'Roles no ServiceAccount uses [circle-slash] 1',
      '  monitoring-legacy-exporter [key] system:serviceaccount:monitoring:legacy-exporter',
    ]);
  });

  it('marks drift on the role and lists live-only ServiceAccounts', () => {
    const live: Inventory = {
      ...inventory,
      rows: inventory.rows.map((r) => (r.serviceAccount === 'orders' ? { ...r, live: { attachedPolicies: [], inlinePolicies: [], drift: [{ kind: 'annotation-differs', context: 'prod', live: 'arn:aws:iam::111122223333:role/other' }] } } : r)),
      liveOnly: [{ context: 'prod', namespace: 'kube-system', serviceAccount: 'cluster-autoscaler', roleArn: 'arn:aws:iam::111122223333:role/autoscaler' }],
    };
    const lines = outline(inventoryTree(live, false));
    assert.ok(lines.includes('    shop-orders [diff] sound · shop-prod · prod: live role-arn arn:aws:iam::111122223333:role/other'), lines.join('\n'));
    assert.deepEqual(lines.slice(-2), ['Live ServiceAccounts the workspace does not declare [cloud] 1', '  kube-system/cluster-autoscaler [cloud] prod: arn:aws:iam::111122223333:role/autoscaler']);
  });
});
