/**
 * Neovim 0.7 (Debian) as the LSP client: e2e/neovim/diagnostics.lua starts
 * the irsa-language-server bin with --stdio on examples/namespace-pinning,
 * opens the ServiceAccount and prints the diagnostics Neovim received.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { it } from 'node:test';
import { EXAMPLES, NVIM, ROOT, requireInstalled } from './support/paths';

const EXPECTED = [
  'iam/s3-reader-trust.json:13:87 warning trust-sub-no-service-account',
  'k8s/s3-reader.yaml:10:47 warning sa-annotation-value',
  'k8s/s3-reader.yaml:9:33 error sa-role-trust-mismatch',
];

it('Neovim receives the cross-file findings of examples/namespace-pinning from irsa-language-server --stdio', () => {
  requireInstalled(NVIM, 'scripts/e2e-install.sh (Debian neovim)');
  const server = path.join(ROOT, 'dist', 'server.js');
  requireInstalled(server, '`npm run build`');
  const root = path.join(EXAMPLES, 'namespace-pinning');
  const run = spawnSync(NVIM, ['--headless', '--clean', '-c', `luafile ${path.join(ROOT, 'e2e', 'neovim', 'diagnostics.lua')}`], {
    cwd: root,
    env: { ...process.env, IRSA_SERVER: server, IRSA_ROOT: root, IRSA_FILE: path.join(root, 'k8s', 's3-reader.yaml'), IRSA_EXPECT_COUNT: String(EXPECTED.length) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  process.stdout.write(run.stdout);
  assert.equal(run.status, 0, `nvim exited ${run.status} (${run.signal ?? 'no signal'}): ${run.stderr}`);
  const findings = run.stdout
    .trim()
    .split('\n')
    .map((line) => line.split(' ').slice(0, 3).join(' '))
    .sort();
  assert.deepEqual(findings, EXPECTED);
  assert.match(run.stdout, /admits only 'system:serviceaccount:prod:s3-reader'/);
});
