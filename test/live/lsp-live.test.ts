/**
 * Live checks through the language server (the bundled dist/server.js over
 * stdio) against the loopback EKS/IAM stand-in: static diagnostics first,
 * live ones when AWS answers, the quick fix that writes the live issuer, the status line,
 * the hover, refresh and cache, and no AWS call in an untrusted workspace.
 */
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CodeActionRequest, HoverRequest, type CodeAction, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import type { LiveStatus } from '../../shared/protocol';
import { hasRule, ofRule, withServer, type LanguageServerSession } from '../lsp/harness';
import { AwsStandIn } from '../support/aws-stand-in';

const OLD_ID = '0123456789ABCDEF0123456789ABCDEF';
const NEW_ID = 'FEDCBA9876543210FEDCBA9876543210';
const TRUST = 'iam/s3-reader-trust.json';
let standIn: AwsStandIn;

before(async () => {
  standIn = await AwsStandIn.start();
});
after(() => standIn.close());
beforeEach(() => {
  standIn.requests.length = 0;
  standIn.faults = [];
  standIn.clusters = [{ name: 'payments', region: 'eu-west-1', account: '111122223333', issuerId: NEW_ID }];
  standIn.providers = [{ account: '111122223333', host: `oidc.eks.eu-west-1.amazonaws.com/id/${NEW_ID}`, clientIds: ['sts.amazonaws.com'] }];
});

const env = (extra: Record<string, string> = {}): Record<string, string> => ({ ...standIn.env(), HOME: '/nonexistent-irsa-home', KUBECONFIG: '/nonexistent-kubeconfig', ...extra });
const statuses = (s: LanguageServerSession): LiveStatus[] => s.customNotifications.filter(([m]) => m === 'irsa/liveStatus').map(([, p]) => p as LiveStatus);

