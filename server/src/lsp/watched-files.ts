/**
 * File watching through the client (`workspace/didChangeWatchedFiles`): the
 * files the engine reads and the rule configuration (both from the format
 * registry, `shared/formats.ts`), and deletions of anything, because a
 * deleted directory is reported as itself and matches no file glob.
 */
import * as fs from 'node:fs';
import { DidChangeWatchedFilesNotification, FileChangeType, WatchKind, type Connection, type DidChangeWatchedFilesParams, type FileSystemWatcher } from 'vscode-languageserver/node';
import { WATCHED_FILE_GLOBS } from '../../../shared/formats';
import { dirnameUri, uriToPath } from '../common/uri';
import type { Workspace } from '../index/workspace';
import { isIndexable, syncFileFromDisk } from './disk';
import type { OpenDocumentTexts } from './documents';
import type { WorkspaceFolders } from './folders';
import type { Logger } from './log';
import type { SettingsStore } from './settings';
import { canonicalUri, isFileUri } from './uris';

export const FILE_WATCHERS: readonly FileSystemWatcher[] = [...WATCHED_FILE_GLOBS.map((globPattern) => ({ globPattern })), { globPattern: '**/*', kind: WatchKind.Delete }];

export async function registerFileWatchers(connection: Connection): Promise<void> {
  await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [...FILE_WATCHERS] });
}

export interface WatchedFilesDependencies {
  readonly workspace: Workspace;
  readonly folders: WorkspaceFolders;
  readonly settings: SettingsStore;
  readonly log: Logger;
  readonly maxFileSizeKB: number;
  readonly openDocuments: OpenDocumentTexts;
}

/** Applies the reported changes; returns whether anything the analysis sees changed. */
export function applyWatchedFileChanges(params: DidChangeWatchedFilesParams, deps: WatchedFilesDependencies): boolean {
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
