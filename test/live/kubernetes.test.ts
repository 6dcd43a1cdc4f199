/**
 * Live ServiceAccounts through the real `@kubernetes/client-node`, against
 * the loopback stand-in of the Kubernetes API reached through a kubeconfig
 * the test writes: what is read, paging, each fault as one line without the
 * token, and the time bound.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fetchKubernetesServiceAccounts, readServiceAccountList } from '../../server/src/node/kubernetes';
import { KubernetesStandIn, STAND_IN_TOKEN, type KubernetesFault } from '../support/kubernetes-stand-in';

const ROLE = 'arn:aws:iam::111122223333:role/s3-reader';
let standIn: KubernetesStandIn;
let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  standIn = await KubernetesStandIn.start();
  dir = KubernetesStandIn.tempDir();
  env = { KUBECONFIG: standIn.writeKubeconfig(dir, [{ name: 'prod', cluster: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments' }, { name: 'dev' }]) };
});
after(async () => {
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  standIn.requests.length = 0;
  standIn.faults = [];
  standIn.pageSize = 1000;
  standIn.serviceAccounts = [
    { namespace: 'payments', name: 's3-reader', annotations: { 'eks.amazonaws.com/role-arn': ROLE, 'eks.amazonaws.com/audience': 'sts.amazonaws.com', 'eks.amazonaws.com/token-expiration': '3600', 'other/annotation': 'x' } },
    { namespace: 'kube-system', name: 'default' },
  ];
});

describe('fetchKubernetesServiceAccounts', () => {
  it('lists the ServiceAccounts of all namespaces of the current context, with the IRSA annotations, sending the kubeconfig token', async () => {
    const r = await fetchKubernetesServiceAccounts([], { timeoutMs: 5000, now: () => 7, env });
    assert.deepEqual(r.faults, []);
    assert.deepEqual(r.contexts, [
      {
        kind: 'read',
        context: 'prod',
        cluster: 'payments',
        fetchedAt: 7,
        serviceAccounts: [
          { namespace: 'payments', name: 's3-reader', roleArn: ROLE, audience: 'sts.amazonaws.com', tokenExpiration: '3600' },
          { namespace: 'kube-system', name: 'default' },
        ],
      },
    ]);
    assert.equal(standIn.requests.length, 1);
    assert.match(standIn.requests[0]!.url, /^\/api\/v1\/serviceaccounts\?limit=500/);
    assert.equal(standIn.requests[0]!.authorization, `Bearer ${STAND_IN_TOKEN}`);
  });

  it('reads the contexts named, and follows continue tokens', async () => {
    standIn.pageSize = 1;
    const r = await fetchKubernetesServiceAccounts(['dev'], { timeoutMs: 5000, env });
    assert.deepEqual(r.faults, []);
    const [dev] = r.contexts;
    assert.ok(dev?.kind === 'read');
    assert.equal(dev.cluster, undefined, 'a context whose cluster is not an EKS ARN names no cluster');
    assert.deepEqual(dev.serviceAccounts.map((s) => s.name), ['s3-reader', 'default']);
    assert.equal(standIn.requests.length, 2);
    assert.match(standIn.requests[1]!.url, /continue=1/);
  });

  it('says which context does not exist, without a request', async () => {
    const r = await fetchKubernetesServiceAccounts(['staging'], { timeoutMs: 5000, env });
    assert.deepEqual(r.contexts, [{ kind: 'unknown', context: 'staging' }]);
    assert.match(r.faults[0]!.message, /^kube context staging: no such context in the kubeconfig; name one of prod, dev/);
    assert.equal(standIn.requests.length, 0);
  });

  it('asks nothing when there is no kubeconfig (the client would try localhost:8080)', async () => {
    const r = await fetchKubernetesServiceAccounts([], { timeoutMs: 5000, env: { KUBECONFIG: `${dir}/absent` } });
    assert.deepEqual(r, { contexts: [], faults: [] });
  });

  const faults: [string, Partial<KubernetesFault>, RegExp][] = [
    ['401 (an expired token)', { status: 401 }, /rejected the credentials .*\(HTTP 401\): the token may have expired/],
    ['403', { status: 403 }, /Kubernetes denied listing ServiceAccounts .*\(HTTP 403\); the user needs `list` on `serviceaccounts`/],
    ['404', { status: 404 }, /HTTP 404/],
    ['429 with retry-after', { status: 429, headers: { 'retry-after': '1' } }, /throttled .*\(HTTP 429\)/],
    ['500', { status: 500 }, /failed listing ServiceAccounts .*\(HTTP 500\)/],
    ['a malformed body', { status: 200, body: '{"items": 5' }, /not a ServiceAccount list/],
    ['a body that is no list', { status: 200, body: '{"kind": "Status"}' }, /not a ServiceAccount list/],
  ];
  for (const [what, fault, expected] of faults) {
    it(`turns ${what} into one fault line, without the token`, async () => {
      standIn.faults = [{ status: 500, times: 9, ...fault }];
      const r = await fetchKubernetesServiceAccounts(['prod'], { timeoutMs: 5000, env });
      assert.deepEqual(r.contexts, [{ kind: 'unknown', context: 'prod', cluster: 'payments' }]);
      assert.equal(r.faults.length, 1);
      assert.match(r.faults[0]!.message, /^kube context prod: /);
      assert.match(r.faults[0]!.message, expected);
      assert.doesNotMatch(r.faults[0]!.message, new RegExp(STAND_IN_TOKEN));
      assert.doesNotMatch(r.faults[0]!.message, /\n/);
    });
  }

  it('gives up on a server that never answers, within the bound, and aborts the request', async () => {
    standIn.faults = [{ status: 0, hang: true, times: 1 }];
    const r = await fetchKubernetesServiceAccounts(['prod'], { timeoutMs: 300, env });
    assert.match(r.faults[0]!.message, /no answer from the API server within 0.3 s/);
    assert.equal(r.contexts[0]!.kind, 'unknown');
  });

  it('reports an unreachable server', async () => {
    const closed = await KubernetesStandIn.start();
    const port = closed.port;
    await closed.close();
    const other = KubernetesStandIn.tempDir();
    const file = `${other}/kubeconfig`;
    fs.writeFileSync(file, fs.readFileSync(env.KUBECONFIG!, 'utf8').replaceAll(`:${standIn.port}`, `:${port}`));
    const r = await fetchKubernetesServiceAccounts(['prod'], { timeoutMs: 5000, env: { KUBECONFIG: file } });
    fs.rmSync(other, { recursive: true, force: true });
    assert.match(r.faults[0]!.message, /unreachable .*ECONNREFUSED/);
  });
});

describe('readServiceAccountList', () => {
  it('keeps well-formed entries and string annotations only', () => {
    const read = readServiceAccountList({ items: [null, { metadata: { name: 'a', namespace: 'n', annotations: { 'eks.amazonaws.com/role-arn': 5 } } }, { metadata: { name: 7 } }], metadata: { continue: '' } });
    assert.deepEqual(read, { accounts: [{ namespace: 'n', name: 'a' }] });
  });
});
