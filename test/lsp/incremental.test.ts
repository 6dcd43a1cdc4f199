/**
 * Edits are analysed incrementally (a file re-parsed alone, a set-aside
 * file re-checked by the pre-filter only, a Terraform directory re-extracted,
 * the model rebuilt from the parts that changed): after a sequence of edits
 * the diagnostics must be exactly those a server started from scratch on the
 * final texts publishes. Both sides are real servers over stdio.
 *
 * The sequence crosses every path an edit can take: a ServiceAccount moved
 * between namespaces and back, a trust policy's subject changed and its
 * syntax broken and mended, a set-aside JSON template typed in and then made
 * a trust policy, a set-aside ConfigMap turned into a ServiceAccount, a
 * Terraform file's subject changed and its syntax broken and mended, a
 * broken Terraform directory the pre-filter ignores made to matter by a role
 * typed in (and deleted again) and then by a local module call to the IRSA
 * directory, and a document closed with unsaved edits (it goes back to its
 * disk text).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CodeActionRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LanguageServerSession, WORKSPACE_FIXTURES } from './harness';

const FIXTURE = 's3-reader';

/** A CloudFormation-like template: IAM words, nested, nothing the engine reads (the pre-filter sets it aside). */
const TEMPLATE = JSON.stringify(
  {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `ServiceRole${i}`,
        {
          Type: 'AWS::IAM::Role',
          Properties: { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }], Version: '2012-10-17' }, Description: `worker ${i}` },
        },
      ]),
    ),
  },
  null,
  2,
);

/** Ordinary infrastructure with a syntax error (the bucket is never closed): no IRSA token, so the pre-filter does not read it. */
const NETWORK = ['resource "aws_s3_bucket" "logs" {', '  bucket = "logs"', '', 'resource "aws_security_group" "edge" {', '  name = "edge"', '}', ''].join('\n');

const CONFIG_MAP = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', '  namespace: prod', 'data:', '  level: info', ''].join('\n');

function prepare(root: string): void {
  fs.mkdirSync(path.join(root, 'cdk'), { recursive: true });
  fs.writeFileSync(path.join(root, 'cdk', 'app.template.json'), TEMPLATE);
  fs.writeFileSync(path.join(root, 'k8s', 'settings.yaml'), CONFIG_MAP);
  fs.mkdirSync(path.join(root, 'network'), { recursive: true });
  fs.writeFileSync(path.join(root, 'network', 'main.tf'), NETWORK);
}

/** Every file's diagnostics, comparable across two workspaces (URIs made relative). */
function published(session: LanguageServerSession, files: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const file of files) {
    const lines = session.diagnostics(file).map((d: Diagnostic) =>
      JSON.stringify({
        range: d.range,
        severity: d.severity,
        code: d.code,
        message: d.message,
        related: (d.relatedInformation ?? []).map((r) => ({ file: session.fileOf(r.location.uri), range: r.location.range, message: r.message })),
      }),
    );
    if (lines.length > 0) out[file] = lines.sort();
  }
  return out;
}

/**
 * A request that makes the server run any analysis still pending first and
 * publish it (fix-all reads the findings, which are never stale), so no
 * test waits on a timer.
 */
async function settle(session: LanguageServerSession, file: string): Promise<void> {
  await session.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: session.uri(file) },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll.irsa'] },
  });
}

function filesOf(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).map((f) => f.split(path.sep).join('/'));
}

const sessions: LanguageServerSession[] = [];
after(async () => {
  for (const s of sessions) await s.shutdown();
});

