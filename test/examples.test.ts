/**
 * The bundled examples are the README's first command: pin exactly what
 * they report, so the tour in the README and examples/README.md stays true.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, it } from 'node:test';
import { analyze } from '../server/src/analysis';
import { pathToUri, relativeUri } from '../server/src/common/uri';
import { Workspace } from '../server/src/index/workspace';
import { initParsers, loadWorkspace } from '../server/src/node/host';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

before(async () => {
  await initParsers();
});

it('examples/ reports the seed scenarios, and nothing else', () => {
  const workspace = new Workspace();
  const skipped = loadWorkspace(workspace, EXAMPLES);
  assert.deepEqual(skipped, []);
  const { findings, failures } = analyze(workspace);
  assert.deepEqual(failures, []);
  const root = pathToUri(EXAMPLES);
  const actual = findings.map((f) => `${relativeUri(root, f.span.uri)}:${f.span.range.start.line + 1} ${f.severity} ${f.ruleId}`);
  assert.deepEqual(actual, [
    'https-in-key/main.tf:32 error trust-condition-key-scheme',
    'https-in-key/main.tf:38 error trust-condition-key-scheme',
    'karpenter-fargate/main.tf:34 warning trust-sub-no-service-account',
    'karpenter-fargate/main.tf:45 error karpenter-v21-fargate-irsa',
    'missing-aud/main.tf:19 warning trust-missing-aud',
    'namespace-pinning/iam/s3-reader-trust.json:13 warning trust-sub-no-service-account',
    'namespace-pinning/k8s/s3-reader.yaml:9 error sa-role-trust-mismatch',
    'namespace-pinning/k8s/s3-reader.yaml:10 warning sa-annotation-value',
  ]);
  const mismatch = findings.find((f) => f.ruleId === 'sa-role-trust-mismatch')!;
  assert.match(mismatch.message, /admits only `system:serviceaccount:prod:s3-reader`/);
  assert.match(mismatch.message, /AccessDenied/);
  assert.equal(relativeUri(root, mismatch.related[0]!.span.uri), 'namespace-pinning/iam/s3-reader-trust.json');
  const karpenter = findings.find((f) => f.ruleId === 'karpenter-v21-fargate-irsa')!;
  assert.match(karpenter.message, /no web-identity statement .* admits `system:serviceaccount:karpenter:karpenter`/);
});
