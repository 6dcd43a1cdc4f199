/**
 * The inventory's renderings on hand-built inventories: what the fixture
 * workspace does not reach (a quote or a line break in a CSV field, a `|` in
 * a Markdown cell) and the live columns and sections.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Inventory, InventoryLocation, InventoryRow } from '../../shared/inventory';
import { alignColumns, csvField, renderInventory } from '../../server/src/inventory/render';

const at = (file: string, line: number): InventoryLocation => ({ uri: `file:///repo/${file}`, range: { start: { line: line - 1, character: 2 }, end: { line: line - 1, character: 8 } } });
const pathOf = (uri: string): string => uri.replace('file:///repo/', '');

const ROW: InventoryRow = {
  namespace: 'team|a',
  serviceAccount: 'billing',
  role: 'billing',
  roleArn: 'arn:aws:iam::111122223333:role/billing',
  cluster: 'prod',
  verdict: 'sound',
  why: 'He said "admit", then\nleft.',
  serviceAccountLocation: at('k8s/billing.yaml', 4),
  roleLocation: at('iam.tf', 1),
  trustLocation: at('iam.tf', 7),
  statements: [],
  live: {
    attachedPolicies: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    inlinePolicies: ['ledger'],
    drift: [{ kind: 'annotation-differs', context: 'prod-ctx', live: 'arn:aws:iam::111122223333:role/billing-old' }],
  },
};

const INVENTORY: Inventory = {
  version: 1,
  rows: [ROW, { ...ROW, serviceAccount: 'ledger', verdict: 'mismatch', live: { roleMissing: true, drift: [{ kind: 'missing-in-cluster', contexts: ['prod-ctx'] }] } }],
  unusedRoles: [],
  serviceAccountsWithoutRole: [{ namespace: 'web', serviceAccount: 'frontend', podIdentity: true, location: at('k8s/web.yaml', 3) }],
  liveOnly: [{ context: 'prod-ctx', namespace: 'kube-system', serviceAccount: 'autoscaler', roleArn: 'arn:aws:iam::111122223333:role/autoscaler' }],
};

describe('inventory renderings', () => {
  it('quotes CSV fields with a quote, a comma or a line break, doubling quotes', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    const csv = renderInventory(INVENTORY, 'csv', pathOf);
    assert.ok(csv.includes(',"He said ""admit"", then\nleft.",'), csv);
    assert.ok(csv.includes(',AmazonS3ReadOnlyAccess, ledger (inline),') === false, 'a list with a comma is quoted');
    assert.ok(csv.includes(',"AmazonS3ReadOnlyAccess, ledger (inline)",prod-ctx: live role-arn is arn:aws:iam::111122223333:role/billing-old\r\n'), csv);
    assert.ok(csv.includes('\r\nlive-only,kube-system,autoscaler,,arn:aws:iam::111122223333:role/autoscaler,prod-ctx,,'), csv);
    assert.ok(csv.includes('\r\nno-role,web,frontend,,,,,EKS Pod Identity gives it a role.,k8s/web.yaml:3,'), csv);
  });

  it('escapes | in Markdown cells and keeps a line break out of a table row', () => {
    const md = renderInventory(INVENTORY, 'markdown', pathOf);
    const line = md.split('\n').find((l) => l.startsWith('| team\\|a | billing |'));
    assert.ok(line, md);
    assert.match(line, /\| He said "admit", then left\. \|/);
    assert.match(md, /\| Permissions \| Drift \|/);
    assert.match(md, /\n## Live ServiceAccounts the workspace does not declare\n\n\| Context \| Namespace \| ServiceAccount \| Role ARN \|\n\|( --- \|){4}\n\| prod-ctx \| kube-system \| autoscaler \| `arn:aws:iam::111122223333:role\/autoscaler` \|\n/);
  });

  it('adds the permissions and drift columns and the live-only section to the table', () => {
    const table = renderInventory(INVENTORY, 'table', pathOf);
    const [header, first, second] = table.split('\n');
    assert.match(header!, /^NAMESPACE +SERVICEACCOUNT +ROLE +VERDICT +CLUSTER +PERMISSIONS +DRIFT +SA SOURCE +TRUST SOURCE$/);
    assert.deepEqual(first!.split(/ {2,}/), ['team|a', 'billing', 'billing', 'sound', 'prod', 'AmazonS3ReadOnlyAccess, ledger (inline)', 'prod-ctx: live role-arn is arn:aws:iam::111122223333:role/billing-old', 'k8s/billing.yaml:4', 'iam.tf:7']);
    assert.deepEqual(second!.split(/ {2,}/).slice(5, 7), ['role not found in IAM', 'not in cluster (prod-ctx)']);
    assert.match(table, /\nServiceAccounts without a role:\nNAMESPACE +SERVICEACCOUNT +SOURCE +NOTE\nweb +frontend +k8s\/web\.yaml:3 +EKS Pod Identity\n/);
    assert.match(table, /\nLive ServiceAccounts the workspace does not declare:\nCONTEXT +NAMESPACE +SERVICEACCOUNT +ROLE ARN\nprod-ctx +kube-system +autoscaler +arn:aws:iam::111122223333:role\/autoscaler\n/);
    assert.match(table, /\n2 links: 1 sound, 1 mismatch; 0 unused roles; 1 ServiceAccount without a role\n$/);
  });

  it('keeps the live facts and the live-only list in JSON', () => {
    const doc = JSON.parse(renderInventory(INVENTORY, 'json', pathOf)) as { rows: { live: unknown; trustSource: unknown }[]; liveOnly: unknown[] };
    assert.deepEqual(doc.rows[0]!.live, ROW.live);
    assert.deepEqual(doc.rows[0]!.trustSource, { path: 'iam.tf', line: 7, column: 3 });
    assert.deepEqual(doc.liveOnly, INVENTORY.liveOnly);
  });

  it('aligns columns to the widest cell, two spaces apart, without trailing blanks', () => {
    assert.equal(alignColumns([['A', 'BB', 'C'], ['aaa', 'b', '']]), 'A    BB  C\naaa  b\n');
  });
});