describe('incremental analysis', () => {
  it('after a sequence of edits, publishes what a server started on the final texts publishes', async () => {
    const edited = await LanguageServerSession.start({ fixture: FIXTURE, prepare });
    sessions.push(edited);
    await edited.waitForScanEnd();

    // A ServiceAccount moved to another namespace, half typed, and on to a third.
    await edited.openDocument('k8s/s3-reader.yaml');
    await edited.replaceInDocument('k8s/s3-reader.yaml', 'namespace: demo', 'namespace: pro');
    await settle(edited, 'k8s/s3-reader.yaml');
    await edited.replaceInDocument('k8s/s3-reader.yaml', 'namespace: pro', 'namespace: prod');

    // A trust policy: the subject changed, the syntax broken, then mended; then closed unsaved (back to the disk text).
    await edited.openDocument('roles/s3-reader.json');
    await edited.replaceInDocument('roles/s3-reader.json', 'prod:s3-reader', 'prod:s3-writer');
    await settle(edited, 'roles/s3-reader.json');
    await edited.replaceInDocument('roles/s3-reader.json', '"Effect": "Allow",', '"Effect": "Allow"');
    await settle(edited, 'roles/s3-reader.json');
    await edited.replaceInDocument('roles/s3-reader.json', '"Effect": "Allow"', '"Effect": "Allow",');
    await edited.replaceInDocument('roles/s3-reader.json', 'prod:s3-writer', 'demo:s3-writer');
    await settle(edited, 'roles/s3-reader.json');
    await edited.closeDocument('roles/s3-reader.json');

    // A set-aside template: keystrokes inside a nested string, then a top-level trust policy appears in it.
    await edited.openDocument('cdk/app.template.json');
    for (const ch of ['a', 'b', 'c']) await edited.replaceInDocument('cdk/app.template.json', '"worker 7', `"worker 7${ch}`);
    // Inside the string (no quote in the edited range): judged from the edit alone (`jsonEditKeepsSetAside`), then deleted again.
    for (const ch of ['x', 'y', 'z']) await edited.replaceInDocument('cdk/app.template.json', 'worker 3', `worker 3${ch}`);
    await edited.replaceInDocument('cdk/app.template.json', 'worker 3zyx', 'worker 3');
    await settle(edited, 'cdk/app.template.json');
    await edited.replaceInDocument(
      'cdk/app.template.json',
      '"AWSTemplateFormatVersion": "2010-09-09",',
      '"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:sub": "system:serviceaccount:prod:settings-reader"}}}],',
    );

    // A set-aside ConfigMap becomes a ServiceAccount with a role.
    await edited.openDocument('k8s/settings.yaml');
    await edited.replaceInDocument('k8s/settings.yaml', 'kind: ConfigMap', 'kind: ServiceAccount');
    await settle(edited, 'k8s/settings.yaml');
    await edited.replaceInDocument('k8s/settings.yaml', 'data:\n  level: info\n', '  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/external-dns\n');

    // Terraform: the subject changed, the syntax broken and mended.
    await edited.openDocument('terraform/main.tf');
    await edited.replaceInDocument('terraform/main.tf', 'kube-system:external-dns', 'kube-system:external-dn');
    await settle(edited, 'terraform/main.tf');
    await edited.replaceInDocument('terraform/main.tf', '  })\n}', '  })\n');
    await settle(edited, 'terraform/main.tf');
    await edited.replaceInDocument('terraform/main.tf', '  })\n', '  })\n}');

    // An ignored broken directory: a role typed in (it is read, its syntax error reported), deleted again, then a call of the IRSA directory.
    await edited.openDocument('network/main.tf');
    await edited.replaceInDocument('network/main.tf', '  name = "edge"\n}\n', '  name = "edge"\n}\n\nresource "aws_iam_role" "edge" {\n  name = "edge"\n}\n');
    await edited.saveDocument('network/main.tf');
    await edited.waitForDiagnostics('network/main.tf', (d) => d.some((x) => x.code === 'parse-error'));
    await edited.replaceInDocument('network/main.tf', '\nresource "aws_iam_role" "edge" {\n  name = "edge"\n}\n', '');
    await edited.saveDocument('network/main.tf');
    await edited.waitForDiagnostics('network/main.tf', (d) => !d.some((x) => x.code === 'parse-error'));
    await edited.replaceInDocument('network/main.tf', '  name = "edge"\n}\n', '  name = "edge"\n}\n\nmodule "dns" {\n  source = "../terraform"\n}\n');

    // Saved: parse errors held back while typing may show; the final texts go to a fresh workspace.
    const open = ['k8s/s3-reader.yaml', 'cdk/app.template.json', 'k8s/settings.yaml', 'terraform/main.tf', 'network/main.tf'];
    for (const file of open) await edited.saveDocument(file);
    await settle(edited, 'terraform/main.tf');

    const finalTexts = new Map(open.map((file) => [file, edited.documentText(file)!]));
    const fresh = await LanguageServerSession.start({
      fixture: FIXTURE,
      prepare: (root) => {
        prepare(root);
        for (const [file, text] of finalTexts) fs.writeFileSync(path.join(root, file), text);
      },
    });
    sessions.push(fresh);
    await fresh.waitForScanEnd();
    await settle(fresh, 'terraform/main.tf');

    const files = [...new Set([...filesOf(path.join(WORKSPACE_FIXTURES, FIXTURE)), 'cdk/app.template.json', 'k8s/settings.yaml', 'network/main.tf'])];
    const expected = published(fresh, files);
    assert.ok(expected['network/main.tf']?.some((d) => d.includes('parse-error')), 'the call of the IRSA directory makes network/ read: its syntax error is reported');
    // The sequence reached states the fixture alone does not: the comparison covers findings, not only their absence.
    assert.ok(Object.keys(expected).length >= 2, JSON.stringify(expected, null, 1));
    assert.deepEqual(published(edited, files), expected);
  });
});
