/**
 * Which files the server indexes, and bringing one file of the index back
 * in line with the disk (after the editor closes it, or the file watcher
 * reports it). The workspace scan applies the same rules in bulk.
 */
import * as fs from 'node:fs';
import { relativeUri, uriToPath } from '../common/uri';
import { classifyFile, IGNORED_DIRECTORIES, type Workspace } from '../index/workspace';
import { readTextFile } from '../node/host';
import type { WorkspaceFolders } from './folders';
import type { Logger } from './log';

/**
 * True for a file the scan reads: a kind the engine reads, inside a
 * workspace folder, not below an ignored directory. Keeps `terraform init`
 * (which writes module sources into `.terraform/`) out of the model.
 */
export function isIndexable(uri: string, folders: WorkspaceFolders): boolean {
  if (!classifyFile(uri)) return false;
  const folder = folders.folderOf(uri);
  if (!folder) return false;
  const directories = relativeUri(folder.uri, uri).split('/').slice(0, -1);
  return !directories.some((d) => IGNORED_DIRECTORIES.has(d));
}

/**
 * Sets the file's disk content in the workspace, or removes it when it is
 * gone, unreadable, too large, or a link out of its workspace folder. Returns whether the workspace changed.
 */
export function syncFileFromDisk(workspace: Workspace, uri: string, folders: WorkspaceFolders, maxFileSizeKB: number, log: Logger): boolean {
  const file = uriToPath(uri);
  if (!fs.existsSync(file)) return workspace.removeFile(uri);
  // Its folder bounds what may be read: a link out of the workspace is refused, as in the scan.
  const folder = folders.folderOf(uri);
  const read = readTextFile(file, { maxFileSizeKB, ...(folder ? { root: uriToPath(folder.uri) } : {}) });
  if (read.ok) return workspace.setFile(uri, read.text);
  log.info(`Skipped ${file}: ${read.reason}.`);
  return workspace.removeFile(uri);
}
