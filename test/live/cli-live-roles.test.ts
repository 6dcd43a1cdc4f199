/**
 * The live roles and ServiceAccounts through the CLI as users run it (the
 * bundled dist/cli.js, spawned, loading dist/kubernetes-client.js), against
 * the loopback AWS stand-in (EKS, IAM with GetRole) and the loopback
 * Kubernetes stand-in reached through a kubeconfig the test writes.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CLI, WORKSPACES } from '../cli/support';
import { AwsStandIn } from '../support/aws-stand-in';
import { KubernetesStandIn, STAND_IN_TOKEN } from '../support/kubernetes-stand-in';

const ID = 'FEDCBA9876543210FEDCBA9876543210';
const WORKSPACE = path.join(WORKSPACES, 'live-roles');
const trust = (subject: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/${ID}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`oidc.eks.eu-west-1.amazonaws.com/id/${ID}:sub`]: subject } } }],
  });
let aws: AwsStandIn;
let k8s: KubernetesStandIn;
let home: string;
let kubeconfig: string;

function run(args: readonly string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return runArgv(['.', ...args], env);
}

function runArgv(argv: readonly string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(clean)) if (k.startsWith('AWS_') || k === 'KUBECONFIG' || k === 'NODE_OPTIONS') delete clean[k];
  const child = spawn(process.execPath, [CLI, ...argv], { cwd: WORKSPACE, env: { ...clean, HOME: home, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const heads = (stdout: string): string[] => stdout.split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 3).join(' '));
const liveLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('irsa-lint: live check:'));

before(async () => {
  aws = await AwsStandIn.start();
  k8s = await KubernetesStandIn.start();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-live-roles-home-'));
  kubeconfig = k8s.writeKubeconfig(home, [{ name: 'payments', cluster: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments' }]);
});
after(async () => {
  await aws.close();
  await k8s.close();
  fs.rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  aws.requests.length = 0;
  aws.faults = [];
  aws.clusters = [{ name: 'payments', region: 'eu-west-1', account: '111122223333', issuerId: ID }];
  aws.providers = [{ account: '111122223333', host: `oidc.eks.eu-west-1.amazonaws.com/id/${ID}`, clientIds: ['sts.amazonaws.com'] }];
  aws.roles = [{ account: '111122223333', name: 'ledger-writer', trust: trust('system:serviceaccount:ledger:ledger-api'), attached: ['arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess'] }];
  k8s.requests.length = 0;
  k8s.faults = [];
  k8s.serviceAccounts = [
    { namespace: 'ledger', name: 'ledger-writer', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/ledger-writer' } },
    { namespace: 'archive', name: 'archive-uploader', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/archive-uploader' } },
  ];
});

describe('irsa-lint live roles and ServiceAccounts', () => {
  it('judges the undeclared role by its trust in IAM, says which role is missing, and which ServiceAccount the cluster lacks', async () => {
    const r = await run([], { ...aws.env(), KUBECONFIG: kubeconfig });
    assert.deepEqual(heads(r.stdout).filter((h) => h.includes(':')).sort(), [
      'k8s/archive.yaml:12:9 note sa-live-missing',
      'k8s/archive.yaml:7:33 warning sa-role-missing',
      'k8s/ledger.yaml:8:33 error sa-role-trust-mismatch',
    ]);
    assert.match(r.stdout, /whose trust policy in IAM admits only 'system:serviceaccount:ledger:ledger-api'/);
    assert.deepEqual(liveLines(r.stderr), []);
    assert.equal(r.status, 1);
    assert.deepEqual(aws.requests.filter((q) => q.service === 'iam').map((q) => q.action).filter((a) => a !== 'ListOpenIDConnectProviders' && a !== 'GetOpenIDConnectProvider').sort(), ['GetRole', 'GetRole', 'ListAttachedRolePolicies', 'ListRolePolicies']);
    assert.equal(k8s.requests.length, 1);
    assert.equal(k8s.requests[0]!.authorization, `Bearer ${STAND_IN_TOKEN}`);
  });

  it('with --no-live calls neither AWS nor Kubernetes', async () => {
    const r = await run(['--no-live'], { ...aws.env(), KUBECONFIG: kubeconfig });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(aws.count(), 0);
    assert.equal(k8s.requests.length, 0);
  });

  it('says in one line that Kubernetes denied the listing, keeps the other findings, and never prints the token', async () => {
    k8s.faults = [{ status: 403, times: 9 }];
    const r = await run(['--kube-context', 'payments'], { ...aws.env(), KUBECONFIG: kubeconfig });
    assert.deepEqual(liveLines(r.stderr), ['irsa-lint: live check: kube context payments: Kubernetes denied listing ServiceAccounts (GET /api/v1/serviceaccounts) (HTTP 403); the user needs `list` on `serviceaccounts` at cluster scope (a ClusterRole binding or an EKS access entry).']);
    assert.ok(heads(r.stdout).includes('k8s/ledger.yaml:8:33 error sa-role-trust-mismatch'));
    assert.ok(!heads(r.stdout).some((h) => h.includes('sa-live-missing')));
    assert.ok(!`${r.stdout}${r.stderr}`.includes(STAND_IN_TOKEN));
  });

  it('inventory --live shows the live role\'s permissions and the cluster-only ServiceAccounts; without --live it asks nothing', async () => {
    const offline = await runArgv(['inventory', '.', '--format', 'json'], { ...aws.env(), KUBECONFIG: kubeconfig });
    assert.equal(offline.status, 0, offline.stderr);
    assert.equal(aws.count(), 0);
    assert.equal(k8s.requests.length, 0);
    assert.equal((JSON.parse(offline.stdout) as { liveOnly?: unknown }).liveOnly, undefined);

    k8s.serviceAccounts.push({ namespace: 'ops', name: 'backup', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/backup' } });
    const r = await runArgv(['inventory', '.', '--live', '--format', 'json'], { ...aws.env(), KUBECONFIG: kubeconfig });
    assert.equal(r.status, 0, r.stderr);
    const inventory = JSON.parse(r.stdout) as { rows: { serviceAccount: string; live?: { attachedPolicies?: string[] } }[]; liveOnly?: { namespace: string; serviceAccount: string; roleArn: string }[] };
    const ledger = inventory.rows.find((row) => row.serviceAccount === 'ledger-writer');
    assert.deepEqual(ledger?.live?.attachedPolicies, ['arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess']);
    assert.ok(inventory.liveOnly?.some((s) => `${s.namespace}/${s.serviceAccount} ${s.roleArn}` === 'ops/backup arn:aws:iam::111122223333:role/backup'), JSON.stringify(inventory.liveOnly));
    assert.ok(!`${r.stdout}${r.stderr}`.includes(STAND_IN_TOKEN));
    assert.equal(k8s.requests.length, 1);
  });

  it('names a context the kubeconfig lacks', async () => {
    const r = await run(['--kube-context', 'staging'], { ...aws.env(), KUBECONFIG: kubeconfig });
    assert.match(liveLines(r.stderr).join('\n'), /kube context staging: no such context in the kubeconfig; name one of payments/);
    assert.equal(k8s.requests.length, 0);
  });
});