describe('language server live checks', () => {
  it('publishes the stale issuer with the fix that writes the live one, shows the status and the hover, and refreshes', async () => {
    await withServer({ fixture: 'live', env: env(), initializationOptions: { workspaceTrusted: true } }, async (s) => {
      const ds = await s.waitForDiagnostics(TRUST, hasRule('trust-issuer-stale'));
      const stale = ofRule(ds, 'trust-issuer-stale');
      assert.equal(stale.length, 3);
      const principal = stale.find((d) => d.range.start.line === 6)!;
      // The fix comes from the server's own finding (the live facts it was made with), not from data in the diagnostic.
      const actions = (await s.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: s.uri(TRUST) }, range: principal.range, context: { diagnostics: [principal] } })) as CodeAction[];
      assert.deepEqual(
        actions.map((a) => a.title),
        [
          `Replace issuer ID '${OLD_ID}' with the live cluster's '${NEW_ID}' of 'payments'`,
          'Ignore trust-issuer-stale here (.irsa-lint.json)',
          'Turn off trust-issuer-stale in this workspace (.irsa-lint.json)',
          'Show documentation for trust-issuer-stale',
        ],
      );
      const written = (actions[0]!.edit?.documentChanges ?? []).flatMap((c) => ('edits' in c ? c.edits.map((e) => ('newText' in e ? e.newText : undefined)) : []));
      assert.ok(written.length >= 2 && written.every((t) => t === NEW_ID), `every mention of the old ID in the policy becomes the live one: ${JSON.stringify(written)}`);
      // The stale ID lies inside the range the fix edits.
      const line = s.diskText(TRUST).split('\n')[6]!;
      assert.ok(line.slice(principal.range.start.character, principal.range.end.character).includes(OLD_ID));
      // Static findings are still there.
      await s.waitForDiagnostics('k8s/s3-reader.yaml', hasRule('sa-role-trust-mismatch'));
      await s.waitUntil('an ok status', () => statuses(s).find((x) => x.state === 'ok' && x.text === 'IRSA: live 1 cluster · 1 role'));

      const hover = (await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: s.uri(TRUST) }, position: { line: 6, character: 60 } })) as Hover | null;
      const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
      assert.match(value, /live cluster `payments`\*\* \(eu-west-1, account 111122223333\)/);
      assert.match(value, /status: ACTIVE/);
      assert.match(value, /last fetched: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      assert.match(value, new RegExp(`\`${OLD_ID}\`, is stale`));

      // Cached: an edit does not call AWS again; the refresh request does.
      const calls = standIn.count('eks');
      await s.openDocument('k8s/s3-reader.yaml');
      await s.replaceInDocument('k8s/s3-reader.yaml', 'namespace: demo', 'namespace: payments');
      await s.waitForDiagnostics('k8s/s3-reader.yaml', (d) => !hasRule('sa-role-trust-mismatch')(d));
      assert.equal(standIn.count('eks'), calls);
      standIn.clusters = [{ ...standIn.clusters[0]!, issuerId: OLD_ID }];
      standIn.providers = [{ account: '111122223333', host: `oidc.eks.eu-west-1.amazonaws.com/id/${OLD_ID}`, clientIds: ['sts.amazonaws.com'] }];
      const status = await s.connection.sendRequest<LiveStatus>('irsa/refreshLiveClusters');
      assert.equal(status.state, 'ok');
      assert.equal(standIn.count('eks'), calls + 1);
      await s.waitForDiagnostics(TRUST, (d) => !hasRule('trust-issuer-stale')(d));
    });
  });

  it('shows a fault in the status and the log, and keeps the static diagnostics', async () => {
    standIn.faults = [{ service: 'eks', status: 403, code: 'AccessDeniedException', message: 'not authorized', times: 9 }];
    await withServer({ fixture: 'live', env: env(), initializationOptions: { workspaceTrusted: true } }, async (s) => {
      const status = await s.waitUntil('a failed status', () => statuses(s).find((x) => x.state === 'failed'));
      assert.equal(status.text, 'IRSA: live check failed (payments: AWS denied eks:DescribeCluster)');
      assert.ok(s.logMessages.some((m) => /Live check: cluster payments \(eu-west-1\): AWS denied eks:DescribeCluster/.test(m.message)));
      assert.ok(!s.logMessages.some((m) => m.message.includes('AKIAIOSFODNN7EXAMPLE') || m.message.includes('wJalrXUtnFEMI')));
      await s.waitForDiagnostics('k8s/s3-reader.yaml', hasRule('sa-role-trust-mismatch'));
      assert.ok(!hasRule('trust-issuer-stale')(s.diagnostics(TRUST)));
    });
  });

  for (const [name, init, settings] of [
    ['the workspace is untrusted', { workspaceTrusted: false }, { live: { enabled: true } }],
    ['irsa.live.enabled is false', { workspaceTrusted: true }, { live: { enabled: false } }],
    ['a client says nothing about trust and did not opt in', undefined, null],
  ] as const) {
    it(`calls nothing when ${name}`, async () => {
      await withServer({ fixture: 'live', env: env(), settings, ...(init ? { initializationOptions: init } : {}) }, async (s) => {
        await s.waitForDiagnostics('k8s/s3-reader.yaml', hasRule('sa-role-trust-mismatch'));
        const status = await s.waitUntil('an off status', () => statuses(s).find((x) => x.state === 'off'));
        assert.match(status.tooltip, /Static checks run as usual/);
        assert.ok(s.logMessages.some((m) => m.message === `${status.text}. ${status.tooltip}`), 'and so does the log');
        assert.equal(standIn.count(), 0);
      });
    });
  }

  it('calls nothing, and says why without alarm, in a trusted workspace where no AWS credentials are configured', async () => {
    const noCredentials = env({ AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' });
    await withServer({ fixture: 'live', env: noCredentials, initializationOptions: { workspaceTrusted: true } }, async (s) => {
      await s.waitForDiagnostics('k8s/s3-reader.yaml', hasRule('sa-role-trust-mismatch'));
      const status = await s.waitUntil('an off status', () => statuses(s).find((x) => x.state === 'off'));
      assert.match(status.tooltip, /no AWS credentials are configured/);
      assert.ok(
        s.logMessages.some((m) => m.message.startsWith('IRSA: live off. Live cluster checks are off: no AWS credentials are configured')),
        'the output channel says why, as the status bar does',
      );
      assert.ok(!statuses(s).some((x) => x.state === 'failed'), 'no failure is shown for a machine that never had AWS set up');
      assert.equal(standIn.count(), 0);
    });
  });

  it('starts calling when the user grants trust', async () => {
    await withServer({ fixture: 'live', env: env(), settings: { live: { enabled: true } }, initializationOptions: { workspaceTrusted: false } }, async (s) => {
      await s.waitUntil('an off status', () => statuses(s).find((x) => x.state === 'off'));
      assert.equal(standIn.count(), 0);
      await s.connection.sendNotification('irsa/workspaceTrusted');
      await s.waitForDiagnostics(TRUST, hasRule('trust-issuer-stale'));
      assert.ok(standIn.count('eks') >= 1);
    });
  });
});
