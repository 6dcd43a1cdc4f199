/**
 * Markdown runbooks over the protocol: a block's finding is published at its
 * place in the `.md` file, follows the editor's text, and goes away with
 * `irsa.markdown.enabled: false` (and comes back without it).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DefinitionRequest, DocumentSymbolRequest, type DocumentSymbol, type Location } from 'vscode-languageserver-protocol';
import { hasRule, lacksRule, ofRule, withServer } from './harness';

const RULE = 'sa-role-arn-malformed';
const RUNBOOK = 'docs/RUNBOOK.md';
const TEXT = ['# Reader', '', '```sh', 'kubectl annotate sa reader -n shop eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:policy/reader', '```', ''].join('\n');

/** A runbook whose role and ServiceAccount link: `aws iam create-role` with its heredoc, then the annotation. */
const LINKED = [
  '```sh',
  "cat > trust.json <<'EOF'",
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:sub": "system:serviceaccount:shop:reader", "oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:aud": "sts.amazonaws.com"}}}]}',
  'EOF',
  'aws iam create-role --role-name reader --assume-role-policy-document file://trust.json',
  'kubectl annotate sa reader -n shop eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/reader',
  '```',
  '',
].join('\n');

describe('Markdown runbooks', () => {
  it('are analysed in place, follow the open document, and turn off with irsa.markdown.enabled', async () => {
    const prepare = (root: string): void => {
      fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
      fs.writeFileSync(path.join(root, RUNBOOK), TEXT);
    };
    await withServer({ fixture: 's3-reader', prepare }, async (server) => {
      const [finding] = ofRule(await server.waitForDiagnostics(RUNBOOK, hasRule(RULE)), RULE);
      assert.deepEqual(finding!.range, { start: { line: 3, character: 62 }, end: { line: 3, character: 101 } });

      // The editor's text wins: the placeholder account is unknown, not malformed.
      await server.openDocument(RUNBOOK);
      await server.replaceInDocument(RUNBOOK, 'arn:aws:iam::111122223333:policy/reader', 'arn:aws:iam::<ACCOUNT_ID>:role/reader');
      await server.waitForDiagnostics(RUNBOOK, lacksRule(RULE));
      await server.replaceInDocument(RUNBOOK, 'arn:aws:iam::<ACCOUNT_ID>:role/reader', 'arn:aws:iam::111122223333:policy/reader');
      await server.waitForDiagnostics(RUNBOOK, hasRule(RULE));

      await server.changeSettings({ markdown: { enabled: false } });
      await server.waitForDiagnostics(RUNBOOK, lacksRule(RULE));
      await server.changeSettings({});
      await server.waitForDiagnostics(RUNBOOK, hasRule(RULE));
    });
  });

  it('answers definition and document symbols from the runbook\'s own facts', async () => {
    const prepare = (root: string): void => {
      fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
      fs.writeFileSync(path.join(root, 'docs', 'LINKED.md'), LINKED);
    };
    await withServer({ fixture: 's3-reader', prepare }, async (server) => {
      await server.waitForScanEnd();
      const textDocument = { uri: server.uri('docs/LINKED.md') };
      const definition = (await server.connection.sendRequest(DefinitionRequest.type, { textDocument, position: { line: 5, character: 70 } })) as Location[];
      assert.ok(definition.length > 0 && definition.every((l) => l.uri.endsWith('/docs/LINKED.md')), `the role ARN leads to the runbook's own role: ${JSON.stringify(definition)}`);
      const symbols = (await server.connection.sendRequest(DocumentSymbolRequest.type, { textDocument })) as DocumentSymbol[];
      assert.ok(symbols.length > 0, 'the runbook\'s trust policy and ServiceAccount are symbols');
    });
  });
});
