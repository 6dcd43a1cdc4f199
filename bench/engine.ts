/**
 * `node out/bench/engine.js` (after `npm run build && tsc -p .`): the engine's in-process targets, measured on a
 * generated workspace (no timing assertions live in unit tests).
 *
 *   cold scan (read + parse + first analysis) of ~10k files  ≤ 3 s
 *   edit → re-analysis with cross-file links, p95           ≤ 50 ms
 *
 * Prints a table and exits 0; `--check` exits 1 when a target is missed.
 * `--files N` sets the size (default 9900: a third YAML, JSON, Terraform).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../server/src/analysis';
import { pathToUri } from '../server/src/common/uri';
import { Workspace } from '../server/src/index/workspace';
import { initParsers, loadWorkspace } from '../server/src/node/host';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';

function generate(root: string, files: number): void {
  const triples = Math.ceil(files / 3);
  for (let i = 0; i < triples; i++) {
    const dir = path.join(root, `svc${i % Math.max(1, Math.floor(triples / 3))}`);
    fs.mkdirSync(dir, { recursive: true });
    const ns = `ns${i % 50}`;
    fs.writeFileSync(
      path.join(dir, `sa${i}.yaml`),
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app${i}\n  namespace: ${ns}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/role${i}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\n  namespace: ${ns}\nspec:\n  template:\n    spec:\n      serviceAccountName: app${i}\n`,
    );
    fs.writeFileSync(
      path.join(dir, `role${i}.json`),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}` },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { [`${ISSUER}:sub`]: `system:serviceaccount:${ns}:app${i}`, [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
          },
        ],
      }, null, 2),
    );
    fs.writeFileSync(
      path.join(dir, `main${i}.tf`),
      `resource "aws_iam_role" "r${i}" {
  name = "tfrole${i}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = module.eks.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = {
        "\${module.eks.oidc_provider}:sub" = "system:serviceaccount:${ns}:tfapp${i}"
        "\${module.eks.oidc_provider}:aud" = "sts.amazonaws.com"
      } }
    }]
  })
}

resource "kubernetes_service_account_v1" "s${i}" {
  metadata {
    name        = "tfapp${i}"
    namespace   = "${ns}"
    annotations = { "eks.amazonaws.com/role-arn" = aws_iam_role.r${i}.arn }
  }
}
`,
    );
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizeArg = args.indexOf('--files');
  const files = sizeArg >= 0 ? Number(args[sizeArg + 1]) : 9900;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-bench-'));
  try {
    generate(root, files);
    await initParsers();
    const workspace = new Workspace();
    let t = performance.now();
    loadWorkspace(workspace, root);
    const load = performance.now() - t;
    t = performance.now();
    const first = analyze(workspace);
    const firstAnalysis = performance.now() - t;

    // Edit a ServiceAccount back and forth between a namespace its role trusts and one it does not:
    // each edit re-extracts one file and must update a cross-file finding.
    const uri = pathToUri(path.join(root, 'svc5', 'sa5.yaml'));
    const original = workspace.text(uri)!;
    const edits: number[] = [];
    for (let i = 0; i < 60; i++) {
      const text = i % 2 === 0 ? original.replace('namespace: ns5', 'namespace: moved') : original;
      t = performance.now();
      workspace.setFile(uri, text);
      const result = analyze(workspace);
      edits.push(performance.now() - t);
      const mismatch = result.findings.some((f) => f.ruleId === 'sa-role-trust-mismatch' && f.span.uri === uri);
      if (mismatch !== (i % 2 === 0)) throw new Error(`edit ${i}: the cross-file finding did not follow the edit`);
    }
    edits.sort((a, b) => a - b);
    const cold = load + firstAnalysis;
    const rows: [string, number, number][] = [
      [`cold scan, ${workspace.size} files`, cold, 3000],
      ['edit → analysis p50', percentile(edits, 50), 50],
      ['edit → analysis p95', percentile(edits, 95), 50],
    ];
    console.log(`irsa-lint benchmark (${first.findings.length} findings on the generated workspace; read+parse ${load.toFixed(0)} ms, first analysis ${firstAnalysis.toFixed(0)} ms)`);
    for (const [name, ms, target] of rows) console.log(`${name.padEnd(34)} ${ms.toFixed(1).padStart(9)} ms   target ≤ ${target} ms   ${ms <= target ? 'ok' : 'MISSED'}`);
    if (args.includes('--check') && rows.some(([, ms, target]) => ms > target)) process.exitCode = 1;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
