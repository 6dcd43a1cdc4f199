/**
 * Live roles and ServiceAccounts through the language server (the bundled
 * dist/server.js over stdio, loading dist/kubernetes-client.js) against the
 * loopback AWS and Kubernetes stand-ins: the findings they feed, the hover
 * on a ServiceAccount, faults in the output, and no request at all in an
 * untrusted workspace.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import type { LiveStatus } from '../../shared/protocol';
import { hasRule, withServer, type LanguageServerSession } from '../lsp/harness';
import { AwsStandIn } from '../support/aws-stand-in';
import { KubernetesStandIn, STAND_IN_TOKEN } from '../support/kubernetes-stand-in';

const ID = 'FEDCBA9876543210FEDCBA9876543210';
const LEDGER = 'k8s/ledger.yaml';
const ARCHIVE = 'k8s/archive.yaml';
let aws: AwsStandIn;
let k8s: KubernetesStandIn;
let dir: string;
let kubeconfig: string;

before(async () => {
  aws = await AwsStandIn.start();
  k8s = await KubernetesStandIn.start();
  dir = KubernetesStandIn.tempDir();
  kubeconfig = k8s.writeKubeconfig(dir, [{ name: 'payments', cluster: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments' }]);
});
after(async () => {
  await aws.close();
  await k8s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  aws.requests.length = 0;
  aws.faults = [];
  aws.clusters = [{ name: 'payments', region: 'eu-west-1', account: '111122223333', issuerId: ID }];
  aws.providers = [{ account: '111122223333', host: `oidc.eks.eu-west-1.amazonaws.com/id/${ID}`, clientIds: ['sts.amazonaws.com'] }];
  aws.roles = [
    {
      account: '111122223333',
      name: 'ledger-writer',
      attached: ['arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess'],
      trust: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/${ID}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`oidc.eks.eu-west-1.amazonaws.com/id/${ID}:sub`]: 'system:serviceaccount:ledger:ledger-api' } } }] }),
    },
  ];
  k8s.requests.length = 0;
  k8s.faults = [];
  k8s.serviceAccounts = [
    { namespace: 'ledger', name: 'ledger-writer', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/ledger-writer', 'eks.amazonaws.com/audience': 'sts.amazonaws.com' } },
    { namespace: 'archive', name: 'default' },
  ];
});

const env = (): Record<string, string> => ({ ...aws.env(), HOME: path.join(dir, 'home'), KUBECONFIG: kubeconfig });
const statuses = (s: LanguageServerSession): LiveStatus[] => s.customNotifications.filter(([m]) => m === 'irsa/liveStatus').map(([, p]) => p as LiveStatus);

describe('language server live roles and ServiceAccounts', () => {
  it('reports from IAM and Kubernetes, and hovers on a ServiceAccount with the live trust, annotation and fetch time', async () => {
    await withServer({ fixture: 'live-roles', env: env(), initializationOptions: { workspaceTrusted: true } }, async (s) => {
      const ledger = await s.waitForDiagnostics(LEDGER, hasRule('sa-role-trust-mismatch'));
      // Diagnostics show code spans in single quotes.
      assert.match(String(ledger.find((d) => d.code === 'sa-role-trust-mismatch')?.message), /whose trust policy in IAM admits only 'system:serviceaccount:ledger:ledger-api'/);
      await s.waitForDiagnostics(ARCHIVE, (d) => hasRule('sa-role-missing')(d) && hasRule('sa-live-missing')(d));
      const status = await s.waitUntil('an ok status', () => statuses(s).find((x) => x.state === 'ok'));
      // The status line counts what was read, not the clusters alone.
      assert.match(status.text, /^IRSA: live 1 cluster · [12] roles? · 1 context$/);
      assert.match(status.tooltip, /1 role[s]? in IAM|2 roles in IAM/);
      assert.match(status.tooltip, /kube context payments/);

      const hover = (await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: s.uri(LEDGER) }, position: { line: 7, character: 50 } })) as Hover | null;
      const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
      assert.match(value, /IRSA live role `arn:aws:iam::111122223333:role\/ledger-writer`\*\* \(iam:GetRole, \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      assert.match(value, /system:serviceaccount:ledger:ledger-api/);
      assert.match(value, /managed policies: `arn:aws:iam::aws:policy\/AmazonDynamoDBReadOnlyAccess`/);
      assert.match(value, /IRSA live ServiceAccount `ledger\/ledger-writer`\*\* in context `payments` \(cluster `payments`\), \d{4}-.* UTC: role-arn `arn:aws:iam::111122223333:role\/ledger-writer`, audience `sts.amazonaws.com`/);
    });
  });

  it('logs a Kubernetes fault to the output, without the token, and keeps the IAM findings', async () => {
    k8s.faults = [{ status: 401, times: 99 }];
    await withServer({ fixture: 'live-roles', env: env(), initializationOptions: { workspaceTrusted: true } }, async (s) => {
      await s.waitForDiagnostics(LEDGER, hasRule('sa-role-trust-mismatch'));
      const failed = await s.waitUntil('a failed status', () => statuses(s).find((x) => x.state === 'failed'));
      assert.match(failed.text, /IRSA: live check failed \(payments: the API server rejected the credentials/);
      assert.ok(s.logMessages.some((m) => /^Live check: kube context payments: the API server rejected the credentials .*HTTP 401/.test(m.message)));
      assert.ok(!s.logMessages.some((m) => m.message.includes(STAND_IN_TOKEN)));
      const archive = await s.waitForDiagnostics(ARCHIVE, hasRule('sa-role-missing'));
      assert.ok(!hasRule('sa-live-missing')(archive), 'an unreadable context judges no drift');
    });
  });

  it('makes no request to AWS or Kubernetes in an untrusted workspace, even with contexts named and live checks enabled', async () => {
    await withServer({ fixture: 'live-roles', env: env(), settings: { live: { enabled: true, kubernetesContexts: ['payments'] } }, initializationOptions: { workspaceTrusted: false } }, async (s) => {
      await s.waitUntil('an off status', () => statuses(s).find((x) => x.state === 'off'));
      const archive = await s.waitForDiagnostics(ARCHIVE, () => true);
      assert.ok(!hasRule('sa-role-missing')(archive));
      assert.equal(aws.count(), 0);
      assert.equal(k8s.requests.length, 0);
    });
  });
});
