/**
 * What a feature of the language server is (as terraform-ls has one handler
 * file per LSP method): its part of the capabilities `initialize` answers
 * with, and the handlers it installs. Each feature is one file of `lsp/`
 * exporting one `Feature`; `server.ts` lists them all in one table, from
 * which `initialize` builds the server's capabilities.
 *
 * A feature asks the engine through the `ServerContext`, and converts
 * through `convert.ts`; it keeps no state of its own.
 */
import type { ClientCapabilities, Connection, Position, ServerCapabilities } from 'vscode-languageserver/node';
import type { Fix, FixContext } from '../edit/types';
import type { Workspace } from '../index/workspace';
import type { Analyzer } from './analyzer';
import type { OpenDocuments } from './documents';
import type { Folder, WorkspaceFolders } from './folders';
import type { LiveChecks } from './live';
import type { Logger, RequestGuard } from './log';
import type { SettingsStore } from './settings';

export interface Feature {
  /** The protocol methods it serves or sends, for the reader of the table. */
  readonly methods: readonly string[];
  /** Its part of the server's capabilities (`initialize`'s answer); none for what needs no announcing. */
  readonly capabilities?: ServerCapabilities;
  /** Installs its handlers; runs before the connection listens. */
  readonly register?: (connection: Connection, context: ServerContext) => void;
  /** After `initialized`: dynamic registrations, which depend on the client's capabilities. */
  readonly initialized?: (connection: Connection, context: ServerContext) => void;
}

/** The server's state, as the features see it. */
export interface ServerContext {
  readonly workspace: Workspace;
  readonly folders: WorkspaceFolders;
  readonly documents: OpenDocuments;
  readonly settings: SettingsStore;
  readonly analyzer: Analyzer;
  readonly live: LiveChecks;
  readonly log: Logger;
  /** Wraps every request handler: see `requestGuard`. */
  readonly guard: RequestGuard;
  /** What the client said it can do, in `initialize`. */
  readonly clientCapabilities: () => ClientCapabilities;
  /** Scans folders in the background, not awaited: requests and edits are served while it runs. */
  readonly scan: (folders: readonly Folder[], reason: string) => void;
  readonly isScanning: () => boolean;
  /** What the fixes read of the workspace now. */
  readonly fixContext: () => FixContext;
  /** Assists at a position, tied to no finding ("Create role for this ServiceAccount"). */
  readonly assists: (uri: string, position: Position) => readonly Fix[];
}

/** The capabilities of all `features`: each adds its own; `workspace` ones are merged, not replaced. */
export function serverCapabilities(features: readonly Feature[]): ServerCapabilities {
  let all: ServerCapabilities = {};
  for (const { capabilities } of features) {
    if (!capabilities) continue;
    all = { ...all, ...capabilities, ...(capabilities.workspace ? { workspace: { ...all.workspace, ...capabilities.workspace } } : {}) };
  }
  return all;
}
