/**
 * Code actions over the protocol: the engine's fixes offered on our
 * diagnostics, applied as an editor applies them, and fix-all.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { hasRule, lacksRule, ofRule, withServer, type LanguageServerSession } from './harness';

const TRUST = 'roles/reader-trust.json';
const RULE = 'trust-condition-key-scheme';
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';

const TRUST_TEXT = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${ISSUER}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "https://${ISSUER}:sub": "system:serviceaccount:payments:reader",
          "https://${ISSUER}:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`;

const prepare = (root: string): void => {
  fs.mkdirSync(path.join(root, 'roles'));
  fs.writeFileSync(path.join(root, TRUST), TRUST_TEXT);
};

async function codeActions(server: LanguageServerSession, file: string, diagnostics: readonly Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const result = await server.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: server.uri(file) },
    range,
    context: { diagnostics: [...diagnostics], ...(only ? { only } : {}) },
  });
  return (result ?? []).filter((a): a is CodeAction => 'kind' in a || 'edit' in a);
}

describe('code actions', () => {
  it('offer the fix of a diagnostic on a file never opened; applied to disk, the diagnostic goes away', async () => {
    await withServer({ prepare }, async (server) => {
      const diagnostics = ofRule(await server.waitForDiagnostics(TRUST, (ds) => ofRule(ds, RULE).length === 2), RULE);
      const actions = await codeActions(server, TRUST, [diagnostics[0]!]);
      assert.deepEqual(
        actions.map((a) => [a.title, a.kind, a.isPreferred]),
        [['Remove `https://` from the condition key', 'quickfix', true]],
      );
      const action = actions[0]!;
      assert.deepEqual(action.diagnostics, [diagnostics[0]]);
      const change = action.edit?.documentChanges?.[0];
      assert.ok(change && 'textDocument' in change);
      assert.equal(change.textDocument.version, null, 'a closed file is edited as on disk');
      await server.applyWorkspaceEdit(action.edit!);
      assert.ok(server.diskText(TRUST).includes(`"${ISSUER}:sub"`));
      await server.waitForDiagnostics(TRUST, (ds) => ofRule(ds, RULE).length === 1);
    });
  });

  it('fix all in an open document, against its version; nothing is offered for a stale or foreign diagnostic', async () => {
    await withServer({ prepare }, async (server) => {
      await server.openDocument(TRUST);
      await server.waitForDiagnostics(TRUST, hasRule(RULE));
      await server.replaceInDocument(TRUST, '"Effect"', '"Effect" ');
      const fixAll = await codeActions(server, TRUST, [], ['source.fixAll']);
      assert.deepEqual(fixAll.map((a) => [a.title, a.kind]), [['Fix 2 IRSA problems in this file', 'source.fixAll.irsa']]);
      const change = fixAll[0]!.edit?.documentChanges?.[0];
      assert.ok(change && 'textDocument' in change);
      assert.equal(change.textDocument.version, 2, 'the edit names the open document version, edited after the last analysis');

      const foreign: Diagnostic = { range: { start: { line: 9, character: 10 }, end: { line: 9, character: 20 } }, message: 'x', source: 'irsa', code: RULE };
      assert.deepEqual(await codeActions(server, TRUST, [foreign]), [], 'a diagnostic that matches no current finding gets no fix');
      assert.deepEqual(await codeActions(server, TRUST, [], ['refactor']), [], 'fix-all is a source action, not offered for other kinds');

      await server.applyWorkspaceEdit(fixAll[0]!.edit!);
      await server.waitForDiagnostics(TRUST, lacksRule(RULE));
      assert.equal(server.documentText(TRUST), TRUST_TEXT.replaceAll(`https://${ISSUER}`, ISSUER).replace('"Effect"', '"Effect" '));
      assert.deepEqual(await codeActions(server, TRUST, [], ['source.fixAll']), [], 'nothing left to fix');
    });
  });

  it('cross-file: moving the ServiceAccount to the namespace its trust pins clears the mismatch on both files', async () => {
    const sa = 'k8s/s3-reader.yaml';
    const trust = 'roles/s3-reader.json';
    await withServer({ fixture: 's3-reader' }, async (server) => {
      const mismatch = ofRule(await server.waitForDiagnostics(sa, hasRule('sa-role-trust-mismatch')), 'sa-role-trust-mismatch');
      await server.waitForDiagnostics(trust, hasRule('trust-sub-no-service-account'));
      const actions = await codeActions(server, sa, mismatch);
      const move = actions.find((a) => a.title === 'Move the ServiceAccount to namespace `prod`');
      assert.ok(move?.edit, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(move.isPreferred, false, 'either side could be the mistake: fix-all must not guess');
      assert.ok(actions.some((a) => a.title === 'Pin sub to `system:serviceaccount:demo:s3-reader`'), 'the trust side is offered too');
      await server.applyWorkspaceEdit(move.edit);
      await server.waitForDiagnostics(sa, lacksRule('sa-role-trust-mismatch'));
      await server.waitForDiagnostics(trust, lacksRule('trust-sub-no-service-account'));
      assert.match(server.diskText(sa), /name: s3-reader\n  namespace: prod\n/);
      assert.match(server.diskText(sa), /name: report-exporter\n  namespace: prod\n/, 'the Deployment that runs as it moves along');
    });
  });

  it('Karpenter/IMDS: "set the hop limit to 1" applied over the protocol clears imds-hop-limit', async () => {
    const nodes = 'infra/nodes.tf';
    const text = (hops: string): string => `resource "aws_launch_template" "nodes" {
  name_prefix = "payments-nodes-"

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = ${hops}
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name  = "payments"
  node_role_arn = "arn:aws:iam::111122223333:role/payments-nodes"
  subnet_ids    = ["subnet-0a1b2c3d"]

  launch_template {
    name    = aws_launch_template.nodes.name
    version = "$Latest"
  }
}
`;
    const prepareNodes = (root: string): void => {
      fs.mkdirSync(path.join(root, 'infra'));
      fs.writeFileSync(path.join(root, nodes), text('2'));
    };
    await withServer({ prepare: prepareNodes }, async (server) => {
      const diagnostics = ofRule(await server.waitForDiagnostics(nodes, hasRule('imds-hop-limit')), 'imds-hop-limit');
      const actions = await codeActions(server, nodes, diagnostics);
      const set = actions.find((a) => a.title === 'Set `http_put_response_hop_limit = 1`');
      assert.ok(set?.edit, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(set.isPreferred, true);
      await server.applyWorkspaceEdit(set.edit);
      assert.equal(server.diskText(nodes), text('1'));
      await server.waitForDiagnostics(nodes, lacksRule('imds-hop-limit'));
    });
  });
});
