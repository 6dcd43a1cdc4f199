/**
 * Live checks through the CLI as users run it (the bundled dist/cli.js,
 * spawned), against the loopback EKS/IAM stand-in reached by the real SDK
 * through AWS_ENDPOINT_URL_EKS / AWS_ENDPOINT_URL_IAM. Every fault keeps the
 * static finding (sa-role-trust-mismatch on the ServiceAccount) and the
 * exit status it implies.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CLI, WORKSPACES } from '../cli/support';
import { AwsStandIn } from '../support/aws-stand-in';

const OLD_ID = '0123456789ABCDEF0123456789ABCDEF';
const NEW_ID = 'FEDCBA9876543210FEDCBA9876543210';
const WORKSPACE = path.join(WORKSPACES, 'live');
const STATIC = 'k8s/s3-reader.yaml:8:33 error sa-role-trust-mismatch';
let standIn: AwsStandIn;
let home: string;

/** Async spawn: the stand-in answers from this process, so it must not block. */
function run(args: readonly string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(clean)) if (k.startsWith('AWS_') || k === 'KUBECONFIG' || k === 'NODE_OPTIONS') delete clean[k];
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, '.', ...args], { cwd: WORKSPACE, env: { ...clean, HOME: home, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - started })));
}

const heads = (stdout: string): string[] => stdout.split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 3).join(' '));
const liveLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('irsa-lint: live check:'));

before(async () => {
  standIn = await AwsStandIn.start();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-live-home-'));
});
after(async () => {
  await standIn.close();
  fs.rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  standIn.requests.length = 0;
  standIn.faults = [];
  standIn.clusters = [{ name: 'payments', region: 'eu-west-1', account: '111122223333', issuerId: NEW_ID }];
  standIn.providers = [{ account: '111122223333', host: `oidc.eks.eu-west-1.amazonaws.com/id/${NEW_ID}`, clientIds: ['sts.amazonaws.com'] }];
});

