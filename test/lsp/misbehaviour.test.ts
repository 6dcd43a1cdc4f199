/**
 * A client that misbehaves (issue #7): requests for unknown documents and
 * out-of-range positions, cancelled requests, edits out of range, opens
 * and closes out of order, an open document far over the limits. The
 * server answers every request (a result, or an error that is not an
 * internal one, which is what a throwing handler becomes), logs an
 * over-budget file once, and goes on serving.
 *
 * REQUESTS is the table to extend when a request handler is added: its
 * method and how to build its parameters for a document and a position.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancellationTokenSource, ErrorCodes, ResponseError, type Position } from 'vscode-languageserver-protocol/node';
import { hasRule, type LanguageServerSession, withServer } from './harness';

interface RequestCase {
  readonly method: string;
  readonly params: (uri: string, position: Position) => object;
}

const at = (uri: string, position: Position): object => ({ textDocument: { uri }, position });

export const REQUESTS: readonly RequestCase[] = [
  { method: 'textDocument/hover', params: at },
  { method: 'textDocument/definition', params: at },
  { method: 'textDocument/references', params: (uri, position) => ({ ...at(uri, position), context: { includeDeclaration: true } }) },
  { method: 'textDocument/completion', params: at },
  { method: 'textDocument/codeAction', params: (uri, position) => ({ textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }) },
  { method: 'textDocument/documentSymbol', params: (uri) => ({ textDocument: { uri } }) },
  { method: 'textDocument/codeLens', params: (uri) => ({ textDocument: { uri } }) },
  { method: 'textDocument/diagnostic', params: (uri) => ({ textDocument: { uri } }) },
  { method: 'workspace/symbol', params: () => ({ query: 'role' }) },
  { method: 'workspace/executeCommand', params: (uri) => ({ command: 'irsa.showDocumentation', arguments: [uri] }) },
  { method: 'irsa/inventory', params: () => ({}) },
  { method: 'irsa/exportInventory', params: (uri) => ({ format: uri }) },
];

const POSITIONS: readonly Position[] = [
  { line: 0, character: 0 },
  { line: 1_000_000, character: 1_000_000 },
  { line: 4, character: 9_999 },
  { line: -1, character: -1 },
];

const SA_FILE = 'k8s/s3-reader.yaml';

/** Resolves with 'result' or the error code; fails the test on an internal error or a hang. */
async function answer(server: LanguageServerSession, method: string, params: object, cancel = false): Promise<string> {
  const source = new CancellationTokenSource();
  const pending = server.connection.sendRequest(method, params, source.token);
  if (cancel) source.cancel();
  try {
    await pending;
    return 'result';
  } catch (e) {
    assert.ok(e instanceof ResponseError, `${method}: ${String(e)}`);
    assert.notEqual(e.code, ErrorCodes.InternalError, `${method} threw in the server: ${e.message}`);
    return String(e.code);
  }
}

describe('client misbehaviour', () => {
  it('answers every request in the table for unknown documents and out-of-range positions, cancelled or not', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule('sa-role-trust-mismatch'));
      await server.openDocument(SA_FILE);
      const documents = [server.uri(SA_FILE), server.uri('k8s/never-existed.yaml'), 'untitled:Untitled-1', 'file:///', 'not a uri'];
      for (const request of REQUESTS) {
        for (const uri of documents) {
          for (const position of POSITIONS) {
            await answer(server, request.method, request.params(uri, position));
            await answer(server, request.method, request.params(uri, position), true);
          }
        }
      }
      // Still serving: an edit is analysed.
      await server.replaceInDocument(SA_FILE, 'namespace: demo', 'namespace: prod');
      await server.waitForDiagnostics(SA_FILE, (ds) => !ds.some((d) => d.code === 'sa-role-trust-mismatch'));
      assert.equal(await server.shutdown(), 0);
    });
  });

  it('survives edits out of range, double opens and closes, and requests after shutdown', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule('sa-role-trust-mismatch'));
      await server.openDocument(SA_FILE);
      await server.openDocument(SA_FILE);
      await server.changeDocument(SA_FILE, [
        { range: { start: { line: 500, character: 0 }, end: { line: 900, character: 4 } }, text: '# appended past the end\n' },
        { range: { start: { line: 3, character: 80 }, end: { line: 1, character: 0 } }, text: '' },
      ]);
      await server.closeDocument(SA_FILE);
      await server.closeDocument(SA_FILE);
      // After the close the disk's text is back: the finding is still there.
      await server.waitForDiagnostics(SA_FILE, hasRule('sa-role-trust-mismatch'));
      await server.connection.sendRequest('shutdown');
      // The protocol: every request after shutdown is refused with InvalidRequest (not dropped, not answered, not a crash).
      for (const [method, params] of [
        ['textDocument/hover', at(server.uri(SA_FILE), { line: 0, character: 0 })],
        ['textDocument/definition', at(server.uri(SA_FILE), { line: 0, character: 0 })],
        ['textDocument/codeAction', { textDocument: { uri: server.uri(SA_FILE) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }],
      ] as const) {
        assert.equal(await answer(server, method, params), String(ErrorCodes.InvalidRequest), method);
      }
      await server.connection.sendNotification('exit');
      assert.equal((await server.exited()).code, 0);
    });
  });

  it('an open document over the time budget is logged once and skipped; the rest is analysed', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule('sa-role-trust-mismatch'));
      // ~16 MB of Terraform: open documents are analysed whatever their size, so only the budget stops it.
      const blocks: string[] = [];
      for (let i = 0, size = 0; size < 16e6; i++) {
        const block = `resource "aws_iam_role" "r${i}" {\n  name = "r${i}"\n}\n`;
        blocks.push(block);
        size += block.length;
      }
      const big = blocks.join('');
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: server.uri('big/main.tf'), languageId: 'terraform', version: 1, text: big } });
      const skipped = (): string[] => server.logMessages.map((m) => m.message).filter((m) => m.startsWith('Skipped ') && m.includes('big/main.tf'));
      await server.waitUntil('the skip to be logged', () => (skipped().length > 0 ? true : undefined), 30_000);
      assert.match(skipped()[0]!, /took longer than the 2000 ms budget/);
      // Another edit elsewhere re-analyses: the skip is not logged again, and the workspace is still checked.
      await server.openDocument(SA_FILE);
      await server.replaceInDocument(SA_FILE, 'namespace: demo', 'namespace: prod');
      await server.waitForDiagnostics(SA_FILE, (ds) => !ds.some((d) => d.code === 'sa-role-trust-mismatch'));
      assert.equal(skipped().length, 1);
      assert.equal(await server.shutdown(), 0);
    });
  });
});
