/**
 * What the server announces in `initialize`: the capabilities of the
 * features in its table (`server/src/lsp/server.ts`), merged.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocumentSyncKind } from 'vscode-languageserver-protocol/node';
import { withServer } from './harness';

describe('initialize', () => {
  it('answers with the capabilities of every feature', async () => {
    await withServer({}, async (server) => {
      assert.deepEqual(server.initializeResult, {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
          codeActionProvider: { codeActionKinds: ['quickfix', 'refactor', 'source.fixAll.irsa'], resolveProvider: false },
          executeCommandProvider: { commands: ['irsa.showDocumentation'] },
          hoverProvider: true,
          definitionProvider: true,
          referencesProvider: true,
          documentSymbolProvider: true,
          codeLensProvider: { resolveProvider: false },
          completionProvider: { triggerCharacters: ['"', ':', '/'], resolveProvider: false },
        },
        serverInfo: { name: 'irsa-language-server' },
      });
    });
  });
});
