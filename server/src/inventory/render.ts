/**
 * The inventory as text: an aligned table for a terminal (the columns of
 * the `kubectl get sa -A -o json | python3` one-liner the guides use, plus
 * the verdict and where each side is written), CSV (RFC 4180) and Markdown
 * for reports, and JSON for programs. Paths come from the caller
 * (`pathOf`): relative to the current directory for the CLI, to the
 * workspace folder in the editor.
 */
import type { Inventory, InventoryDrift, InventoryLive, InventoryLocation, InventoryVerdict } from '../../../shared/inventory';
import { INVENTORY_VERDICTS } from '../../../shared/inventory';

export type InventoryFormat = 'table' | 'json' | 'csv' | 'markdown';
export const INVENTORY_FORMATS: readonly InventoryFormat[] = ['table', 'json', 'csv', 'markdown'];

/** A URI as the reader should see it (a relative path). */
export type PathOf = (uri: string) => string;

export function renderInventory(inventory: Inventory, format: InventoryFormat, pathOf: PathOf): string {
  switch (format) {
    case 'table':
      return renderTable(inventory, pathOf);
    case 'json':
      return `${JSON.stringify(inventoryJson(inventory, pathOf), null, 2)}\n`;
    case 'csv':
      return renderCsv(inventory, pathOf);
    case 'markdown':
      return renderMarkdown(inventory, pathOf);
  }
}

/** `path:line` (1-based). */
export function placeOf(location: InventoryLocation | undefined, pathOf: PathOf): string {
  return location ? `${pathOf(location.uri)}:${location.range.start.line + 1}` : '';
}

/** `3 links: 1 sound, 1 mismatch, …` (verdicts with no row left out). */
export function verdictSummary(inventory: Inventory): string {
  const counts = new Map<InventoryVerdict, number>();
  for (const row of inventory.rows) counts.set(row.verdict, (counts.get(row.verdict) ?? 0) + 1);
  const parts = INVENTORY_VERDICTS.filter((v) => counts.has(v)).map((v) => `${counts.get(v)} ${v}`);
  const links = `${inventory.rows.length} link${inventory.rows.length === 1 ? '' : 's'}`;
  return parts.length > 0 ? `${links}: ${parts.join(', ')}` : links;
}

/** Managed policies (their names, not whole ARNs) and inline policies, for one cell. */
export function permissionsText(live: InventoryLive | undefined): string {
  if (!live) return '';
  if (live.roleMissing) return 'role not found in IAM';
  const attached = (live.attachedPolicies ?? []).map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
  const inline = (live.inlinePolicies ?? []).map((name) => `${name} (inline)`);
  return [...attached, ...inline].join(', ');
}

export function driftText(live: InventoryLive | undefined): string {
  return (live?.drift ?? []).map(describeDrift).join('; ');
}

function describeDrift(drift: InventoryDrift): string {
  if (drift.kind === 'annotation-differs') return drift.live !== undefined ? `${drift.context}: live role-arn is ${drift.live}` : `${drift.context}: live ServiceAccount has no role-arn`;
  return `not in cluster (${drift.contexts.join(', ')})`;
}

function hasLive(inventory: Inventory): boolean {
  return inventory.rows.some((r) => r.live) || inventory.unusedRoles.some((r) => r.live) || inventory.liveOnly !== undefined;
}

// ─── table ───────────────────────────────────────────────────────────────────

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

