/**
 * The inventory over the protocol, against the bundled server on stdio:
 * `irsa/inventory` after the scan, `irsa/inventoryChanged` after an edit
 * with the new verdict in the next answer, and `irsa/exportInventory` as
 * Markdown and CSV with paths relative to the workspace folder.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Inventory } from '../../shared/inventory';
import { EXPORT_INVENTORY_REQUEST, INVENTORY_CHANGED_NOTIFICATION, INVENTORY_REQUEST } from '../../shared/protocol';
import { withServer, type LanguageServerSession } from './harness';

const SA_FILE = 'k8s/shop/orders.yaml';

async function inventory(server: LanguageServerSession): Promise<Inventory> {
  const answer = (await server.connection.sendRequest(INVENTORY_REQUEST.method)) as Inventory | null;
  assert.ok(answer, 'the server answered null: see its log');
  return answer;
}

function verdicts(server: LanguageServerSession, answer: Inventory): string[] {
  return answer.rows.map((r) => `${r.namespace}/${r.serviceAccount} ${r.verdict} ${server.fileOf(r.serviceAccountLocation.uri)}:${r.serviceAccountLocation.range.start.line + 1}`);
}

describe('inventory over the protocol', () => {
  it('answers irsa/inventory, notifies irsa/inventoryChanged after an edit, and exports Markdown and CSV', async () => {
    await withServer({ fixture: 'inventory' }, async (server) => {
      const changes = (): number => server.customNotifications.filter(([method]) => method === INVENTORY_CHANGED_NOTIFICATION.method).length;
      await server.waitForScanEnd();
      await server.waitUntil('an inventoryChanged notification after the scan', () => (changes() > 0 ? true : undefined));

      const first = await inventory(server);
      assert.equal(first.version, 1);
      assert.deepEqual(verdicts(server, first), [
        '<release namespace>/external-dns unknown charts/external-dns/values.yaml:6',
        'analytics/report-runner wildcard k8s/analytics/report-runner.yaml:4',
        'batch/batch-worker unknown terraform/workers.tf:8',
        'payment/payments-api mismatch k8s/shop/orders.yaml:12',
        'shop/catalog shared k8s/shop/catalog.yaml:4',
        'shop/orders sound k8s/shop/orders.yaml:4',
        'shop/search shared k8s/shop/catalog.yaml:12',
      ]);
      const payments = first.rows.find((r) => r.serviceAccount === 'payments-api')!;
      assert.equal(server.fileOf(payments.trustLocation!.uri), 'terraform/roles.tf');
      assert.deepEqual(payments.statements.map((s) => server.fileOf(s.location.uri)), ['terraform/roles.tf']);
      assert.deepEqual(first.unusedRoles.map((r) => r.role), ['monitoring-legacy-exporter']);
      assert.deepEqual(first.serviceAccountsWithoutRole.map((s) => s.serviceAccount), ['frontend']);

      // The manifest moves to the namespace the trust names: the next analysis notifies, and the link is sound.
      const before = changes();
      await server.openDocument(SA_FILE);
      await server.replaceInDocument(SA_FILE, 'namespace: payment\n', 'namespace: payments\n');
      await server.waitUntil('an inventoryChanged notification after the edit', () => (changes() > before ? true : undefined));
      const second = await inventory(server);
      assert.equal(second.rows.find((r) => r.serviceAccount === 'payments-api')?.verdict, 'sound');
      assert.equal(second.rows.find((r) => r.serviceAccount === 'payments-api')?.namespace, 'payments');

      const markdown = (await server.connection.sendRequest(EXPORT_INVENTORY_REQUEST.method, { format: 'markdown' })) as { text: string } | null;
      assert.ok(markdown);
      assert.match(markdown.text, /^# IRSA inventory\n/);
      assert.match(markdown.text, /\| payments \| payments-api \| shop-payments \| .* \| \*\*sound\*\* \| .* \| `k8s\/shop\/orders\.yaml:12` \| `terraform\/roles\.tf:\d+` \|/);
      const csv = (await server.connection.sendRequest(EXPORT_INVENTORY_REQUEST.method, { format: 'csv' })) as { text: string } | null;
      assert.ok(csv);
      assert.match(csv.text, /^kind,namespace,service_account,/);
      assert.match(csv.text, /\r\nlink,shop,orders,shop-orders,arn:aws:iam::111122223333:role\/shop-orders,shop-prod,sound,.*,k8s\/shop\/orders\.yaml:4,terraform\/roles\.tf:6,,\r\n/);
      // A format it does not write: null, not an error, and the server goes on.
      assert.equal(await server.connection.sendRequest(EXPORT_INVENTORY_REQUEST.method, { format: 'sarif' }), null);
      assert.equal(await server.connection.sendRequest(EXPORT_INVENTORY_REQUEST.method, null), null);
      assert.equal((await inventory(server)).rows.length, 7);
    });
  });
});
