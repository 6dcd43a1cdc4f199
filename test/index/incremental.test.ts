/**
 * The workspace is analysed incrementally: after an edit only the edited
 * file is parsed again, the model reuses every fact kind, kustomize rewrite,
 * rewritten ServiceAccount and workload list that the edit did not touch, and
 * rules reuse their memoised reports for facts that kept their identity. So
 * an analysis after any sequence of edits must equal an analysis from
 * scratch of the same texts.
 *
 * Over every rule fixture with more than one file (kustomize overlays, Helm
 * charts, local Terraform modules, …): each file in turn is edited (a line
 * dropped, which may break its syntax; its namespace or name changed), then
 * removed, then restored, and after each step the findings are compared
 * with a new workspace holding the same texts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis';
import { Workspace } from '../../server/src/index/workspace';
import { initParsers } from '../../server/src/node/host';
import { parseFixture } from '../support/fixture';

const RULES = path.join(__dirname, '..', '..', '..', 'test', 'rules');

function fixtures(): { name: string; files: ReadonlyMap<string, string> }[] {
  const out: { name: string; files: ReadonlyMap<string, string> }[] = [];
  for (const rule of fs.readdirSync(RULES).sort()) {
    const dir = path.join(RULES, rule);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      if (!file.endsWith('.fixture')) continue;
      const { files } = parseFixture(fs.readFileSync(path.join(dir, file), 'utf8'));
      if (files.size > 1) out.push({ name: `${rule}/${file}`, files });
    }
  }
  return out;
}

/** What a user sees of the findings: rule, place, severity, message, related places. */
function seen(workspace: Workspace): string[] {
  return analyze(workspace).findings.map((f) => JSON.stringify([f.ruleId, f.severity, f.span, f.message, f.related]));
}

function fresh(texts: ReadonlyMap<string, string>): Workspace {
  const workspace = new Workspace();
  for (const [uri, text] of texts) workspace.setFile(uri, text);
  return workspace;
}

/** Edits of one text: a line dropped from its middle, and the first value of a few keys that link facts changed (one edit each). */
function edits(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  if (lines.length > 2) out.push([...lines.slice(0, lines.length >> 1), ...lines.slice((lines.length >> 1) + 1)].join('\n'));
  for (const key of ['namespace', 'name', 'serviceAccountName', 'service_account_name']) {
    const renamed = text.replace(new RegExp(`(\\b${key}["']?\\s*[:=]\\s*["']?)([a-z0-9-]+)`), '$1$2-edited');
    if (renamed !== text) out.push(renamed);
  }
  return out;
}

/**
 * A kustomized workload naming a ServiceAccount no file defines, the role
 * trusting it, and another ServiceAccount (so that the subject is checked):
 * an edit of the workload alone must reach the rules through the kustomize
 * rewrite (the model reuses the rewrite, not the workload list).
 */
const KUSTOMIZED_WORKLOAD = new Map([
  ['file:///fixture/apps/reports/kustomization.yaml', ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'namespace: reports', 'resources:', '  - deployment.yaml', ''].join('\n')],
  [
    'file:///fixture/apps/reports/deployment.yaml',
    ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: exporter', 'spec:', '  template:', '    spec:', '      serviceAccountName: exporter', '      containers:', '        - name: exporter', '          image: exporter:1', ''].join('\n'),
  ],
  ['file:///fixture/apps/billing/serviceaccount.yaml', ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: billing', '  namespace: billing', ''].join('\n')],
  [
    'file:///fixture/iam/exporter-trust.json',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:sub': 'system:serviceaccount:reports:exporter',
              'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:aud': 'sts.amazonaws.com',
            },
          },
        },
      ],
    }, null, 2),
  ],
]);

describe('incremental analysis equals analysis from scratch', () => {
  it('after edits, removals and restorations of each file of every multi-file rule fixture', async () => {
    await initParsers();
    const all = [...fixtures(), { name: 'kustomized workload', files: KUSTOMIZED_WORKLOAD }];
    assert.ok(all.length > 20, `only ${all.length} multi-file fixtures`);
    let steps = 0;
    for (const { name, files } of all) {
      const texts = new Map(files);
      const workspace = fresh(texts);
      seen(workspace);
      const step = (what: string): void => {
        steps++;
        assert.deepEqual(seen(workspace), seen(fresh(texts)), `${name}: ${what}`);
      };
      for (const [uri, original] of files) {
        for (const [i, edited] of edits(original).entries()) {
          texts.set(uri, edited);
          workspace.setFile(uri, edited);
          step(`${uri} edit ${i}`);
        }
        texts.delete(uri);
        workspace.removeFile(uri);
        step(`${uri} removed`);
        texts.set(uri, original);
        workspace.setFile(uri, original);
        step(`${uri} restored`);
      }
    }
    assert.ok(steps > 100, `${steps} steps`);
  });
});