function renderTable(inventory: Inventory, pathOf: PathOf): string {
  const live = hasLive(inventory);
  const out: string[] = [];
  if (inventory.rows.length > 0) {
    const head = ['NAMESPACE', 'SERVICEACCOUNT', 'ROLE', 'VERDICT', 'CLUSTER', ...(live ? ['PERMISSIONS', 'DRIFT'] : []), 'SA SOURCE', 'TRUST SOURCE'];
    const body = inventory.rows.map((r) => [r.namespace, r.serviceAccount, r.role, r.verdict, r.cluster || '-', ...(live ? [permissionsText(r.live) || '-', driftText(r.live) || '-'] : []), placeOf(r.serviceAccountLocation, pathOf), placeOf(r.trustLocation, pathOf) || '-']);
    out.push(alignColumns([head, ...body]));
  } else {
    out.push('No ServiceAccount names an IAM role.\n');
  }
  if (inventory.unusedRoles.length > 0) {
    out.push('\nRoles no ServiceAccount uses:\n');
    out.push(alignColumns([['ROLE', 'CLUSTER', 'TRUSTS', 'SOURCE'], ...inventory.unusedRoles.map((r) => [r.role, r.cluster || '-', r.subjects.join(', ') || '-', placeOf(r.location, pathOf)])]));
  }
  if (inventory.serviceAccountsWithoutRole.length > 0) {
    out.push('\nServiceAccounts without a role:\n');
    out.push(alignColumns([['NAMESPACE', 'SERVICEACCOUNT', 'SOURCE', 'NOTE'], ...inventory.serviceAccountsWithoutRole.map((s) => [s.namespace, s.serviceAccount, placeOf(s.location, pathOf), s.podIdentity ? 'EKS Pod Identity' : ''])]));
  }
  if (inventory.liveOnly && inventory.liveOnly.length > 0) {
    out.push('\nLive ServiceAccounts the workspace does not declare:\n');
    out.push(alignColumns([['CONTEXT', 'NAMESPACE', 'SERVICEACCOUNT', 'ROLE ARN'], ...inventory.liveOnly.map((l) => [l.context, l.namespace, l.serviceAccount, l.roleArn])]));
  }
  out.push(`\n${verdictSummary(inventory)}; ${inventory.unusedRoles.length} unused role${inventory.unusedRoles.length === 1 ? '' : 's'}; ${inventory.serviceAccountsWithoutRole.length} ServiceAccount${inventory.serviceAccountsWithoutRole.length === 1 ? '' : 's'} without a role\n`);
  return out.join('');
}

// ─── CSV ─────────────────────────────────────────────────────────────────────

const CSV_HEADER = ['kind', 'namespace', 'service_account', 'role', 'role_arn', 'cluster', 'verdict', 'why', 'sa_source', 'trust_source', 'permissions', 'drift'];

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; lines end with CRLF. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function renderCsv(inventory: Inventory, pathOf: PathOf): string {
  const lines: string[][] = [CSV_HEADER];
  for (const r of inventory.rows) {
    lines.push(['link', r.namespace, r.serviceAccount, r.role, r.roleArn, r.cluster, r.verdict, r.why, placeOf(r.serviceAccountLocation, pathOf), placeOf(r.trustLocation, pathOf), permissionsText(r.live), driftText(r.live)]);
  }
  for (const r of inventory.unusedRoles) lines.push(['unused-role', '', '', r.role, '', r.cluster, '', `Trusts ${r.subjects.join(', ') || 'no listed subject'}; no ServiceAccount carries it.`, '', placeOf(r.location, pathOf), permissionsText(r.live), '']);
  for (const s of inventory.serviceAccountsWithoutRole) lines.push(['no-role', s.namespace, s.serviceAccount, '', '', '', '', s.podIdentity ? 'EKS Pod Identity gives it a role.' : '', placeOf(s.location, pathOf), '', '', driftText(s.live)]);
  for (const l of inventory.liveOnly ?? []) lines.push(['live-only', l.namespace, l.serviceAccount, '', l.roleArn, l.context, '', 'In the cluster, not in the workspace.', '', '', '', '']);
  return lines.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// ─── Markdown ────────────────────────────────────────────────────────────────

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ') || ' ';
}

function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n') + '\n';
}

