import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix } from '../../support/fixes';

const RULE = 'eksctl-with-oidc';

before(async () => {
  await initParsers();
});

const config = (iam: string): string => `//- /cluster.yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
iam:
${iam}  serviceAccounts:
    - metadata:
        name: reader
        namespace: payments
      attachPolicyARNs:
        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
`;

describe(`fixes for ${RULE}`, () => {
  it('turns withOIDC: false into true (preferred)', () => {
    checkFix({ rule: RULE, title: 'Set `iam.withOIDC: true`', preferred: true, before: config('  withOIDC: false\n'), after: config('  withOIDC: true\n') });
  });

  it('inserts withOIDC above serviceAccounts', () => {
    checkFix({ rule: RULE, title: 'Set `iam.withOIDC: true`', before: config(''), after: config('  withOIDC: true\n') });
  });
});
