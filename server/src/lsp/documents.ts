/**
 * Open documents (`textDocument/didOpen`, `didChange`, `didClose`): while a
 * file is open the editor's text is the truth (it overrides the disk),
 * synchronised incrementally; when it closes, unsaved edits are discarded
 * and the file goes back to its disk content, or leaves the index when it
 * is not a file the scan would read.
 *
 * Parse errors of a document being typed in are held back until the text
 * has been idle for `PARSE_ERROR_IDLE_MS` or is saved: a word half typed is
 * not a mistake yet, and an error squiggle under every keystroke teaches
 * users to look away. (gopls and terraform-ls report syntax errors on every
 * change; ESLint's VS Code client runs "onType" after a pause. We take the
 * pause for parse errors only: the IRSA findings of the text as it is still
 * show at once, and files not open are reported as soon as they are read.)
 */
import { TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import type { TextChange } from '../common/text';
import { isUnder } from '../common/uri';
import type { Workspace } from '../index/workspace';
import { isIndexable, syncFileFromDisk } from './disk';
import type { Feature } from './feature';
import type { WorkspaceFolders } from './folders';
import { guard, type Logger } from './log';
import { canonicalUri, isFileUri } from './uris';

/** How long a document's text must stay unchanged before its parse errors are shown (unless it is saved first). */
export const PARSE_ERROR_IDLE_MS = 1500;

export const TEXT_DOCUMENT_SYNC: Feature = {
  methods: ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didSave', 'textDocument/didClose'],
  capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } } },
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
  /** A document was saved: its held-back parse errors may show now. */
  readonly onSave?: () => void;
  /** Milliseconds, for the idle time of parse errors (`Date.now` unless a test says otherwise). */
  readonly now?: () => number;
}

export class OpenDocuments implements OpenDocumentTexts {
  private readonly documents = new TextDocuments<TextDocument>({
    create: TextDocument.create,
    update: (document, changes, version) => {
      this.lastChange.set(document.uri, singleChange(document, changes));
      return TextDocument.update(document, changes, version);
    },
  });
  /** Client URI → the edit the last didChange made, when it was one ranged edit: the index can judge it instead of the text. */
  private readonly lastChange = new Map<string, TextChange | undefined>();
  /** Canonical URI → the client's spelling of it, for the documents we index. */
  private readonly open = new Map<string, string>();
  /** Canonical URI → when the user last changed its text, for documents changed since they were opened or saved. */
  private readonly editedAt = new Map<string, number>();
  /** The document whose didOpen is being handled (TextDocuments fires open, then change, for it). */
  private readonly justOpened = new Set<string>();

  constructor(private readonly deps: OpenDocumentsDependencies) {}

  /** Takes over the connection's open/change/close notifications. */
  listen(connection: Connection): void {
    const { log } = this.deps;
    this.documents.onDidOpen(guard(log, 'didOpen', (e) => this.opened(e.document.uri)));
    this.documents.onDidChangeContent(guard(log, 'didChange', (e) => this.changed(e.document)));
    this.documents.onDidSave(guard(log, 'didSave', (e) => this.saved(e.document.uri)));
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

  /**
   * When the parse errors of `uri` may be shown: undefined for "now" (a file
   * not open, or not changed since it was opened or saved), else the time
   * its text will have been idle long enough.
   */
  parseErrorsHeldUntil(uri: string): number | undefined {
    const at = this.editedAt.get(uri);
    if (at === undefined) return undefined;
    const until = at + PARSE_ERROR_IDLE_MS;
    if (until > this.now()) return until;
    this.editedAt.delete(uri);
    return undefined;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private saved(clientUri: string): void {
    if (this.editedAt.delete(canonicalUri(clientUri))) this.deps.onSave?.();
  }

  private opened(clientUri: string): void {
    if (!isFileUri(clientUri)) return;
    this.open.set(canonicalUri(clientUri), clientUri);
    this.justOpened.add(canonicalUri(clientUri));
  }

  private changed(document: TextDocument): void {
    if (!isFileUri(document.uri)) return;
    // didOpen arrives here too, right after `opened`: only a later change is typing.
    if (!this.justOpened.delete(canonicalUri(document.uri))) this.editedAt.set(canonicalUri(document.uri), this.now());
    const change = this.lastChange.get(document.uri);
    this.lastChange.delete(document.uri);
    // setFile ignores files the engine does not read and text it already has.
    if (this.deps.workspace.setFile(canonicalUri(document.uri), document.getText(), change)) this.deps.onChange();
  }

  private closed(clientUri: string): void {
    if (!isFileUri(clientUri)) return;
    const uri = canonicalUri(clientUri);
    this.open.delete(uri);
    this.editedAt.delete(uri);
    this.lastChange.delete(clientUri);
    const { workspace, folders, log } = this.deps;
    const changed = isIndexable(uri, folders) ? syncFileFromDisk(workspace, uri, folders, this.deps.maxFileSizeKB(), log) : workspace.removeFile(uri);
    if (changed) this.deps.onChange();
  }
}

/** The one ranged edit of a didChange, in offsets of the text before it; undefined for several edits or a whole-text replacement. */
function singleChange(document: TextDocument, changes: readonly TextDocumentContentChangeEvent[]): TextChange | undefined {
  const only = changes.length === 1 ? changes[0] : undefined;
  if (!only || !TextDocumentContentChangeEvent.isIncremental(only)) return undefined;
  return { previous: document.getText(), start: document.offsetAt(only.range.start), end: document.offsetAt(only.range.end), text: only.text };
}
