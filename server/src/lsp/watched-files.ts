/**
 * File watching through the client (`workspace/didChangeWatchedFiles`): the
 * files the engine reads and the rule configuration (both from the format
 * registry, `shared/formats.ts`), and deletions of anything, because a
 * deleted directory is reported as itself and matches no file glob.
 */
import * as fs from 'node:fs';
import { DidChangeWatchedFilesNotification, FileChangeType, WatchKind, type DidChangeWatchedFilesParams, type FileSystemWatcher } from 'vscode-languageserver/node';
import { WATCHED_FILE_GLOBS } from '../../../shared/formats';
import { dirnameUri, uriToPath } from '../common/uri';
import type { Workspace } from '../index/workspace';
import { isIndexable, syncFileFromDisk } from './disk';
import type { OpenDocumentTexts } from './documents';
import type { Feature } from './feature';
import type { WorkspaceFolders } from './folders';
import { describeError, guard, type Logger } from './log';
import type { SettingsStore } from './settings';
import { canonicalUri, isFileUri } from './uris';

export const FILE_WATCHERS: readonly FileSystemWatcher[] = [...WATCHED_FILE_GLOBS.map((globPattern) => ({ globPattern })), { globPattern: '**/*', kind: WatchKind.Delete }];

/** Watchers are registered dynamically (the protocol has no static capability for them), when the client can. */
export const WATCHED_FILES: Feature = {
  methods: ['workspace/didChangeWatchedFiles'],
  register: (connection, { workspace, folders, settings, documents, log, analyzer }) => {
    connection.onDidChangeWatchedFiles(
      guard(log, 'didChangeWatchedFiles', (params) => {
        const changed = applyWatchedFileChanges(params, { workspace, folders, settings, log, maxFileSizeKB: settings.maxFileSizeKB, openDocuments: documents });
        if (changed) analyzer.schedule();
      }),
    );
  },
  initialized: (connection, { clientCapabilities, log }) => {
    if (clientCapabilities().workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [...FILE_WATCHERS] }).catch((e: unknown) => log.warn(`Could not register file watchers; changes made outside the editor will not be seen: ${describeError(e)}`));
    } else {
      log.info('The client cannot watch files for the server: changes made outside the editor are seen only after a restart.');
    }
  },
};


export interface WatchedFilesDependencies {
  readonly workspace: Workspace;
  readonly folders: WorkspaceFolders;
  readonly settings: SettingsStore;
  readonly log: Logger;
  readonly maxFileSizeKB: number;
  readonly openDocuments: OpenDocumentTexts;
}

/** Applies the reported changes; returns whether anything the analysis sees changed. */
function applyWatchedFileChanges(params: DidChangeWatchedFilesParams, deps: WatchedFilesDependencies): boolean {
  const { workspace, folders, settings } = deps;
  let changed = false;
  /** Deletions that were not indexed files: perhaps directories, removed in one pass below. */
  const deletedOthers = new Set<string>();
  for (const change of params.changes) {
    if (!isFileUri(change.uri)) continue;
    const uri = canonicalUri(change.uri);
    const configuredFolder = folders.folderConfiguredBy(uri);
    if (configuredFolder && settings.loadFolderConfig(configuredFolder)) changed = true;
    // An open document's text is the editor's until it is closed (then it is re-read).
    if (deps.openDocuments.isOpen(uri)) continue;
    if (change.type === FileChangeType.Deleted) {
      if (workspace.removeFile(uri)) changed = true;
      else deletedOthers.add(uri);
    } else if (isIndexable(uri, folders) && !isDirectory(uri)) {
      if (syncFileFromDisk(workspace, uri, folders, deps.maxFileSizeKB, deps.log)) changed = true;
    }
  }
  if (deletedOthers.size > 0 && removeFilesBelow(workspace, deletedOthers, deps.openDocuments)) changed = true;
  return changed;
}

/**
 * Removes the indexed files below any of `directories`, except open
 * documents. One pass over the index, looking up each file's ancestors: a
 * branch switch that deletes thousands of files must not cost thousands of
 * passes.
 */
function removeFilesBelow(workspace: Workspace, directories: ReadonlySet<string>, open: OpenDocumentTexts): boolean {
  let changed = false;
  for (const uri of [...workspace.uris()]) {
    if (open.isOpen(uri)) continue;
    for (let dir = dirnameUri(uri), parent = dirnameUri(dir); ; dir = parent, parent = dirnameUri(dir)) {
      if (directories.has(dir)) {
        if (workspace.removeFile(uri)) changed = true;
        break;
      }
      if (parent === dir) break;
    }
  }
  return changed;
}

function isDirectory(uri: string): boolean {
  try {
    return fs.statSync(uriToPath(uri)).isDirectory();
  } catch {
    return false;
  }
}