describe('irsa-lint live checks', () => {
  it('finds the stale issuer ID, and nothing once it is replaced by the live one', async () => {
    const r = await run([], standIn.env());
    assert.deepEqual(heads(r.stdout).filter((h) => h.includes('trust-issuer-stale')), [
      'iam/s3-reader-trust.json:7:22 error trust-issuer-stale',
      'iam/s3-reader-trust.json:12:11 error trust-issuer-stale',
      'iam/s3-reader-trust.json:13:11 error trust-issuer-stale',
    ]);
    assert.match(r.stdout, new RegExp(`Replace '${OLD_ID}' with '${NEW_ID}'`));
    assert.ok(heads(r.stdout).includes(STATIC));
    assert.deepEqual(liveLines(r.stderr), []);

    const fixed = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-live-fixed-'));
    try {
      fs.cpSync(WORKSPACE, fixed, { recursive: true });
      const trust = path.join(fixed, 'iam', 's3-reader-trust.json');
      fs.writeFileSync(trust, fs.readFileSync(trust, 'utf8').split(OLD_ID).join(NEW_ID));
      const again = await new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [CLI, '.'], { cwd: fixed, env: { ...process.env, HOME: home, ...standIn.env() } });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', () => resolve(out));
      });
      assert.ok(!again.includes('trust-issuer-stale'), again);
      assert.ok(!again.includes('oidc-provider-missing'), again);
    } finally {
      fs.rmSync(fixed, { recursive: true, force: true });
    }
  });

  it('finds the missing OIDC provider, with both remedies, also in SARIF', async () => {
    standIn.providers = [];
    const r = await run(['--format', 'sarif'], standIn.env());
    const sarif = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; message: { text: string } }[] }[] };
    const run0 = sarif.runs[0]!;
    assert.ok(run0.tool.driver.rules.some((x) => x.id === 'oidc-provider-missing'));
    assert.ok(run0.tool.driver.rules.some((x) => x.id === 'trust-issuer-stale'));
    const missing = run0.results.filter((x) => x.ruleId === 'oidc-provider-missing');
    assert.equal(missing.length, 1);
    assert.match(missing[0]!.message.text, /eksctl utils associate-iam-oidc-provider --cluster payments --region eu-west-1 --approve/);
    assert.match(missing[0]!.message.text, /aws_iam_openid_connect_provider/);
    assert.ok(run0.results.some((x) => x.ruleId === 'sa-role-trust-mismatch'));
  });

  const faults: [string, () => { args: string[]; env: Record<string, string> }, RegExp][] = [
    ['no credentials', () => ({ args: ['--cluster', 'payments'], env: { AWS_ENDPOINT_URL_EKS: standIn.eksEndpoint, AWS_ENDPOINT_URL_IAM: standIn.iamEndpoint, AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true' } }), /cluster payments \(eu-west-1\): no AWS credentials found/],
    ['an expired SSO token', () => ({ args: ['--cluster', 'payments', '--profile', 'sso-dev'], env: { AWS_ENDPOINT_URL_EKS: standIn.eksEndpoint, AWS_ENDPOINT_URL_IAM: standIn.iamEndpoint, AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true', HOME: ssoHome() } }), /SSO session of profile sso-dev has expired; run `aws sso login --profile sso-dev`/],
    ['AccessDenied on eks:DescribeCluster', () => { standIn.faults = [{ service: 'eks', status: 403, code: 'AccessDeniedException', message: 'not authorized', times: 9 }]; return { args: [], env: standIn.env() }; }, /AWS denied eks:DescribeCluster \(AccessDeniedException\)/],
    ['a cluster that does not exist', () => ({ args: ['--cluster', 'gone', '--region', 'eu-west-1'], env: standIn.env() }), /cluster gone \(eu-west-1\): not found in eu-west-1/],
    ['an unreachable endpoint', () => ({ args: ['--cluster', 'payments'], env: standIn.env({ AWS_ENDPOINT_URL_EKS: 'http://127.0.0.1:9/eks' }) }), /endpoint is unreachable \(ECONNREFUSED\)/],
    ['throttling after the retry', () => { standIn.faults = [{ service: 'eks', status: 429, code: 'ThrottlingException', message: 'Rate exceeded', times: 9 }]; return { args: [], env: standIn.env() }; }, /throttled eks:DescribeCluster and the retry was throttled too/],
    ['throttling by HTTP 429 alone', () => { standIn.faults = [{ service: 'eks', status: 429, code: '', message: 'Too Many Requests', times: 9 }]; return { args: [], env: standIn.env() }; }, /throttled eks:DescribeCluster and the retry was throttled too/],
    ['a reset connection', () => { standIn.faults = [{ service: 'eks', status: 0, code: '', message: '', times: 9, reset: true }]; return { args: [], env: standIn.env() }; }, /the connection to AWS was reset before eks:DescribeCluster was answered \(ECONNRESET\)/],
    ['expired credentials', () => { standIn.faults = [{ service: 'eks', status: 403, code: 'ExpiredTokenException', message: 'The security token included in the request is expired', times: 9 }]; return { args: [], env: standIn.env() }; }, /the AWS credentials have expired \(ExpiredTokenException\); renew them/],
    ['an issuer that is not a string', () => { standIn.clusters = [{ ...standIn.clusters[0]!, raw: { name: 'payments', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments', status: 'ACTIVE', identity: { oidc: { issuer: 42 } } } }]; return { args: [], env: standIn.env() }; }, /eks:DescribeCluster answered with a malformed identity\.oidc\.issuer; its issuer is not checked/],
  ];
  for (const [name, setup, expected] of faults) {
    it(`reports ${name} in one line and keeps the static findings`, async () => {
      const { args, env } = setup();
      const r = await run(args, env);
      const lines = liveLines(r.stderr);
      assert.ok(lines.some((l) => expected.test(l)), r.stderr);
      assert.ok(heads(r.stdout).includes(STATIC), r.stdout);
      assert.equal(r.status, 1, 'the static error decides the exit status, not the fault');
      assert.ok(!r.stderr.includes('NodeVersionSupportWarning'), r.stderr);
      assert.ok(!r.stderr.includes('wJalrXUtnFEMI') && !r.stderr.includes('AKIAIOSFODNN7EXAMPLE'), r.stderr);
    });
  }

  it('retries once on throttling and then finds the stale issuer', async () => {
    standIn.faults = [{ service: 'eks', status: 429, code: 'ThrottlingException', message: 'Rate exceeded', times: 1 }];
    const r = await run([], standIn.env());
    assert.equal(standIn.count('eks'), 2);
    assert.ok(r.stdout.includes('trust-issuer-stale'));
  });

  it('calls nothing with --no-live', async () => {
    const r = await run(['--no-live', '--cluster', 'payments'], standIn.env());
    assert.equal(standIn.count(), 0);
    assert.ok(heads(r.stdout).includes(STATIC));
    assert.ok(!r.stdout.includes('trust-issuer-stale'));
  });

  it('calls nothing and says nothing without credentials or a named cluster (CI, the README command), quickly', async () => {
    const r = await run([], { AWS_ENDPOINT_URL_EKS: standIn.eksEndpoint, AWS_ENDPOINT_URL_IAM: standIn.iamEndpoint });
    assert.equal(standIn.count(), 0);
    assert.deepEqual(liveLines(r.stderr), []);
    assert.ok(heads(r.stdout).includes(STATIC));
    assert.ok(r.ms < 5000, `${r.ms} ms`);
  });
});

/** A HOME whose profile uses a legacy SSO configuration with an expired cached token. */
function ssoHome(): string {
  const dir = path.join(home, 'sso');
  const startUrl = 'https://example.awsapps.com/start';
  fs.mkdirSync(path.join(dir, '.aws', 'sso', 'cache'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.aws', 'config'), `[profile sso-dev]\nsso_start_url = ${startUrl}\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\n`);
  // The SDK names the cache file after the SHA-1 of the start URL.
  const hash = createHash('sha1').update(startUrl).digest('hex');
  fs.writeFileSync(path.join(dir, '.aws', 'sso', 'cache', `${hash}.json`), JSON.stringify({ startUrl, region: 'eu-west-1', accessToken: 'expired-token-value', expiresAt: '2020-01-01T00:00:00Z' }));
  return dir;
}
