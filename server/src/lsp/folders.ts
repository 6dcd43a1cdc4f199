/**
 * The workspace folders the server scans and reads `.irsa-lint.json` from:
 * from `initialize` (folders, else `rootUri`, else `rootPath`) and then
 * `workspace/didChangeWorkspaceFolders`.
 */
import type { InitializeParams, WorkspaceFolder } from 'vscode-languageserver/node';
import { CONFIG_FILE_NAME } from '../config';
import { isUnder, pathToUri } from '../common/uri';
import { canonicalUri, isFileUri } from './uris';

export interface Folder {
  /** Canonical `file:` URI, without a trailing slash. */
  readonly uri: string;
  readonly name: string;
}

/** The folders a client opened with: its workspace folders, else `rootUri`, else `rootPath`. */
export function initialWorkspaceFolders(params: InitializeParams): WorkspaceFolder[] {
  if (params.workspaceFolders && params.workspaceFolders.length > 0) return params.workspaceFolders;
  if (params.rootUri) return [{ uri: params.rootUri, name: params.rootUri }];
  // Deprecated in the protocol, but what clients older than rootUri send.
  if (params.rootPath) return [{ uri: pathToUri(params.rootPath), name: params.rootPath }];
  return [];
}

export class WorkspaceFolders {
  private folders: Folder[] = [];

  /** Adds a folder; returns it, or undefined when it is not a local folder or already known. */
  add(folder: WorkspaceFolder): Folder | undefined {
    if (!isFileUri(folder.uri)) return undefined;
    const uri = canonicalUri(folder.uri).replace(/\/+$/, '');
    if (this.folders.some((f) => f.uri === uri)) return undefined;
    const added = { uri, name: folder.name };
    this.folders.push(added);
    return added;
  }

  remove(folder: WorkspaceFolder): Folder | undefined {
    const uri = canonicalUri(folder.uri).replace(/\/+$/, '');
    const index = this.folders.findIndex((f) => f.uri === uri);
    if (index < 0) return undefined;
    return this.folders.splice(index, 1)[0];
  }

  list(): readonly Folder[] {
    return this.folders;
  }

  /** The innermost folder holding `uri` (folders may nest). */
  folderOf(uri: string): Folder | undefined {
    let best: Folder | undefined;
    for (const folder of this.folders) if (isUnder(uri, folder.uri) && (!best || folder.uri.length > best.uri.length)) best = folder;
    return best;
  }

  /** The folder whose rule configuration `uri` is: `.irsa-lint.json` at its root. */
  folderConfiguredBy(uri: string): Folder | undefined {
    return this.folders.find((f) => uri === `${f.uri}/${CONFIG_FILE_NAME}`);
  }
}
