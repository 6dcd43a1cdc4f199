/**
 * `textDocument/codeLens`: on each role, how many ServiceAccounts its trust
 * admits and how many use it, and what IAM holds for it when live checks ran
 * (`ide/code-lens.ts`); clicking runs the client's `irsa.showReferences`.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import { codeLenses } from '../ide/code-lens';
import { toCodeLens } from './convert';
import type { Feature } from './feature';
import { canonicalUri } from './uris';

export const CODE_LENS: Feature = {
  methods: ['textDocument/codeLens'],
  capabilities: { codeLensProvider: { resolveProvider: false } },
  register: (connection, { workspace, guard, live }) => {
    connection.onCodeLens(
      guard('codeLens', [] as CodeLens[], (p) => {
        const uri = canonicalUri(p.textDocument.uri);
        return codeLenses(workspace.modelFor(uri), uri, live.facts).map((lens) => toCodeLens(uri, lens));
      }),
    );
  },
};
