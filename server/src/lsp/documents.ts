/**
 * Open documents (`textDocument/didOpen`, `didChange`, `didClose`): while a
 * file is open the editor's text is the truth (it overrides the disk),
 * synchronised incrementally; when it closes, unsaved edits are discarded
 * and the file goes back to its disk content, or leaves the index when it
 * is not a file the scan would read.
 */
import { TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isUnder } from '../common/uri';
import type { Workspace } from '../index/workspace';
import { isIndexable, syncFileFromDisk } from './disk';
import type { Feature } from './feature';
import type { WorkspaceFolders } from './folders';
import { guard, type Logger } from './log';
import { canonicalUri, isFileUri } from './uris';

export const TEXT_DOCUMENT_SYNC: Feature = {
  methods: ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose'],
  capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
  register: (connection, { documents }) => documents.listen(connection),
};

/** What other features need to know of open documents, by canonical URI. */
export interface OpenDocumentTexts {
  isOpen(uri: string): boolean;
  text(uri: string): string | undefined;
  uris(): IterableIterator<string>;
}

/**
 * Removes every file below a folder (deleted, or no longer a workspace
 * folder), except that open documents stay with the editor's text: they are
 * still on screen, and their diagnostics should be too.
 */
export function removeFolderKeepingOpenDocuments(workspace: Workspace, folderUri: string, open: OpenDocumentTexts): boolean {
  let changed = workspace.removeFolder(folderUri) > 0;
  for (const uri of open.uris()) {
    if (!isUnder(uri, folderUri)) continue;
    const text = open.text(uri);
    if (text !== undefined && workspace.setFile(uri, text)) changed = true;
  }
  return changed;
}

export interface OpenDocumentsDependencies {
  readonly workspace: Workspace;
  readonly folders: WorkspaceFolders;
  readonly log: Logger;
  readonly maxFileSizeKB: () => number;
  /** The workspace changed: analyse. */
  readonly onChange: () => void;
}

export class OpenDocuments implements OpenDocumentTexts {
  private readonly documents = new TextDocuments(TextDocument);
  /** Canonical URI → the client's spelling of it, for the documents we index. */
  private readonly open = new Map<string, string>();

  constructor(private readonly deps: OpenDocumentsDependencies) {}

  /** Takes over the connection's open/change/close notifications. */
  listen(connection: Connection): void {
    const { log } = this.deps;
    this.documents.onDidOpen(guard(log, 'didOpen', (e) => this.opened(e.document.uri)));
    this.documents.onDidChangeContent(guard(log, 'didChange', (e) => this.changed(e.document)));
    this.documents.onDidClose(guard(log, 'didClose', (e) => this.closed(e.document.uri)));
    this.documents.listen(connection);
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  /** The editor's text of an open document, by canonical URI. */
  text(uri: string): string | undefined {
    const clientUri = this.open.get(uri);
    return clientUri !== undefined ? this.documents.get(clientUri)?.getText() : undefined;
  }

  uris(): IterableIterator<string> {
    return this.open.keys();
  }

  /** The URI as the client spelled it when it opened the document (edits must use it), else the canonical one. */
  clientUri(uri: string): string {
    return this.open.get(uri) ?? uri;
  }

  /** The version of an open document; null for a file that is not open (the protocol's "the file on disk"). */
  version(uri: string): number | null {
    const clientUri = this.open.get(uri);
    return clientUri !== undefined ? (this.documents.get(clientUri)?.version ?? null) : null;
  }

  private opened(clientUri: string): void {
    if (isFileUri(clientUri)) this.open.set(canonicalUri(clientUri), clientUri);
  }

  private changed(document: TextDocument): void {
    if (!isFileUri(document.uri)) return;
    // setFile ignores files the engine does not read and text it already has.
    if (this.deps.workspace.setFile(canonicalUri(document.uri), document.getText())) this.deps.onChange();
  }

  private closed(clientUri: string): void {
    if (!isFileUri(clientUri)) return;
    const uri = canonicalUri(clientUri);
    this.open.delete(uri);
    const { workspace, folders, log } = this.deps;
    const changed = isIndexable(uri, folders) ? syncFileFromDisk(workspace, uri, folders, this.deps.maxFileSizeKB(), log) : workspace.removeFile(uri);
    if (changed) this.deps.onChange();
  }
}
