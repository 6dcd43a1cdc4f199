/**
 * The background scan of workspace folders: walk, read, index, in time
 * slices, yielding to the event loop between slices so that requests and
 * edits are served while a large workspace loads. Files the editor has open
 * keep the editor's text. Progress goes to the client; a summary (files
 * read, skipped and why, time) goes to the log.
 */
import { performance } from 'node:perf_hooks';
import type { ClientCapabilities, Connection } from 'vscode-languageserver/node';
import { isUnder, uriToPath } from '../common/uri';
import type { Workspace } from '../index/workspace';
import { overSizeWithoutFacts, readWalkedFile, walkWorkspaceFiles, WorkspaceRoot, type SkippedFile } from '../node/host';
import { removeFolderKeepingOpenDocuments, type OpenDocumentTexts } from './documents';
import type { Folder } from './folders';
import type { Logger } from './log';
import { beginProgress } from './progress';

/** Longest stretch of scanning before the event loop gets a turn: the worst added latency of a request during a scan. */
const TIME_SLICE_MS = 8;
/** Progress reports are throttled: one per slice would be hundreds of messages for a large workspace. */
const PROGRESS_INTERVAL_MS = 200;
/** Skipped files named one by one in the log; the rest are counted. */
const SKIPPED_FILES_LOGGED = 20;

export interface FolderScanOptions {
  readonly maxFileSizeKB: number;
  /** The editor's text of an open document wins over the disk's. */
  readonly isOpen: (uri: string) => boolean;
  readonly isCancelled: () => boolean;
  /** Called between time slices with the running count of files read. */
  readonly onSlice: (filesRead: number) => void;
}

export interface FolderScanSummary {
  readonly filesRead: number;
  /** Indexed before (by an earlier scan or a watcher event) but no longer on disk or now skipped. */
  readonly filesRemoved: number;
  readonly skipped: readonly SkippedFile[];
  readonly elapsedMs: number;
  readonly cancelled: boolean;
}

/**
 * Brings the workspace in line with one folder on disk. Re-scanning a
 * folder is safe: unchanged files are not re-parsed (`setFile` compares
 * text), and files that disappeared are removed.
 */
