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

/**
 * The Terraform pre-filter (`terraform/prefilter.ts`): a directory is read
 * when a file in it has an IRSA token or local module calls link it to one
 * that has. Edits that make a directory matter, or stop it mattering, in
 * itself or through a link from elsewhere, must leave the analysis equal to
 * a fresh one; the parse errors of the broken files show which directories
 * are read at each step.
 */
const IRSA_ROLE = [
  'variable "namespace" {',
  '  type = string',
  '}',
  '',
  'resource "aws_iam_role" "this" {',
  '  name = "reporting"',
  '  assume_role_policy = jsonencode({',
  '    Version = "2012-10-17"',
  '    Statement = [{',
  '      Effect    = "Allow"',
  '      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF" }',
  '      Action    = "sts:AssumeRoleWithWebIdentity"',
  '      Condition = {',
  '        StringEquals = {',
  '          "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:sub" = "system:serviceaccount:${var.namespace}:reporter"',
  '          "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:aud" = "sts.amazonaws.com"',
  '        }',
  '      }',
  '    }]',
  '  })',
  '}',
  '',
].join('\n');
const BROKEN_BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n\nresource "aws_security_group" "edge" {\n  name = "edge"\n}\n';
const BROKEN_LOCALS = 'locals {\n  owners = ["finance" "platform"]\n}\n';
const ROLE_IN_NETWORK = '\nresource "aws_iam_role" "network" {\n  name = "network"\n}\n';
const CALL_ROLE = '\nmodule "role" {\n  source    = "../modules/role"\n  namespace = "reports"\n}\n';

describe('incremental analysis with the Terraform pre-filter', () => {
  it('equals a fresh one while edits make directories matter and stop mattering, directly and through local modules', async () => {
    await initParsers();
    const uri = (p: string): string => `file:///fixture/${p}`;
    const texts = new Map<string, string>([
      [uri('network/main.tf'), BROKEN_BUCKET],
      [uri('platform/main.tf'), BROKEN_LOCALS],
      [uri('modules/role/main.tf'), IRSA_ROLE],
      [uri('modules/naming/outputs.tf'), 'output "suffix" {\n  value = "-team"\n'],
      [uri('k8s/reporter.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reporter\n  namespace: reports\n'],
    ]);
    const workspace = fresh(texts);
    const parseErrors = (): string[] =>
      analyze(workspace)
        .findings.filter((f) => f.ruleId === 'parse-error')
        .map((f) => f.span.uri.slice('file:///fixture/'.length))
        .sort();
    const step = (what: string, broken: readonly string[]): void => {
      assert.deepEqual(seen(workspace), seen(fresh(texts)), what);
      assert.deepEqual(parseErrors(), [...broken].sort(), `${what}: the files whose syntax errors are reported`);
    };
    const set = (p: string, text: string): void => {
      texts.set(uri(p), text);
      workspace.setFile(uri(p), text);
    };
    const remove = (p: string): void => {
      texts.delete(uri(p));
      workspace.removeFile(uri(p));
    };
    step('start: only the IRSA module is read (naming and platform are not linked to it)', []);

    set('network/main.tf', BROKEN_BUCKET + ROLE_IN_NETWORK);
    step('a role typed into the ignored network directory', ['network/main.tf']);
    set('network/main.tf', BROKEN_BUCKET);
    step('the role deleted again', []);

    set('platform/main.tf', BROKEN_LOCALS + CALL_ROLE);
    step('platform calls the IRSA module', ['platform/main.tf']);
    set('modules/role/main.tf', IRSA_ROLE.replace('name = "reporting"', 'name = "reporting${module.naming.suffix}"') + '\nmodule "naming" {\n  source = "../naming"\n}\n');
    step('the IRSA module calls the naming module (outputs only, broken)', ['platform/main.tf', 'modules/naming/outputs.tf']);
    set('modules/naming/outputs.tf', 'output "suffix" {\n  value = "-team"\n}\n');
    step('the naming module mended: its output reaches the role through the chain', ['platform/main.tf']);
    set('modules/naming/outputs.tf', 'output "suffix" {\n  value = "-team"\n');
    step('and broken again', ['platform/main.tf', 'modules/naming/outputs.tf']);

    remove('modules/role/main.tf');
    step('the IRSA module removed: nothing is linked to a token any more', []);
    set('modules/role/main.tf', IRSA_ROLE + '\nmodule "naming" {\n  source = "../naming"\n}\n');
    step('restored', ['platform/main.tf', 'modules/naming/outputs.tf']);

    set('platform/main.tf', BROKEN_LOCALS);
    step('the call removed from platform', ['modules/naming/outputs.tf']);
    set('modules/role/main.tf', IRSA_ROLE.replace('aws_iam_role', 'aws_s3_bucket').replace('sts:AssumeRoleWithWebIdentity', 'sts:AssumeRole').replace(/oidc/g, 'idp'));
    step('the role turned into a bucket: the module no longer matters', []);

    // A source the scan cannot read (an escape makes the file matter): its link comes from the parser.
    set('network/main.tf', BROKEN_BUCKET.replace('resource "aws_security_group"', 'module "edge" {\n  source = "./\\u0065dge"\n}\n\nresource "aws_security_group"'));
    set('network/edge/main.tf', 'variable "x" {\n');
    step('a local call with an escaped source', ['network/main.tf', 'network/edge/main.tf']);
    remove('network/edge/main.tf');
    step('its target removed', ['network/main.tf']);
  });
});
