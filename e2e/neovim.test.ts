/**
 * Neovim (Debian's 0.7) as the LSP client, configured by the README's own
 * Neovim block, extracted from README.md as a user would copy it: it must
 * start `irsa-language-server` (found on PATH) for examples/namespace-pinning,
 * push its settings (the block turns trust-sub-no-service-account off, so
 * that finding must be absent), and keep one server for the root when a
 * second file opens. e2e/neovim/readme-check.lua drives the editor.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { EXAMPLES, NVIM, ROOT, requireInstalled } from './support/paths';

/** Without the block's setting, iam/s3-reader-trust.json:13:87 would also have trust-sub-no-service-account. */
const EXPECTED = ['k8s/s3-reader.yaml:10:47 warning sa-annotation-value', 'k8s/s3-reader.yaml:9:33 error sa-role-trust-mismatch'];

/** The first ```lua block after "**Neovim**" in README.md. */
export function readmeNeovimBlock(readme: string): string {
  const section = readme.slice(readme.indexOf('**Neovim**'));
  const match = /```lua\n([\s\S]*?)```/.exec(section);
  assert.ok(match, 'README.md has no ```lua block after **Neovim**');
  return match[1]!;
}

it("the README's Neovim block runs on Neovim 0.7: cross-file findings, settings pushed, one server per root", () => {
  requireInstalled(NVIM, 'scripts/e2e-install.sh (Debian neovim)');
  const server = path.join(ROOT, 'dist', 'server.js');
  requireInstalled(server, '`npm run build`');
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-nvim-'));
  try {
    // As after `npm link`: irsa-language-server on PATH.
    const bin = path.join(temp, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(server, path.join(bin, 'irsa-language-server'));
    const block = path.join(temp, 'irsa.lua');
    fs.writeFileSync(block, readmeNeovimBlock(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')));

    // A project of its own (the block finds the root by .git upwards), not this checkout.
    const root = path.join(temp, 'namespace-pinning');
    fs.cpSync(path.join(EXAMPLES, 'namespace-pinning'), root, { recursive: true });
    fs.mkdirSync(path.join(root, '.git'));
    const run = spawnSync(NVIM, ['--headless', '--clean', '-c', `luafile ${block}`, '-c', `luafile ${path.join(ROOT, 'e2e', 'neovim', 'readme-check.lua')}`], {
      cwd: root,
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
        IRSA_ROOT: root,
        IRSA_FILE: path.join(root, 'k8s', 's3-reader.yaml'),
        IRSA_SECOND_FILE: path.join(root, 'iam', 's3-reader-trust.json'),
        IRSA_EXPECT_COUNT: String(EXPECTED.length),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    process.stdout.write(run.stdout);
    assert.equal(run.status, 0, `nvim exited ${run.status} (${run.signal ?? 'no signal'}): ${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.at(-1), 'clients 1', 'two files of one root share one server');
    const findings = lines
      .slice(0, -1)
      .map((line) => line.split(' ').slice(0, 3).join(' '))
      .sort();
    assert.deepEqual(findings, EXPECTED);
    assert.match(run.stdout, /admits only 'system:serviceaccount:prod:s3-reader'/);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
});
