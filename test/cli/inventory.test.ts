/**
 * `irsa-lint inventory` as a process, on the `inventory` fixture workspace:
 * each format's shape (table alignment, CSV quoting, JSON fields), paths
 * relative to the current directory, its own help, and usage errors.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli as runCliIn, WORKSPACES } from './support';

const FIXTURE = path.join(WORKSPACES, 'inventory');

/** Runs from inside the fixture workspace unless `cwd` says otherwise (the helper's own guess would take `inventory` for the fixture directory). */
function runCli(args: readonly string[], options: { cwd?: string } = {}): ReturnType<typeof runCliIn> {
  return runCliIn(args, { cwd: options.cwd ?? FIXTURE });
}

/** Splits one CSV text (RFC 4180) into records of fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field + record.join(''), '', 'the text ends with CRLF');
  return records;
}

describe('irsa-lint inventory', () => {
  it('prints an aligned table: every column starts where its header does', () => {
    const run = runCli(['inventory']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    const header = lines[0]!;
    assert.match(header, /^NAMESPACE +SERVICEACCOUNT +ROLE +VERDICT +CLUSTER +SA SOURCE +TRUST SOURCE$/);
    const starts = ['SERVICEACCOUNT', 'ROLE', 'VERDICT', 'CLUSTER', 'SA SOURCE', 'TRUST SOURCE'].map((h) => header.indexOf(h));
    const body = lines.slice(1, lines.indexOf(''));
    assert.equal(body.length, 7);
    for (const line of body) {
      for (const start of starts) assert.match(line.slice(start - 2, start), /^  $/, `column at ${start} in ${JSON.stringify(line)}`);
      assert.notEqual(line[starts[0]!], ' ');
    }
    const orders = body.find((l) => l.startsWith('shop ') && l.includes(' orders '))!;
    assert.deepEqual(orders.split(/ {2,}/), ['shop', 'orders', 'shop-orders', 'sound', 'shop-prod', 'k8s/shop/orders.yaml:4', 'terraform/roles.tf:6']);
    assert.match(run.stdout, /\nRoles no ServiceAccount uses:\nROLE +CLUSTER +TRUSTS +SOURCE\nmonitoring-legacy-exporter +shop-prod +system:serviceaccount:monitoring:legacy-exporter +terraform\/roles\.tf:75\n/);
    assert.match(run.stdout, /\nServiceAccounts without a role:\nNAMESPACE +SERVICEACCOUNT +SOURCE +NOTE\nshop +frontend +k8s\/shop\/catalog\.yaml:20\n/);
    assert.match(run.stdout, /\n7 links: 1 sound, 1 mismatch, 2 unknown, 1 wildcard, 2 shared; 1 unused role; 1 ServiceAccount without a role\n$/);
    assert.doesNotMatch(run.stdout, /\$\{\?\}|undefined/);
  });

  it('prints what docs/inventory.md and the README show', () => {
    const run = runCli(['inventory']);
    const docs = fs.readFileSync(path.join(WORKSPACES, '..', '..', '..', 'docs', 'inventory.md'), 'utf8');
    const shown = /```text\n\$ irsa-lint inventory\n([\s\S]*?)```/.exec(docs)?.[1];
    assert.equal(shown, run.stdout, 'docs/inventory.md shows the output of the fixture workspace');
    const readme = fs.readFileSync(path.join(WORKSPACES, '..', '..', '..', 'README.md'), 'utf8');
    const rows = /```text\n\$ irsa-lint inventory +# in test\/fixtures\/workspaces\/inventory\n([\s\S]*?)…\n```/.exec(readme)?.[1];
    assert.ok(rows !== undefined && run.stdout.startsWith(rows), 'the README shows the first lines of the output');
  });

  it('gives paths relative to the current directory', () => {
    const run = runCli(['inventory', 'inventory'], { cwd: WORKSPACES });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, / inventory\/k8s\/shop\/orders\.yaml:4 +inventory\/terraform\/roles\.tf:6\n/);
  });

  it('writes CSV with a header, one record per row, and quoted fields', () => {
    const run = runCli(['inventory', '--format', 'csv']);
    assert.equal(run.status, 0, run.stderr);
    const records = parseCsv(run.stdout);
    assert.deepEqual(records[0], ['kind', 'namespace', 'service_account', 'role', 'role_arn', 'cluster', 'verdict', 'why', 'sa_source', 'trust_source', 'permissions', 'drift']);
    assert.ok(records.every((r) => r.length === 12));
    assert.deepEqual(records.map((r) => r[0]), ['kind', ...Array(7).fill('link'), 'unused-role', 'no-role']);
    const catalog = records.find((r) => r[2] === 'catalog')!;
    // A comma in the text: the field is quoted, and reads back whole.
    assert.equal(catalog[7], 'Admitted, but other ServiceAccounts carry the same role.');
    assert.match(run.stdout, /,"Admitted, but other ServiceAccounts carry the same role\.",/);
    assert.equal(records.find((r) => r[2] === 'batch-worker')![4], '${var.worker_role_arn}');
  });

  it('writes JSON with a version, rows, and locations as path, line and column', () => {
    const run = runCli(['inventory', '-f', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as {
      version: number;
      rows: { namespace: string; serviceAccount: string; verdict: string; serviceAccountSource: { path: string; line: number; column: number }; statements: unknown[] }[];
      unusedRoles: { role: string }[];
      serviceAccountsWithoutRole: { serviceAccount: string; podIdentity: boolean }[];
    };
    assert.deepEqual(Object.keys(doc), ['version', 'rows', 'unusedRoles', 'serviceAccountsWithoutRole']);
    assert.equal(doc.version, 1);
    const payments = doc.rows.find((r) => r.serviceAccount === 'payments-api')!;
    assert.equal(payments.verdict, 'mismatch');
    assert.deepEqual(payments.serviceAccountSource, { path: 'k8s/shop/orders.yaml', line: 12, column: 9 });
    assert.equal(payments.statements.length, 1);
    assert.deepEqual(doc.unusedRoles.map((r) => r.role), ['monitoring-legacy-exporter']);
    assert.deepEqual(doc.serviceAccountsWithoutRole, [{ namespace: 'shop', serviceAccount: 'frontend', podIdentity: false, source: { path: 'k8s/shop/catalog.yaml', line: 20, column: 9 } }]);
  });

  it('writes Markdown tables, each line with as many cells as its header', () => {
    const run = runCli(['inventory', '--format=markdown']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^# IRSA inventory\n/);
    assert.match(run.stdout, /\n\| Namespace \| ServiceAccount \| Role \| Role ARN \| Cluster \| Verdict \| Why \| ServiceAccount source \| Trust source \|\n\|( --- \|){9}\n/);
    assert.match(run.stdout, /\n\| shop \| orders \| shop-orders \| `arn:aws:iam::111122223333:role\/shop-orders` \| shop-prod \| \*\*sound\*\* \| .* \| `k8s\/shop\/orders\.yaml:4` \| `terraform\/roles\.tf:6` \|\n/);
    assert.match(run.stdout, /\n## Roles no ServiceAccount uses\n\n\| Role \| Cluster \| Trusts \| Source \|\n/);
    // Every table line has as many cells as its header.
    for (const table of run.stdout.split('\n\n').filter((t) => t.startsWith('|'))) {
      const lines = table.trim().split('\n');
      const cells = (l: string): number => l.replace(/\\\|/g, '').split('|').length;
      for (const l of lines) assert.equal(cells(l), cells(lines[0]!), l);
    }
  });

  it('writes to --output, and an empty directory gives an empty inventory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-inventory-'));
    try {
      const out = path.join(dir, 'inventory.csv');
      const run = runCli(['inventory', path.join(WORKSPACES, 'inventory'), '-f', 'csv', '-o', out], { cwd: dir });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(fs.readFileSync(out, 'utf8'), /^kind,namespace,/);
      const empty = runCli(['inventory', '.'], { cwd: dir });
      assert.equal(empty.status, 0, empty.stderr);
      assert.match(empty.stdout, /^No ServiceAccount names an IAM role\.\n\n0 links; 0 unused roles; 0 ServiceAccounts without a role\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has its own help, and the main help lists it', () => {
    const help = runCli(['inventory', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: irsa-lint inventory \[<dir>\.\.\.\] \[--format table\|json\|csv\|markdown\]/);
    assert.match(help.stdout, /wildcard +admitted by a pattern/);
    const main = runCli(['--help']);
    assert.match(main.stdout, /\n {2}inventory +list which ServiceAccount carries which role/);
  });

  it('refuses a bad format, an unknown option and a missing directory with status 2', () => {
    const format = runCli(['inventory', '--format', 'sarif']);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /^irsa-lint: --format takes table, json, csv, markdown, not 'sarif'\nusage: irsa-lint inventory/);
    const option = runCli(['inventory', '--fix']);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /unknown option '--fix' for inventory/);
    const missing = runCli(['inventory', 'no-such-dir']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no-such-dir/);
  });
});
