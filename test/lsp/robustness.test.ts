/**
 * Bad input and bad timing: a broken Terraform file, notifications and
 * requests for documents the server does not know, a throwing handler, and
 * shutdown in the middle of the scan. None may crash the server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DefinitionRequest, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, ErrorCodes, HoverRequest, ResponseError } from 'vscode-languageserver-protocol/node';
import { hasRule, lacksRule, LanguageServerSession, ofRule, withServer } from './harness';

const BROKEN_FILE = 'iam/main.tf';

describe('robustness', () => {
  it('reports a broken Terraform file as a parse error and still analyses the rest of it', async () => {
    await withServer({ fixture: 'broken-terraform' }, async (server) => {
      const diagnostics = await server.waitForDiagnostics(BROKEN_FILE, hasRule('parse-error'));
      const [parseError] = ofRule(diagnostics, 'parse-error');
      assert.equal(parseError!.range.start.line, 7, 'at the unclosed jsonencode({');
      // The role after the broken one was read: its trust statement is checked.
      const [missingAud] = ofRule(diagnostics, 'trust-missing-aud');
      assert.equal(missingAud?.range.start.line, 21);

      // Closing the brackets in the editor clears the parse error.
      await server.openDocument(BROKEN_FILE);
      await server.replaceInDocument(BROKEN_FILE, '"sts:AssumeRoleWithWebIdentity"\n}\n', '"sts:AssumeRoleWithWebIdentity"\n    }]\n  })\n}\n');
      await server.waitForDiagnostics(BROKEN_FILE, lacksRule('parse-error'));
    });
  });

  it('survives notifications and requests for unknown documents and a throwing handler', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      const SA_FILE = 'k8s/s3-reader.yaml';
      await server.waitForDiagnostics(SA_FILE, hasRule('sa-role-trust-mismatch'));
      const { connection } = server;

      // didChange before didOpen: ignored (the change has no base text to apply to).
      await server.changeDocument(SA_FILE, [{ range: { start: { line: 4, character: 13 }, end: { line: 4, character: 17 } }, text: 'prod' }]);
      await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: server.uri('k8s/never-opened.yaml') } });
      // Not files the server analyses: another scheme, another kind of file.
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: 'untitled:Untitled-1', languageId: 'yaml', version: 1, text: 'kind: ServiceAccount\n' } });
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: server.uri('README.md'), languageId: 'markdown', version: 1, text: '# notes\n' } });
      // Malformed parameters make the handlers throw.
      await connection.sendNotification(DidChangeTextDocumentNotification.method, { textDocument: { uri: 'untitled:Untitled-1', version: null }, contentChanges: [{ text: 'x' }] });
      await connection.sendNotification('workspace/didChangeWatchedFiles', { changes: null });

      // A request for a document nobody opened, for a feature the server does not offer: an error answer.
      await assert.rejects(
        connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: server.uri('k8s/unknown.yaml') }, position: { line: 0, character: 0 } }),
        (e: unknown) => e instanceof ResponseError && e.code === ErrorCodes.MethodNotFound,
      );
      // Hover is offered (live issuers): nothing to say about a document nobody opened.
      assert.equal(await connection.sendRequest(HoverRequest.type, { textDocument: { uri: server.uri('k8s/unknown.yaml') }, position: { line: 0, character: 0 } }), null);

      // Still serving: a real edit is analysed…
      await server.openDocument('k8s/external-dns.yaml');
      await server.replaceInDocument('k8s/external-dns.yaml', 'namespace: kube-system', 'namespace: dns');
      await server.waitForDiagnostics('k8s/external-dns.yaml', hasRule('sa-role-trust-mismatch'));
      // …and, by then, the change sent before didOpen has had every chance to apply: it did not.
      assert.equal(ofRule(server.diagnostics(SA_FILE), 'sa-role-trust-mismatch').length, 1);
      assert.ok(!server.publications.some(([file]) => file === 'README.md'));
      assert.equal(await server.shutdown(), 0);
    });
  });

  it('answers shutdown during the scan and exits with 0', async () => {
    const session = await LanguageServerSession.start({
      prepare: (root) => {
        // Enough ServiceAccounts that the scan takes many time slices.
        for (let team = 0; team < 50; team++) {
          const dir = path.join(root, `team-${team}`);
          fs.mkdirSync(dir);
          for (let i = 0; i < 80; i++) fs.writeFileSync(path.join(dir, `sa-${i}.yaml`), serviceAccount(`team-${team}`, `app-${i}`));
        }
      },
    });
    try {
      await session.waitUntil('the scan to begin', () => session.progress.find((p) => p.value.kind === 'begin'));
      assert.ok(!session.progress.some((p) => p.value.kind === 'end'), 'the scan is still running when shutdown is sent');
      assert.equal(await session.shutdown(), 0);
      const end = session.progress.find((p) => p.value.kind === 'end');
      if (end) assert.match(end.value.kind === 'end' ? (end.value.message ?? '') : '', /stopped/);
    } finally {
      session.dispose();
    }
  });
});

function serviceAccount(namespace: string, name: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/${namespace}-${name}
`;
}
