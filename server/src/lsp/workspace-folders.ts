/**
 * `workspace/didChangeWorkspaceFolders`: a folder removed takes its files
 * (except open documents) and its `.irsa-lint.json` with it; a folder added
 * is configured and scanned.
 */
import type { WorkspaceFoldersChangeEvent } from 'vscode-languageserver/node';
import { removeFolderKeepingOpenDocuments } from './documents';
import type { Feature, ServerContext } from './feature';
import type { Folder } from './folders';
import { guard } from './log';

export const WORKSPACE_FOLDERS: Feature = {
  methods: ['workspace/didChangeWorkspaceFolders'],
  capabilities: { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } },
  initialized: (connection, context) => {
    if (!context.clientCapabilities().workspace?.workspaceFolders) return;
    connection.workspace.onDidChangeWorkspaceFolders(guard(context.log, 'didChangeWorkspaceFolders', (event) => foldersChanged(event, context)));
  },
};

function foldersChanged(event: WorkspaceFoldersChangeEvent, { workspace, folders, settings, documents, analyzer, scan }: ServerContext): void {
  let changed = false;
  for (const removed of event.removed) {
    const folder = folders.remove(removed);
    if (!folder) continue;
    settings.forgetFolder(folder);
    if (removeFolderKeepingOpenDocuments(workspace, folder.uri, documents)) changed = true;
  }
  const added: Folder[] = [];
  for (const folder of event.added) {
    const folderAdded = folders.add(folder);
    if (!folderAdded) continue;
    settings.loadFolderConfig(folderAdded);
    added.push(folderAdded);
  }
  if (changed) analyzer.schedule();
  scan(added, 'folder added');
}
