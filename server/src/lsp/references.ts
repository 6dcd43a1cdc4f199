/**
 * `textDocument/references`: the role ARNs that use a role, and the `sub`
 * values that admit a ServiceAccount (`ide/references.ts`).
 */
import type { Location } from 'vscode-languageserver/node';
import { references } from '../ide/references';
import { toLocation } from './convert';
import type { Feature } from './feature';
import { canonicalUri } from './uris';

export const REFERENCES: Feature = {
  methods: ['textDocument/references'],
  capabilities: { referencesProvider: true },
  register: (connection, { workspace, guard }) => {
    connection.onReferences(
      guard('references', [] as Location[], (p) => references(workspace.modelFor(canonicalUri(p.textDocument.uri)), canonicalUri(p.textDocument.uri), p.position, p.context.includeDeclaration).map(toLocation)),
    );
  },
};
