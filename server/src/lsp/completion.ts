/**
 * `textDocument/completion`: the workspace's ServiceAccounts in a `sub`
 * value, its roles in a role ARN (`ide/completion.ts`).
 */
import type { CompletionItem } from 'vscode-languageserver/node';
import { LineIndex } from '../common/text';
import { completion, COMPLETION_TRIGGER_CHARACTERS } from '../ide/completion';
import { toCompletionItem } from './convert';
import type { Feature } from './feature';
import { canonicalUri } from './uris';

export const COMPLETION: Feature = {
  methods: ['textDocument/completion'],
  capabilities: { completionProvider: { triggerCharacters: COMPLETION_TRIGGER_CHARACTERS, resolveProvider: false } },
  register: (connection, { workspace, folders, documents, guard }) => {
    connection.onCompletion(
      guard('completion', [] as CompletionItem[], (p) => {
        const uri = canonicalUri(p.textDocument.uri);
        // Places are named relative to the folder the file is in.
        const root = folders.folderOf(uri)?.uri;
        // A document with no facts yet (the pre-filter keeps no text of it) is completed from the editor's text.
        const text = workspace.lines(uri) ? undefined : documents.text(uri);
        const lines = workspace.lines(uri) ?? (text !== undefined ? new LineIndex(text) : undefined);
        return completion(workspace.model(), lines, uri, p.position, root ? { rootUri: root } : {}).map(toCompletionItem);
      }),
    );
  },
};
