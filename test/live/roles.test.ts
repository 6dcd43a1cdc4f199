/** The engine side of live roles and ServiceAccounts: reading IAM's trust as facts, comparing statements, live-only ServiceAccounts. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/index/workspace';
import { canonicalStatements, liveTrustPolicy } from '../../server/src/live/roles';
import { liveOnlyServiceAccounts, type ReadContext } from '../../server/src/live/service-accounts';
import type { LiveRole } from '../../server/src/live/types';

const found = (trustPolicy: string): LiveRole => ({ kind: 'found', arn: 'arn:aws:iam::111122223333:role/r', trustPolicy, attachedPolicies: [], inlinePolicies: [], fetchedAt: 0 });
const statements = (trust: unknown): string[] | undefined => canonicalStatements(liveTrustPolicy(found(JSON.stringify(trust)))!);

describe('live trust policies', () => {
  it('reads IAM trust with the workspace extraction, and nothing from a document that is no JSON', () => {
    const policy = liveTrustPolicy(found('{"Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/x"},"Action":"sts:AssumeRoleWithWebIdentity"}]}'));
    assert.equal(policy?.statements.length, 1);
    assert.equal(policy?.complete, true);
    assert.equal(liveTrustPolicy(found('{"Statement": [')), undefined);
    assert.equal(liveTrustPolicy({ kind: 'missing', arn: 'a', fetchedAt: 0 }), undefined);
  });

  it('compares statements as IAM reads them: Sid, order, lists, case of actions and keys, and an account id principal do not count', () => {
    const a = statements({ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: ['STS:AssumeRole'], Condition: { StringEquals: { 'sts:ExternalId': ['x'] } } }] });
    const b = statements({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Condition: { StringEquals: { 'STS:ExternalId': 'x' } } }] });
    assert.deepEqual(a, b);
    const c = statements({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Condition: { StringEquals: { 'sts:ExternalId': 'y' } } }] });
    assert.notDeepEqual(a, c);
  });
});

describe('liveOnlyServiceAccounts', () => {
  it('lists what the cluster has and the workspace does not declare', () => {
    const workspace = new Workspace();
    workspace.setFile('file:///w/sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  namespace: n\n');
    const context: ReadContext = { kind: 'read', context: 'c', fetchedAt: 0, serviceAccounts: [{ namespace: 'n', name: 'a' }, { namespace: 'n', name: 'b', roleArn: 'arn:aws:iam::111122223333:role/b' }] };
    assert.deepEqual(liveOnlyServiceAccounts(workspace.model(), context), [{ namespace: 'n', name: 'b', roleArn: 'arn:aws:iam::111122223333:role/b' }]);
  });
});
