/**
 * Request handlers for the IDE features (definition, references, completion,
 * code lens, document symbols; hover in `hover.ts`): each converts the
 * protocol's parameters, asks `server/src/ide`, and converts the answer.
 * Every handler is guarded: an exception is logged and the request answered
 * with the empty result, so a bug costs one answer, not the server.
 */
import {
  CompletionItemKind,
  SymbolKind,
  type CodeLens,
  type CompletionItem,
  type Connection,
  type DocumentSymbol,
  type Location,
} from 'vscode-languageserver/node';
import { COMMANDS } from '../../../shared/protocol';
import type { Span } from '../common/text';
import { codeLenses } from '../ide/code-lens';
import { completion, COMPLETION_TRIGGER_CHARACTERS } from '../ide/completion';
import { definition } from '../ide/definition';
import { references } from '../ide/references';
import { documentSymbols, type IrsaSymbol, type SymbolKind as IrsaSymbolKind } from '../ide/symbols';
import type { Workspace } from '../index/workspace';
import type { WorkspaceFolders } from './folders';
import type { Logger, RequestGuard } from './log';
import { canonicalUri } from './uris';


export interface RequestDependencies {
  readonly workspace: Workspace;
  readonly folders: WorkspaceFolders;
  readonly log: Logger;
  readonly guard: RequestGuard;
}

export const NAVIGATION_CAPABILITIES = {
  definitionProvider: true,
  referencesProvider: true,
  documentSymbolProvider: true,
  codeLensProvider: { resolveProvider: false },
  completionProvider: { triggerCharacters: COMPLETION_TRIGGER_CHARACTERS, resolveProvider: false },
} as const;

export function registerNavigation(connection: Connection, deps: RequestDependencies): void {
  const { workspace, folders, guard } = deps;
  const rootOf = (uri: string): string | undefined => folders.folderOf(uri)?.uri;
  connection.onDefinition(guard('definition', [] as Location[], (p) => definition(workspace.model(), canonicalUri(p.textDocument.uri), p.position).map(toLocation)));
  connection.onReferences(
    guard('references', [] as Location[], (p) => references(workspace.model(), canonicalUri(p.textDocument.uri), p.position, p.context.includeDeclaration).map(toLocation)),
  );
  connection.onDocumentSymbol(guard('documentSymbol', [] as DocumentSymbol[], (p) => documentSymbols(workspace.model(), canonicalUri(p.textDocument.uri)).map(toDocumentSymbol)));
  connection.onCodeLens(
    guard('codeLens', [] as CodeLens[], (p) => {
      const uri = canonicalUri(p.textDocument.uri);
      return codeLenses(workspace.model(), uri).map((lens) => ({
        range: lens.range,
        command: { title: lens.title, command: COMMANDS.showReferences, arguments: [uri, lens.range.start, lens.locations.map(toLocation)] },
      }));
    }),
  );
  connection.onCompletion(
    guard('completion', [] as CompletionItem[], (p) => {
      const uri = canonicalUri(p.textDocument.uri);
      const root = rootOf(uri);
      return completion(workspace.model(), workspace.lines(uri), uri, p.position, root ? { rootUri: root } : {}).map((entry) => ({
        label: entry.label,
        kind: entry.kind === 'role' ? CompletionItemKind.Reference : CompletionItemKind.Value,
        detail: entry.detail,
        sortText: entry.sortText,
        filterText: entry.newText,
        textEdit: { range: entry.range, newText: entry.newText },
      }));
    }),
  );
}

export function toLocation(span: Span): Location {
  return { uri: span.uri, range: span.range };
}

const SYMBOL_KINDS: Readonly<Record<IrsaSymbolKind, SymbolKind>> = {
  role: SymbolKind.Class,
  'trust-policy': SymbolKind.Namespace,
  'trust-statement': SymbolKind.Property,
  'service-account': SymbolKind.Object,
};

function toDocumentSymbol(symbol: IrsaSymbol): DocumentSymbol {
  return {
    name: symbol.name,
    ...(symbol.detail !== undefined ? { detail: symbol.detail } : {}),
    kind: SYMBOL_KINDS[symbol.kind],
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    children: symbol.children.map(toDocumentSymbol),
  };
}
