/**
 * The IO side of live checks, through the real SDK clients against the
 * loopback stand-in: what is fetched, how each fault reads, the cache, and
 * that nothing secret reaches a message.
 */
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { describeFault, fetchLiveCluster, fetchLiveFacts, fetchLiveRole, fetchLiveRoles, LiveClusterCache, LiveRoleCache, scrubSecrets } from '../../server/src/node/aws';
import type { ClusterTarget } from '../../server/src/live/types';
import { AwsStandIn } from '../support/aws-stand-in';

const NEW_ID = 'FEDCBA9876543210FEDCBA9876543210';
const TARGET: ClusterTarget = { name: 'payments', region: 'eu-west-1', source: 'settings' };
let standIn: AwsStandIn;
const saved = { ...process.env };

before(async () => {
  standIn = await AwsStandIn.start();
  Object.assign(process.env, standIn.env());
});
after(async () => {
  await standIn.close();
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});
beforeEach(() => {
  standIn.requests.length = 0;
  standIn.roles = [];
  standIn.faults = [];
  standIn.clusters = [{ name: 'payments', region: 'eu-west-1', account: '111122223333', issuerId: NEW_ID }];
  standIn.providers = [{ account: '111122223333', host: `oidc.eks.eu-west-1.amazonaws.com/id/${NEW_ID}`, clientIds: ['sts.amazonaws.com'] }];
});

describe('fetchLiveCluster', () => {
  it('reads the issuer from EKS and the provider with its client ids from IAM', async () => {
    const r = await fetchLiveCluster(TARGET, { timeoutMs: 5000, now: () => 42 });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.cluster.issuerUrl, `https://oidc.eks.eu-west-1.amazonaws.com/id/${NEW_ID}`);
    assert.equal(r.cluster.account, '111122223333');
    assert.equal(r.cluster.status, 'ACTIVE');
    assert.equal(r.cluster.fetchedAt, 42);
    assert.deepEqual(r.cluster.provider, { kind: 'found', arn: `arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/${NEW_ID}`, clientIds: ['sts.amazonaws.com'] });
    assert.deepEqual(standIn.requests.map((q) => q.action ?? `${q.method} ${q.url}`), ['GET /eks/clusters/payments', 'ListOpenIDConnectProviders', 'GetOpenIDConnectProvider']);
    // Signed with the fake credentials, as the real service would require.
    assert.match(String(standIn.requests[0]!.headers.authorization), /Credential=AKIAIOSFODNN7EXAMPLE\//);
  });

  it('says when IAM has no provider for the issuer', async () => {
    standIn.providers = [];
    const r = await fetchLiveCluster(TARGET, { timeoutMs: 5000 });
    assert.ok(r.ok);
    assert.deepEqual(r.cluster.provider, { kind: 'missing' });
  });

  it('retries once on throttling, with backoff, and succeeds', async () => {
    standIn.faults = [{ service: 'eks', status: 429, code: 'ThrottlingException', message: 'Rate exceeded', times: 1 }];
    const r = await fetchLiveCluster(TARGET, { timeoutMs: 5000 });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(standIn.count('eks'), 2);
  });

  it('gives up after one retry when still throttled', async () => {
    standIn.faults = [{ service: 'eks', status: 429, code: 'ThrottlingException', message: 'Rate exceeded', times: 5 }];
    const r = await fetchLiveCluster(TARGET, { timeoutMs: 5000 });
    assert.ok(!r.ok);
    assert.equal(standIn.count('eks'), 2);
    assert.match(r.fault.message, /^cluster payments \(eu-west-1\): AWS throttled eks:DescribeCluster/);
  });

  it('reports AccessDenied on eks:DescribeCluster', async () => {
    standIn.faults = [{ service: 'eks', status: 403, code: 'AccessDeniedException', message: 'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: eks:DescribeCluster', times: 9 }];
    const r = await fetchLiveCluster(TARGET, { timeoutMs: 5000 });
    assert.ok(!r.ok);
    assert.match(r.fault.message, /AWS denied eks:DescribeCluster \(AccessDeniedException\)/);
  });

  it('reports a cluster that does not exist', async () => {
    const r = await fetchLiveCluster({ ...TARGET, name: 'gone' }, { timeoutMs: 5000 });
    assert.ok(!r.ok);
    assert.match(r.fault.message, /^cluster gone \(eu-west-1\): not found in eu-west-1/);
  });

  it('keeps the cluster and reports the fault when only IAM fails', async () => {
    standIn.faults = [{ service: 'iam', status: 403, code: 'AccessDenied', message: 'not authorized to perform iam:ListOpenIDConnectProviders', times: 9 }];
    const r = await fetchLiveCluster(TARGET, { timeoutMs: 5000 });
    assert.ok(r.ok);
    assert.deepEqual(r.cluster.provider, { kind: 'unknown' });
    assert.match(r.faults[0]!.message, /AWS denied iam:ListOpenIDConnectProviders/);
  });

  it('reports an unreachable endpoint quickly', async () => {
    const closed = await AwsStandIn.start();
    const endpoint = closed.eksEndpoint;
    await closed.close();
    process.env.AWS_ENDPOINT_URL_EKS = endpoint;
    try {
      const started = Date.now();
      const r = await fetchLiveCluster(TARGET, { timeoutMs: 5000 });
      assert.ok(!r.ok);
      assert.match(r.fault.message, /unreachable \(ECONNREFUSED\)/);
      assert.ok(Date.now() - started < 3000);
    } finally {
      process.env.AWS_ENDPOINT_URL_EKS = standIn.eksEndpoint;
    }
  });
});