function renderMarkdown(inventory: Inventory, pathOf: PathOf): string {
  const live = hasLive(inventory);
  const code = (text: string): string => (text === '' ? '' : `\`${text.replace(/`/g, "'")}\``);
  const out = ['# IRSA inventory\n', `\n${verdictSummary(inventory)}.\n`, '\n## ServiceAccounts and their roles\n\n'];
  out.push(
    markdownTable(
      ['Namespace', 'ServiceAccount', 'Role', 'Role ARN', 'Cluster', 'Verdict', 'Why', ...(live ? ['Permissions', 'Drift'] : []), 'ServiceAccount source', 'Trust source'],
      inventory.rows.map((r) => [r.namespace, r.serviceAccount, r.role, code(r.roleArn), r.cluster, `**${r.verdict}**`, r.why, ...(live ? [permissionsText(r.live), driftText(r.live)] : []), code(placeOf(r.serviceAccountLocation, pathOf)), code(placeOf(r.trustLocation, pathOf))]),
    ),
  );
  out.push('\n## Roles no ServiceAccount uses\n\n');
  out.push(inventory.unusedRoles.length === 0 ? 'None.\n' : markdownTable(['Role', 'Cluster', 'Trusts', 'Source'], inventory.unusedRoles.map((r) => [r.role, r.cluster, r.subjects.map(code).join(', '), code(placeOf(r.location, pathOf))])));
  out.push('\n## ServiceAccounts without a role\n\n');
  out.push(inventory.serviceAccountsWithoutRole.length === 0 ? 'None.\n' : markdownTable(['Namespace', 'ServiceAccount', 'Source', 'Note'], inventory.serviceAccountsWithoutRole.map((s) => [s.namespace, s.serviceAccount, code(placeOf(s.location, pathOf)), s.podIdentity ? 'EKS Pod Identity' : ''])));
  if (inventory.liveOnly) {
    out.push('\n## Live ServiceAccounts the workspace does not declare\n\n');
    out.push(inventory.liveOnly.length === 0 ? 'None.\n' : markdownTable(['Context', 'Namespace', 'ServiceAccount', 'Role ARN'], inventory.liveOnly.map((l) => [l.context, l.namespace, l.serviceAccount, code(l.roleArn)])));
  }
  return out.join('');
}

// ─── JSON ────────────────────────────────────────────────────────────────────

/** A location as the JSON output has it: a path and a 1-based line and column. */
export interface JsonPlace {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

function jsonPlace(location: InventoryLocation, pathOf: PathOf): JsonPlace {
  return { path: pathOf(location.uri), line: location.range.start.line + 1, column: location.range.start.character + 1 };
}

/** The inventory with every location as a path and 1-based line and column (`version` first). */
export function inventoryJson(inventory: Inventory, pathOf: PathOf): unknown {
  const place = (l: InventoryLocation): JsonPlace => jsonPlace(l, pathOf);
  const statements = (list: readonly { summary: string; location: InventoryLocation }[]): unknown[] => list.map((s) => ({ summary: s.summary, source: place(s.location) }));
  return {
    version: inventory.version,
    rows: inventory.rows.map((r) => ({
      namespace: r.namespace,
      serviceAccount: r.serviceAccount,
      role: r.role,
      roleArn: r.roleArn,
      cluster: r.cluster,
      verdict: r.verdict,
      why: r.why,
      serviceAccountSource: place(r.serviceAccountLocation),
      ...(r.roleLocation ? { roleSource: place(r.roleLocation) } : {}),
      ...(r.trustLocation ? { trustSource: place(r.trustLocation) } : {}),
      statements: statements(r.statements),
      ...(r.live ? { live: r.live } : {}),
    })),
    unusedRoles: inventory.unusedRoles.map((r) => ({ role: r.role, cluster: r.cluster, subjects: r.subjects, source: place(r.location), statements: statements(r.statements), ...(r.live ? { live: r.live } : {}) })),
    serviceAccountsWithoutRole: inventory.serviceAccountsWithoutRole.map((s) => ({ namespace: s.namespace, serviceAccount: s.serviceAccount, podIdentity: s.podIdentity, source: place(s.location), ...(s.live ? { live: s.live } : {}) })),
    ...(inventory.liveOnly ? { liveOnly: inventory.liveOnly } : {}),
  };
}