async function scanFolder(workspace: Workspace, folderUri: string, options: FolderScanOptions): Promise<FolderScanSummary> {
  const started = performance.now();
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  let filesRead = 0;
  let sliceStarted = performance.now();
  const root = uriToPath(folderUri);
  const resolvedRoot = new WorkspaceRoot(root);
  for (const file of walkWorkspaceFiles(root, { maxFileSizeKB: options.maxFileSizeKB, onSkip: (s) => skipped.push(s) })) {
    if (options.isCancelled()) return { filesRead, filesRemoved: 0, skipped, elapsedMs: performance.now() - started, cancelled: true };
    const uri = file.uri;
    seen.add(uri);
    if (!options.isOpen(uri)) {
      const read = readWalkedFile(file, resolvedRoot, options.maxFileSizeKB);
      if (read.ok) {
        workspace.setFile(uri, read.text);
        filesRead++;
      } else {
        if (!(read.tooLarge && overSizeWithoutFacts(file, options.maxFileSizeKB))) skipped.push({ path: file.path, reason: read.reason });
        workspace.removeFile(uri);
      }
    }
    if (performance.now() - sliceStarted >= TIME_SLICE_MS) {
      options.onSlice(filesRead);
      await yieldToEventLoop();
      sliceStarted = performance.now();
    }
  }
  let filesRemoved = 0;
  for (const uri of [...workspace.uris()]) {
    if (isUnder(uri, folderUri) && !seen.has(uri) && !options.isOpen(uri) && workspace.removeFile(uri)) filesRemoved++;
  }
  return { filesRead, filesRemoved, skipped, elapsedMs: performance.now() - started, cancelled: false };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface ScannerDependencies {
  readonly connection: Connection;
  readonly log: Logger;
  readonly workspace: Workspace;
  readonly capabilities: () => ClientCapabilities;
  readonly maxFileSizeKB: () => number;
  readonly openDocuments: OpenDocumentTexts;
  /** False once the folder was removed from the workspace: its scan stops and its files go. */
  readonly isCurrentFolder: (folder: Folder) => boolean;
  /** Called after each scan (finished or stopped), so the caller can analyse. */
  readonly onScanEnded: () => void;
}

/** Runs folder scans one after another, with progress; knows whether one is under way. */
export class WorkspaceScanner {
  private running = 0;
  private stopped = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ScannerDependencies) {}

  /** True while any scan is queued or running: the model is still incomplete. */
  get scanning(): boolean {
    return this.running > 0;
  }

  /** Scans the folders in the background; scans never overlap (each waits for the previous one). */
  scan(folders: readonly Folder[], reason: string): Promise<void> {
    if (this.stopped || folders.length === 0) return Promise.resolve();
    this.running++;
    const run = this.queue.then(() => this.scanNow(folders, reason));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops scanning for good (shutdown): the current scan ends at its next slice. */
  stop(): void {
    this.stopped = true;
  }

  private async scanNow(folders: readonly Folder[], reason: string): Promise<void> {
    const { connection, log, workspace } = this.deps;
    let filesRead = 0;
    try {
      if (this.stopped) return;
      const progress = await beginProgress(connection, this.deps.capabilities(), log, 'IRSA', `Indexing ${describeFolders(folders)}`);
      let lastReport = performance.now();
      const started = performance.now();
      let cancelled = false;
      for (const folder of folders) {
        if (!this.deps.isCurrentFolder(folder)) continue;
        const before = filesRead;
        const summary = await scanFolder(workspace, folder.uri, {
          maxFileSizeKB: this.deps.maxFileSizeKB(),
          isOpen: (uri) => this.deps.openDocuments.isOpen(uri),
          isCancelled: () => this.stopped || !this.deps.isCurrentFolder(folder),
          onSlice: (n) => {
            filesRead = before + n;
            if (performance.now() - lastReport < PROGRESS_INTERVAL_MS) return;
            lastReport = performance.now();
            progress.report(`${filesRead} files read`);
          },
        });
        filesRead = before + summary.filesRead;
        logSummary(log, folder, summary, reason);
        if (this.stopped) {
          cancelled = true;
          break;
        }
        // Removed while it was being scanned: drop what the scan had read of it.
        if (summary.cancelled) removeFolderKeepingOpenDocuments(workspace, folder.uri, this.deps.openDocuments);
      }
      const elapsed = Math.round(performance.now() - started);
      progress.end(cancelled ? `Indexing stopped after ${filesRead} files` : `Indexed ${filesRead} files in ${elapsed} ms`);
    } finally {
      this.running--;
      this.deps.onScanEnded();
    }
  }
}

function describeFolders(folders: readonly Folder[]): string {
  return folders.length === 1 ? folders[0]!.name : `${folders.length} folders`;
}

function logSummary(log: Logger, folder: Folder, summary: FolderScanSummary, reason: string): void {
  const path = uriToPath(folder.uri);
  const removed = summary.filesRemoved > 0 ? `, dropped ${summary.filesRemoved} no longer on disk` : '';
  const verb = summary.cancelled ? 'Stopped scanning' : 'Scanned';
  log.info(`${verb} ${path} (${reason}): read ${summary.filesRead} files, skipped ${summary.skipped.length}${removed}, in ${Math.round(summary.elapsedMs)} ms.`);
  for (const skipped of summary.skipped.slice(0, SKIPPED_FILES_LOGGED)) log.info(`  skipped ${skipped.path}: ${skipped.reason}`);
  if (summary.skipped.length > SKIPPED_FILES_LOGGED) log.info(`  … and ${summary.skipped.length - SKIPPED_FILES_LOGGED} more skipped files.`);
}