describe('LiveClusterCache', () => {
  it('answers from the cache within the TTL, fetches again after it, and clear() forces a fetch', async () => {
    let now = 0;
    const cache = new LiveClusterCache((t) => fetchLiveCluster(t, { timeoutMs: 5000 }), 10 * 60_000, () => now);
    await fetchLiveFacts([TARGET], cache);
    await fetchLiveFacts([TARGET], cache);
    assert.equal(standIn.count('eks'), 1);
    now = 10 * 60_000 + 1;
    await fetchLiveFacts([TARGET], cache);
    assert.equal(standIn.count('eks'), 2);
    cache.clear();
    await fetchLiveFacts([TARGET], cache);
    assert.equal(standIn.count('eks'), 3);
  });
});

describe('scrubSecrets', () => {
  it('removes key ids, secrets, session tokens, signatures and bearer tokens', () => {
    const env = { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ' };
    const leaky =
      'request failed: Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/eu-west-1/eks/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd; ' +
      'X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY accessToken: "eyJhbGciOi.x.y" Bearer abc.def';
    const out = scrubSecrets(leaky, env);
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'IQoJb3JpZ2lu', '0123abcd', 'eyJhbGciOi', 'abc.def']) assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    assert.match(out, /request failed/);
  });

  it('says what happened, without the SDK\'s advice to programmers', () => {
    const garbled = Object.assign(new SyntaxError('Unexpected token \'<\', "<html>bad</html>" is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'), { $metadata: { httpStatusCode: 502 } });
    assert.equal(describeFault(garbled, TARGET, 'eks:DescribeCluster').message, "cluster payments (eu-west-1): eks:DescribeCluster got an answer that is not AWS's (HTTP 502); a proxy or an AWS_ENDPOINT_URL_* setting may be in the way.");
    const odd = Object.assign(new Error('Something odd\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'), { name: 'Unknown', $metadata: { httpStatusCode: 500 } });
    assert.doesNotMatch(describeFault(odd, TARGET, 'eks:DescribeCluster').message, /\$response|hidden field/);
    // The SDK names a reset connection `TimeoutError`; the code says what it was.
    const reset = Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError', code: 'ECONNRESET' });
    assert.match(describeFault(reset, TARGET, 'eks:DescribeCluster').message, /the connection to AWS was reset/);
  });

  it('leaves out every malformed field of an answer and says so once', async () => {
    standIn.clusters = [{ ...standIn.clusters[0]!, raw: { name: 7, arn: ['x'], status: {}, identity: { oidc: { issuer: { url: 'https://x' } } } } }];
    const r = await fetchLiveCluster(TARGET, { timeoutMs: 5000 });
    assert.ok(r.ok);
    assert.equal(r.cluster.issuerUrl, undefined);
    assert.equal(r.cluster.name, 'payments');
    assert.equal(r.cluster.status, 'UNKNOWN');
    assert.deepEqual(r.faults.map((f) => f.message), ['cluster payments (eu-west-1): eks:DescribeCluster answered with a malformed name, arn, status, identity.oidc.issuer; its issuer is not checked.']);
    assert.equal(standIn.count('iam'), 0, 'no provider is looked up without an issuer');
  });

  it('scrubs what the SDK echoes in an unexplained error', () => {
    const error = Object.assign(new Error('Unexpected response; signed request had X-Amz-Signature=deadbeefcafe and Credential=AKIAIOSFODNN7EXAMPLE/2025'), { name: 'WeirdError' });
    const fault = describeFault(error, TARGET, 'eks:DescribeCluster');
    assert.match(fault.message, /WeirdError/);
    assert.ok(!fault.message.includes('deadbeefcafe') && !fault.message.includes('AKIAIOSFODNN7EXAMPLE'), fault.message);
  });
});

