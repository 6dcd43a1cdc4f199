/**
 * `textDocument/documentSymbol`: a file's roles, trust policies with their
 * statements, and ServiceAccounts (`ide/symbols.ts`).
 */
import type { DocumentSymbol } from 'vscode-languageserver/node';
import { documentSymbols } from '../ide/symbols';
import { toDocumentSymbol } from './convert';
import type { Feature } from './feature';
import { canonicalUri } from './uris';

export const DOCUMENT_SYMBOLS: Feature = {
  methods: ['textDocument/documentSymbol'],
  capabilities: { documentSymbolProvider: true },
  register: (connection, { workspace, guard }) => {
    connection.onDocumentSymbol(guard('documentSymbol', [] as DocumentSymbol[], (p) => documentSymbols(workspace.modelFor(canonicalUri(p.textDocument.uri)), canonicalUri(p.textDocument.uri)).map(toDocumentSymbol)));
  },
};
