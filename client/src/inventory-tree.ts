/**
 * The IRSA view's tree, built from the server's inventory: namespace →
 * ServiceAccount → role → trust statements, a status icon per verdict (the
 * worst of its links for a namespace), the roles no ServiceAccount uses and
 * the live-only ServiceAccounts apart. Plain data without `vscode`, so that
 * it is tested under Node (`test/client/inventory-tree.test.ts`);
 * `inventory-view.ts` turns it into tree items.
 */
import type { Inventory, InventoryLocation, InventoryRow, InventoryStatement, InventoryVerdict } from '../../shared/inventory';

export interface Icon {
  readonly id: string;
  readonly color?: string;
}

/** A node of the tree: what it shows and, for the inner ones, what is below. */
export interface InventoryNode {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  /** A product icon id (`pass`, `error`, …) and a theme colour id. */
  readonly icon: Icon;
  readonly location?: InventoryLocation;
  readonly children: readonly InventoryNode[];
}

const VERDICT_ICONS: Readonly<Record<InventoryVerdict, Icon>> = {
  sound: { id: 'pass', color: 'testing.iconPassed' },
  mismatch: { id: 'error', color: 'problemsErrorIcon.foreground' },
  unknown: { id: 'question' },
  wildcard: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  shared: { id: 'warning', color: 'problemsWarningIcon.foreground' },
};

/** Worst first: a namespace shows the icon of its worst link. */
const SEVERITY: readonly InventoryVerdict[] = ['mismatch', 'wildcard', 'shared', 'unknown', 'sound'];

function worst(verdicts: readonly InventoryVerdict[]): InventoryVerdict | undefined {
  return SEVERITY.find((v) => verdicts.includes(v));
}

/** The tree of an inventory; `problemsOnly` leaves out sound links and ServiceAccounts without a role. */
export function inventoryTree(inventory: Inventory, problemsOnly: boolean): InventoryNode[] {
  const rows = problemsOnly ? inventory.rows.filter((r) => r.verdict !== 'sound') : inventory.rows;
  const byNamespace = new Map<string, { rows: InventoryRow[]; without: Inventory['serviceAccountsWithoutRole'][number][] }>();
  const entry = (ns: string): { rows: InventoryRow[]; without: Inventory['serviceAccountsWithoutRole'][number][] } => {
    let e = byNamespace.get(ns);
    if (!e) byNamespace.set(ns, (e = { rows: [], without: [] }));
    return e;
  };
  for (const row of rows) entry(row.namespace).rows.push(row);
  if (!problemsOnly) for (const sa of inventory.serviceAccountsWithoutRole) entry(sa.namespace).without.push(sa);

  const nodes: InventoryNode[] = [];
  for (const [namespace, { rows: nsRows, without }] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
    const accounts = new Map<string, InventoryRow[]>();
    for (const row of nsRows) {
      const list = accounts.get(row.serviceAccount);
      if (list) list.push(row);
      else accounts.set(row.serviceAccount, [row]);
    }
    const children: InventoryNode[] = [...accounts].map(([name, links]) => serviceAccountNode(name, links));
    for (const sa of without) {
      children.push({
        label: sa.serviceAccount,
        description: sa.podIdentity ? 'no IRSA role (EKS Pod Identity)' : 'no role',
        icon: { id: 'circle-outline' },
        location: sa.location,
        children: [],
      });
    }
    children.sort((a, b) => a.label.localeCompare(b.label));
    const verdict = worst(nsRows.map((r) => r.verdict));
    nodes.push({ label: namespace, description: `${nsRows.length} link${nsRows.length === 1 ? '' : 's'}`, icon: verdict && verdict !== 'sound' ? VERDICT_ICONS[verdict] : { id: 'symbol-namespace' }, children });
  }
  if (inventory.unusedRoles.length > 0) {
    nodes.push({
      label: 'Roles no ServiceAccount uses',
      description: String(inventory.unusedRoles.length),
      icon: { id: 'circle-slash' },
      children: inventory.unusedRoles.map((r) => ({
        label: r.role,
        description: r.subjects.join(', '),
        tooltip: `Trusts ${r.subjects.join(', ') || 'no listed subject'}${r.cluster ? ` on ${r.cluster}` : ''}; no ServiceAccount of the workspace carries it.`,
        icon: { id: 'key' },
        location: r.location,
        children: r.statements.map(statementNode),
      })),
    });
  }
  if (inventory.liveOnly && inventory.liveOnly.length > 0) {
    nodes.push({
      label: 'Live ServiceAccounts the workspace does not declare',
      description: String(inventory.liveOnly.length),
      icon: { id: 'cloud' },
      children: inventory.liveOnly.map((l) => ({ label: `${l.namespace}/${l.serviceAccount}`, description: `${l.context}: ${l.roleArn}`, icon: { id: 'cloud' }, children: [] })),
    });
  }
  return nodes;
}

function serviceAccountNode(name: string, links: readonly InventoryRow[]): InventoryNode {
  const verdict = worst(links.map((r) => r.verdict)) ?? 'unknown';
  const first = links[0]!;
  return {
    label: name,
    description: links.length === 1 ? verdict : `${links.length} candidate roles`,
    tooltip: links.map((r) => `${r.role}: ${r.verdict}. ${r.why}`).join('\n'),
    icon: VERDICT_ICONS[verdict],
    location: first.serviceAccountLocation,
    children: links.map(roleNode),
  };
}

function roleNode(row: InventoryRow): InventoryNode {
  const live = row.live;
  const permissions = live?.roleMissing ? 'role not found in IAM' : [...(live?.attachedPolicies ?? []).map((a) => a.slice(a.lastIndexOf('/') + 1)), ...(live?.inlinePolicies ?? [])].join(', ');
  const drift = (live?.drift ?? []).map((d) => (d.kind === 'missing-in-cluster' ? `not in cluster (${d.contexts.join(', ')})` : `${d.context}: live role-arn ${d.live ?? 'absent'}`));
  const tooltip = [`${row.verdict}: ${row.why}`, `ARN: ${row.roleArn}`, ...(row.cluster ? [`Cluster: ${row.cluster}`] : []), ...(permissions ? [`Permissions: ${permissions}`] : []), ...drift.map((d) => `Drift: ${d}`)].join('\n');
  return {
    label: row.role,
    description: [row.verdict, row.cluster, ...drift].filter((s) => s !== '').join(' · '),
    tooltip,
    icon: drift.length > 0 ? { id: 'diff', color: 'problemsWarningIcon.foreground' } : VERDICT_ICONS[row.verdict],
    ...(row.roleLocation ?? row.trustLocation ? { location: row.roleLocation ?? row.trustLocation } : {}),
    children: row.statements.map(statementNode),
  };
}

function statementNode(statement: InventoryStatement): InventoryNode {
  return { label: statement.summary, tooltip: statement.summary, icon: { id: 'shield' }, location: statement.location, children: [] };
}
