/**
 * `textDocument/definition`: from a role ARN to the role and the trust
 * statements that admit the ServiceAccount; from a `sub` value to the
 * ServiceAccounts it matches (`ide/definition.ts`).
 */
import type { Location } from 'vscode-languageserver/node';
import { definition } from '../ide/definition';
import { toLocation } from './convert';
import type { Feature } from './feature';
import { canonicalUri } from './uris';

export const DEFINITION: Feature = {
  methods: ['textDocument/definition'],
  capabilities: { definitionProvider: true },
  register: (connection, { workspace, guard }) => {
    connection.onDefinition(guard('definition', [] as Location[], (p) => definition(workspace.modelFor(canonicalUri(p.textDocument.uri)), canonicalUri(p.textDocument.uri), p.position).map(toLocation)));
  },
};
