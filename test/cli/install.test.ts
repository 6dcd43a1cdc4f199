/**
 * The npm package, as a user gets it: `npm pack` the repository, install
 * the tarball globally into a temporary prefix with npm offline (an empty
 * cache and a registry that does not answer, so the install proves that
 * nothing is fetched: the bundles carry every dependency), then run both
 * bins from outside the repository. The CLI must find its wasm grammar
 * (a Terraform finding), the language server must answer `initialize` over
 * stdio and publish diagnostics.
 *
 * `npm pack --ignore-scripts` packs the dist/ the test run built, rather
 * than rebuilding it under the other tests' feet; the minified build that a
 * plain `npm pack` makes is what scripts/build.mjs does for `pack`.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasRule, LanguageServerSession } from '../lsp/harness';
import { AwsStandIn } from '../support/aws-stand-in';
import { findingHeads, WORKSPACES } from './support';

const REPO = path.join(__dirname, '..', '..', '..');
/** The development build packs to about 1.2 MB and the minified one to about 0.9 MB. */
const MAX_TARBALL_BYTES = 2 * 1024 * 1024;
const EXPECTED_FILES = ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/aws-sdk.js', 'dist/cli.js', 'dist/server.js', 'dist/tree-sitter-terraform.wasm', 'dist/web-tree-sitter.wasm', 'package.json'];

let scratch: string;
let tarball: string;
let prefix: string;

/** npm with a private, empty cache and a registry on a closed loopback port: any fetch fails. */
function npm(args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env: Record<string, string | undefined> = {
    ...process.env,
    npm_config_cache: path.join(scratch, 'npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  // When the suite itself runs under `npm test`, npm's own variables would leak into the child npm.
  for (const name of Object.keys(env)) if (name.startsWith('npm_') && !name.startsWith('npm_config_')) delete env[name];
  const result = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-lint-install-'));
  const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], REPO);
  assert.equal(packed.status, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  assert.deepEqual(info!.files.map((f) => f.path).sort(), EXPECTED_FILES, 'the `files` whitelist of package.json');
  tarball = path.join(scratch, info!.filename);
  prefix = path.join(scratch, 'prefix');
  const installed = npm(['install', '--global', '--prefix', prefix, '--offline', tarball], scratch);
  assert.equal(installed.status, 0, installed.stderr);
});

after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the npm package', () => {
  it('is small and declares no runtime dependencies (everything is bundled)', () => {
    const size = fs.statSync(tarball).size;
    assert.ok(size < MAX_TARBALL_BYTES, `${tarball} is ${size} bytes`);
    const manifest = JSON.parse(fs.readFileSync(path.join(prefix, 'lib', 'node_modules', 'irsa-lint', 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest['dependencies'], undefined);
    assert.equal(manifest['private'], undefined, 'a private package cannot be published');
    assert.deepEqual(fs.readdirSync(path.join(prefix, 'lib', 'node_modules', 'irsa-lint')).sort(), ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist', 'package.json']);
  });

  it('installs an irsa-lint bin that lints a workspace outside the repository, Terraform included', () => {
    const workspace = path.join(scratch, 'workspace');
    fs.cpSync(path.join(WORKSPACES, 'cli-mismatch'), path.join(workspace, 'apps'), { recursive: true });
    fs.cpSync(path.join(WORKSPACES, 'cli-terraform'), path.join(workspace, 'infra'), { recursive: true });
    const run = spawnSync(path.join(prefix, 'bin', 'irsa-lint'), ['.', '--no-live'], { cwd: workspace, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env['PATH'] ?? '', HOME: scratch } });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), [
      'apps/k8s/s3-reader-sa.yaml:7:33 error sa-role-trust-mismatch',
      'apps/roles/s3-reader.json:12:87 warning trust-sub-no-service-account',
      'infra/terraform/main.tf:8:22 warning trust-missing-aud',
    ]);
    const version = spawnSync(path.join(prefix, 'bin', 'irsa-lint'), ['--version'], { encoding: 'utf8' });
    assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('installs an irsa-lint bin whose live check loads the AWS SDK from its own chunk (dist/aws-sdk.js)', async () => {
    const standIn = await AwsStandIn.start();
    try {
      standIn.clusters = [{ name: 'payments', region: 'eu-west-1', account: '111122223333', issuerId: 'FEDCBA9876543210FEDCBA9876543210' }];
      standIn.providers = [{ account: '111122223333', host: 'oidc.eks.eu-west-1.amazonaws.com/id/FEDCBA9876543210FEDCBA9876543210', clientIds: ['sts.amazonaws.com'] }];
      const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: scratch, ...standIn.env() };
      // Async: the stand-in answers from this process.
      const child = spawn(path.join(prefix, 'bin', 'irsa-lint'), ['.', '--format', 'json', '--exit-zero'], { cwd: path.join(WORKSPACES, 'live'), env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(status, 0, stderr);
      assert.ok(standIn.requests.length > 0, `no request reached the stand-in: ${stderr}`);
      assert.match(stdout, /trust-issuer-stale/, stderr);
    } finally {
      await standIn.close();
    }
  });

  it('installs an irsa-language-server bin that answers initialize over stdio and publishes diagnostics', async () => {
    const session = await LanguageServerSession.start({ fixture: 'cli-terraform', serverExecutable: path.join(prefix, 'bin', 'irsa-language-server') });
    try {
      assert.ok(session.initializeResult?.capabilities.textDocumentSync !== undefined, JSON.stringify(session.initializeResult));
      await session.waitForDiagnostics('terraform/main.tf', hasRule('trust-missing-aud'));
    } finally {
      assert.equal(await session.shutdown(), 0);
    }
  });
});
