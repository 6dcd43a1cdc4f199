/**
 * The IDE features over the protocol, against the bundled server on stdio:
 * definition, references, hover, completion, code lens and document symbols
 * on files the client never opened (the scan indexed them), and empty
 * answers for unknown documents and positions out of range.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  ReferencesRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type DocumentSymbol,
  type Location,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { withServer, type LanguageServerSession } from './harness';

const SA_FILE = 'k8s/s3-reader.yaml';
const TRUST_FILE = 'roles/s3-reader.json';
const TF_FILE = 'terraform/main.tf';

/** The role ARN in `eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/s3-reader`. */
const ROLE_ARN = { line: 6, character: 50 };
/** Inside `"system:serviceaccount:prod:s3-reader"` of the JSON trust policy. */
const SUB_VALUE = { line: 12, character: 110 };

function places(server: LanguageServerSession, locations: readonly Location[] | null): string[] {
  return (locations ?? []).map((l) => `${server.fileOf(l.uri)}:${l.range.start.line + 1}`);
}

describe('navigation over the protocol', () => {
  it('answers definition, references, hover, completion, code lens and document symbols', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForScanEnd();
      const doc = (file: string): { uri: string } => ({ uri: server.uri(file) });
      const { connection } = server;

      const definition = (await connection.sendRequest(DefinitionRequest.type, { textDocument: doc(SA_FILE), position: ROLE_ARN })) as Location[];
      assert.deepEqual(places(server, definition), [`${TRUST_FILE}:1`, `${TRUST_FILE}:4`], 'the role (its JSON trust file) and its statement');

      const toSa = (await connection.sendRequest(DefinitionRequest.type, { textDocument: doc(TRUST_FILE), position: SUB_VALUE })) as Location[];
      assert.deepEqual(places(server, toSa), [], 'prod/s3-reader is defined nowhere: no link is claimed');

      const references = await connection.sendRequest(ReferencesRequest.type, { textDocument: doc(TF_FILE), position: { line: 11, character: 12 }, context: { includeDeclaration: false } });
      assert.deepEqual(places(server, references), ['k8s/external-dns.yaml:7']);

      const hover = await connection.sendRequest(HoverRequest.type, { textDocument: doc(SA_FILE), position: ROLE_ARN });
      assert.ok(hover);
      const markdown = (hover.contents as MarkupContent).value;
      assert.equal((hover.contents as MarkupContent).kind, 'markdown');
      assert.match(markdown, /Role `s3-reader` \(\[roles\/s3-reader\.json:1\]/);
      assert.match(markdown, /does \*\*not\*\* admit `system:serviceaccount:demo:s3-reader`/);

      const subHover = await connection.sendRequest(HoverRequest.type, { textDocument: doc(TRUST_FILE), position: SUB_VALUE });
      assert.match((subHover!.contents as MarkupContent).value, /No ServiceAccount of the workspace has this subject/);

      const completion = (await connection.sendRequest(CompletionRequest.type, { textDocument: doc(TRUST_FILE), position: SUB_VALUE })) as CompletionItem[] | CompletionList;
      const items = Array.isArray(completion) ? completion : completion.items;
      assert.deepEqual(
        items.map((i) => i.label),
        ['system:serviceaccount:demo:s3-reader', 'system:serviceaccount:kube-system:external-dns'],
      );
      const edit = items[0]!.textEdit as TextEdit;
      assert.deepEqual(edit.range, { start: { line: 12, character: 87 }, end: { line: 12, character: 123 } }, 'the whole value between the quotes');
      assert.match(items[0]!.detail ?? '', /k8s\/s3-reader\.yaml:4/);

      const arnItems = (await connection.sendRequest(CompletionRequest.type, { textDocument: doc(SA_FILE), position: ROLE_ARN })) as CompletionItem[];
      assert.deepEqual(
        arnItems.map((i) => (i.textEdit as TextEdit).newText),
        ['arn:aws:iam::111122223333:role/external-dns', 'arn:aws:iam::111122223333:role/s3-reader'],
      );

      const lenses = await connection.sendRequest(CodeLensRequest.type, { textDocument: doc(TF_FILE) });
      assert.deepEqual(
        (lenses ?? []).map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
        [
          [11, 'trusted by 1 ServiceAccount', 'irsa.showReferences'],
          [11, 'used by 1', 'irsa.showReferences'],
        ],
      );
      const args = lenses![1]!.command!.arguments as [string, unknown, Location[]];
      assert.equal(server.fileOf(args[0]), TF_FILE);
      assert.deepEqual(places(server, args[2]), ['k8s/external-dns.yaml:7']);

      const symbols = (await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: doc(TRUST_FILE) })) as DocumentSymbol[];
      assert.deepEqual(
        symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]),
        [
          ['s3-reader', []],
          ['trust policy of s3-reader', ['AllowS3ReaderServiceAccount']],
        ],
      );
    });
  });

  it('offers "Create role for this ServiceAccount" on an unannotated ServiceAccount: a new trust file and the annotation', async () => {
    const prepare = (root: string): void => {
      fs.writeFileSync(`${root}/k8s/app.yaml`, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: demo\n');
    };
    await withServer({ fixture: 's3-reader', prepare }, async (server) => {
      await server.waitForScanEnd();
      const actions = (await server.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: server.uri('k8s/app.yaml') },
        range: { start: { line: 3, character: 9 }, end: { line: 3, character: 9 } },
        context: { diagnostics: [] },
      })) as CodeAction[];
      const create = actions.find((a) => a.title.startsWith('IRSA: Create role for this ServiceAccount'));
      assert.ok(create, JSON.stringify(actions));
      assert.equal(create.kind, 'refactor');
      const changes = create.edit?.documentChanges ?? [];
      const created = changes[0] as { kind: string; uri: string; options: unknown };
      assert.deepEqual([created.kind, server.fileOf(created.uri), created.options], ['create', 'roles/app-trust.json', { overwrite: false, ignoreIfExists: false }]);
      assert.match(JSON.stringify(changes), /eks\.amazonaws\.com\/role-arn: arn:aws:iam::111122223333:role\/app/);
    });
  });

  it('answers empty for unknown documents and positions out of range, and keeps serving', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForScanEnd();
      const { connection } = server;
      const unknown = { uri: server.uri('nowhere/missing.yaml') };
      const far = { line: 10_000, character: 10_000 };
      assert.deepEqual(await connection.sendRequest(DefinitionRequest.type, { textDocument: unknown, position: far }), []);
      assert.deepEqual(await connection.sendRequest(ReferencesRequest.type, { textDocument: unknown, position: far, context: { includeDeclaration: true } }), []);
      assert.equal(await connection.sendRequest(HoverRequest.type, { textDocument: unknown, position: far }), null);
      assert.deepEqual(await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: server.uri(SA_FILE) }, position: far }), []);
      assert.deepEqual(await connection.sendRequest(CodeLensRequest.type, { textDocument: unknown }), []);
      assert.deepEqual(await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: 'untitled:Untitled-1' } }), []);
      const definition = (await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: server.uri(SA_FILE) }, position: ROLE_ARN })) as Location[];
      assert.equal(definition.length, 2, 'still serving after the odd requests');
      assert.deepEqual(server.logMessages.filter((m) => /failed/.test(m.message)), []);
    });
  });
});