describe('fetchLiveRole', () => {
  const TRUST = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/${NEW_ID}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`oidc.eks.eu-west-1.amazonaws.com/id/${NEW_ID}:sub`]: 'system:serviceaccount:payments:s3 reader+x' } } }],
  });
  const ARN = 'arn:aws:iam::111122223333:role/team/s3-reader';

  it('reads the trust policy URL-decoded, with the attached and inline policies', async () => {
    standIn.roles = [{ account: '111122223333', name: 's3-reader', trust: TRUST, attached: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'], inline: ['extra'] }];
    const r = await fetchLiveRole(ARN, { timeoutMs: 5000, now: () => 9 });
    assert.equal(r.fault, undefined);
    assert.deepEqual(r.role, { kind: 'found', arn: ARN, trustPolicy: TRUST, attachedPolicies: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'], inlinePolicies: ['extra'], fetchedAt: 9 });
    assert.deepEqual(standIn.requests.map((q) => q.action), ['GetRole', 'ListAttachedRolePolicies', 'ListRolePolicies']);
  });

  it('says a role is missing on NoSuchEntity, without a fault', async () => {
    const r = await fetchLiveRole(ARN, { timeoutMs: 5000, now: () => 9 });
    assert.deepEqual(r, { role: { kind: 'missing', arn: ARN, fetchedAt: 9 } });
  });

  it('calls a role missing only in an account the credentials are known to be for', async () => {
    const cache = new LiveRoleCache((arn) => fetchLiveRole(arn, { timeoutMs: 5000, now: () => 9 }), 60_000);
    const unknownAccount = await fetchLiveRoles([ARN], cache);
    assert.deepEqual(unknownAccount.roles.get(ARN), { kind: 'unknown', arn: ARN });
    assert.match(unknownAccount.faults[0]!.message, /IAM has no such role in the account of the AWS credentials, which may not be account 111122223333/);
    const knownAccount = await fetchLiveRoles([ARN], cache, ['111122223333']);
    assert.deepEqual(knownAccount.roles.get(ARN), { kind: 'missing', arn: ARN, fetchedAt: 9 });
    assert.deepEqual(knownAccount.faults, []);
  });

  it('does not take a role of the same name in the credentials\' other account for this one', async () => {
    standIn.roles = [{ account: '444455556666', name: 's3-reader', trust: TRUST }];
    const r = await fetchLiveRole(ARN, { timeoutMs: 5000 });
    assert.deepEqual(r.role, { kind: 'unknown', arn: ARN });
    assert.match(r.fault!.message, /credentials are for account 444455556666, the role is in account 111122223333/);
  });

  it('reports AccessDenied on iam:GetRole as unknown, naming the role', async () => {
    standIn.faults = [{ service: 'iam', status: 403, code: 'AccessDenied', message: 'not authorized to perform: iam:GetRole', times: 9 }];
    const r = await fetchLiveRole(ARN, { timeoutMs: 5000 });
    assert.deepEqual(r.role, { kind: 'unknown', arn: ARN });
    assert.match(r.fault!.message, new RegExp(`^role ${ARN}: AWS denied iam:GetRole \\(AccessDenied\\)`));
  });

  it('keeps the trust policy when only the listings are denied', async () => {
    standIn.roles = [{ account: '111122223333', name: 's3-reader', trust: TRUST }];
    standIn.faults = [{ service: 'iam', status: 403, code: 'AccessDenied', message: 'denied', times: 9, action: 'ListAttachedRolePolicies' }];
    const r = await fetchLiveRole(ARN, { timeoutMs: 5000 });
    assert.equal(r.role.kind, 'found');
    assert.match(r.fault!.message, /AWS denied iam:ListAttachedRolePolicies/);
  });

  it('gives up on IAM that never answers within the bound', async () => {
    standIn.roles = [{ account: '111122223333', name: 's3-reader', trust: TRUST }];
    standIn.faults = [{ service: 'iam', status: 200, code: '', message: '', times: 1, hang: true }];
    const r = await fetchLiveRole(ARN, { timeoutMs: 300 });
    assert.deepEqual(r.role, { kind: 'unknown', arn: ARN });
    assert.match(r.fault!.message, /no answer from AWS within 0.3 s/);
  });

  it('does not ask IAM about what is no role ARN', async () => {
    const r = await fetchLiveRole('arn:aws:iam::111122223333:user/bob', { timeoutMs: 5000 });
    assert.equal(r.role.kind, 'unknown');
    assert.equal(standIn.count(), 0);
  });

  it('caches per ARN until cleared (the refresh command)', async () => {
    standIn.roles = [{ account: '111122223333', name: 's3-reader', trust: TRUST }];
    const cache = new LiveRoleCache((arn) => fetchLiveRole(arn, { timeoutMs: 5000 }), 60_000);
    const first = await fetchLiveRoles([ARN, ARN], cache);
    await fetchLiveRoles([ARN], cache);
    assert.equal(first.roles.get(ARN)?.kind, 'found');
    assert.equal(standIn.count('iam'), 3);
    cache.clear();
    await fetchLiveRoles([ARN], cache);
    assert.equal(standIn.count('iam'), 6);
  });
});
