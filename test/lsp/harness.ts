/**
 * A language client for protocol round-trip tests: it runs the bundled
 * server (`dist/server.js --stdio`) on a temporary copy of a fixture
 * workspace, answers the server's requests (progress tokens, registrations,
 * configuration) and records what it publishes. Waiting is on events, with
 * a timeout that only turns a hang into a readable failure.
 *
 * Files are named by their path relative to the workspace root. URIs sent to
 * the server are spelled as VS Code spells them (every reserved character
 * percent-encoded), and the temporary root contains a space and a `+`, so
 * the tests also check that the server treats both spellings of a file as one.
 */
import * as assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WatchKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type Diagnostic,
  type DidChangeWatchedFilesRegistrationOptions,
  type FileChangeType,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type Range,
  type Registration,
  type ShowDocumentParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { matchesGlob } from '../support/glob';

/** The bundle under test, from out/test/lsp/. */
export const SERVER_PATH = path.join(__dirname, '..', '..', '..', 'dist', 'server.js');
export const WORKSPACE_FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspaces');

const ALL_WATCH_KINDS = WatchKind.Create | WatchKind.Change | WatchKind.Delete;
/** FileChangeType (Created 1, Changed 2, Deleted 3) → the WatchKind bit a watcher must have to report it. */
const WATCH_KIND_OF: Readonly<Record<FileChangeType, number>> = { 1: WatchKind.Create, 2: WatchKind.Change, 3: WatchKind.Delete };

/** Generous, so that a slow CI machine fails only on a real hang. */
export const DEFAULT_TIMEOUT_MS = 15_000;

export const CLIENT_CAPABILITIES: ClientCapabilities = {
  window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
  workspace: {
    configuration: true,
    workspaceFolders: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true, versionSupport: false },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
      dataSupport: true,
    },
  },
};

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface StartOptions {
  /** A directory under test/fixtures/workspaces/, copied into the temporary workspace. */
  readonly fixture?: string;
  /** Writes more files into the temporary workspace before the server starts. */
  readonly prepare?: (root: string) => void;
  /** What the client answers for the `irsa` configuration section. */
  readonly settings?: unknown;
  /** The workspace folders the client opens, relative to the temporary root; the root itself by default. */
  readonly folders?: readonly string[];
  /** `stdio` (any editor; the default) or `ipc` (what VS Code uses when it forks the server). */
  readonly transport?: 'stdio' | 'ipc';
  /** Environment of the server process, over this process's. */
  readonly env?: Readonly<Record<string, string>>;
  /** The client's capabilities in `initialize` (`CLIENT_CAPABILITIES` by default). */
  readonly capabilities?: ClientCapabilities;
  /** Sent in `initialize` (VS Code sends `{workspaceTrusted}`). */
  readonly initializationOptions?: unknown;
  /** Over stdio, run this executable (e.g. an installed `irsa-language-server` bin) instead of dist/server.js. */
  readonly serverExecutable?: string;
}

export class LanguageServerSession {
  /** What `workspace/configuration` answers for `irsa`; change it with `changeSettings`. */
  settings: unknown;
  readonly progress: { readonly token: string | number; readonly value: ProgressValue }[] = [];
  readonly shownMessages: ShowMessageParams[] = [];
  readonly logMessages: LogMessageParams[] = [];
  readonly registrations: Registration[] = [];
  /** The server's answer to `initialize`: its capabilities. */
  initializeResult: InitializeResult | undefined;
  /** Notifications outside LSP (`irsa/…`), in order, as [method, params]. */
  readonly customNotifications: [string, unknown][] = [];
  /** Every `publishDiagnostics`, in order, as [file, diagnostics]. */
  readonly publications: [string, readonly Diagnostic[]][] = [];
  /** What the server asked the client to show (`window/showDocument`), in order. */
  readonly shownDocuments: ShowDocumentParams[] = [];

  private readonly latest = new Map<string, readonly Diagnostic[]>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private readonly events = new EventEmitter();
  private stderr = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(
    readonly root: string,
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    settings: unknown,
  ) {
    this.settings = settings;
    this.events.setMaxListeners(0);
  }

  static async start(options: StartOptions = {}): Promise<LanguageServerSession> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa lsp+'));
    if (options.fixture) fs.cpSync(path.join(WORKSPACE_FIXTURES, options.fixture), root, { recursive: true });
    options.prepare?.(root);

    let child: ChildProcess;
    let connection: ProtocolConnection;
    if (options.transport === 'ipc') {
      child = fork(SERVER_PATH, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, ...options.env } });
      connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    } else {
      const [file, args] = options.serverExecutable !== undefined ? [options.serverExecutable, ['--stdio']] : [process.execPath, [SERVER_PATH, '--stdio']];
      child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
      connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    }
    const session = new LanguageServerSession(root, child, connection, options.settings ?? null);
    session.attach();
    connection.listen();

    const folders = options.folders ?? [''];
    session.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: session.uri(folders[0] ?? ''),
      workspaceFolders: folders.map((folder) => ({ uri: session.uri(folder), name: path.basename(path.join(root, folder)) })),
      capabilities: options.capabilities ?? CLIENT_CAPABILITIES,
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  /** The URI of a workspace file, spelled as VS Code spells it. */
  uri(file: string): string {
    const absolute = path.join(this.root, file).replace(/\/+$/, '');
    return 'file://' + absolute.split(path.sep).map(encodeURIComponent).join('/');
  }

  /** The workspace-relative file a URI from the server names (whatever its spelling). */
  fileOf(uri: string): string {
    return path.relative(this.root, fileURLToPath(uri)).split(path.sep).join('/');
  }

  /** What the server last published for a file; empty when it never did. */
  diagnostics(file: string): readonly Diagnostic[] {
    return this.latest.get(file) ?? [];
  }

  /**
   * Resolves with the file's diagnostics once they satisfy `predicate`:
   * at once if the last publication does, else at the next one that does.
   */
  waitForDiagnostics(file: string, predicate: (diagnostics: readonly Diagnostic[]) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<readonly Diagnostic[]> {
    return this.waitUntil(`diagnostics of ${file} to match ${predicate.toString()}`, () => (predicate(this.diagnostics(file)) ? this.diagnostics(file) : undefined), timeoutMs);
  }

  /** Resolves with the first progress `end` of the server (the initial scan). */
  waitForScanEnd(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<WorkDoneProgressEnd> {
    return this.waitUntil('the scan to end', () => this.progress.map((p) => p.value).find((v): v is WorkDoneProgressEnd => v.kind === 'end'), timeoutMs);
  }

  /** Re-evaluates `check` on every message from the server until it returns a value. */
  waitUntil<T>(description: string, check: () => T | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onEvent = (): void => {
        let value: T | undefined;
        try {
          value = check();
        } catch (e) {
          finish();
          reject(e as Error);
          return;
        }
        if (value === undefined) return;
        finish();
        resolve(value);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.\n${this.describeState()}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.events.off('message', onEvent);
      };
      this.events.on('message', onEvent);
      onEvent();
    });
  }

  /** Opens a workspace file with its disk content. */
  async openDocument(file: string, languageId = languageOf(file)): Promise<void> {
    const text = fs.readFileSync(path.join(this.root, file), 'utf8');
    this.texts.set(file, text);
    this.versions.set(file, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: this.uri(file), languageId, version: 1, text } });
  }

  /** Sends incremental changes (ranges into the text as the server has it). */
  async changeDocument(file: string, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: this.uri(file), version }, contentChanges });
  }

  /** Replaces the first occurrence of `search` in an open document with an incremental change. */
  async replaceInDocument(file: string, search: string | RegExp, replacement: string): Promise<void> {
    const text = this.texts.get(file);
    if (text === undefined) throw new Error(`${file} is not open`);
    const match = typeof search === 'string' ? { index: text.indexOf(search), length: search.length } : matchOf(text, search);
    if (match.index < 0) throw new Error(`${String(search)} not found in ${file}`);
    const range: Range = { start: positionAt(text, match.index), end: positionAt(text, match.index + match.length) };
    this.texts.set(file, text.slice(0, match.index) + replacement + text.slice(match.index + match.length));
    await this.changeDocument(file, [{ range, text: replacement }]);
  }

  /** Tells the server the open document was saved (the harness does not write it: tests write the disk themselves). */
  async saveDocument(file: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: this.uri(file) } });
  }

  async closeDocument(file: string): Promise<void> {
    this.texts.delete(file);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uri(file) } });
  }

  diskText(file: string): string {
    return fs.readFileSync(path.join(this.root, file), 'utf8');
  }

  writeFile(file: string, text: string): void {
    const absolute = path.join(this.root, file);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, text);
  }

  deleteFile(file: string): void {
    fs.rmSync(path.join(this.root, file), { recursive: true, force: true });
  }

  /**
   * What a client's file watcher reports after the test changed the disk.
   * A client reports only what the server's registered watchers match: a
   * change no watcher matches fails the test (the server would never hear
   * of it).
   */
  async notifyWatchedFiles(changes: readonly [file: string, type: FileChangeType][]): Promise<void> {
    const registration = await this.waitUntil('a file watcher registration', () => this.registrations.find((r) => r.method === DidChangeWatchedFilesNotification.method));
    const { watchers } = registration.registerOptions as DidChangeWatchedFilesRegistrationOptions;
    for (const [file, type] of changes) {
      assert.ok(
        watchers.some((w) => typeof w.globPattern === 'string' && matchesGlob(w.globPattern, file) && ((w.kind ?? ALL_WATCH_KINDS) & WATCH_KIND_OF[type]) !== 0),
        `A client would not report ${file}: no watcher the server registered matches it.`,
      );
    }
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: changes.map(([file, type]) => ({ uri: this.uri(file), type })) });
  }

  /** Changes what the client answers for `irsa` and tells the server, as VS Code does. */
  async changeSettings(settings: unknown): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { irsa: settings } });
  }

  /**
   * Applies a workspace edit as an editor does: edits to open documents go
   * through incremental changes (and must name the version the client has),
   * edits to closed files and created files go to the disk, followed by the
   * file watcher's notification.
   */
  async applyWorkspaceEdit(edit: WorkspaceEdit): Promise<void> {
    const watched: [string, FileChangeType][] = [];
    const documentChanges = edit.documentChanges ?? Object.entries(edit.changes ?? {}).map(([uri, edits]) => ({ textDocument: { uri, version: null }, edits }));
    for (const change of documentChanges) {
      if ('kind' in change) {
        if (change.kind !== 'create') throw new Error(`the harness does not apply ${change.kind} operations`);
        const file = this.fileOf(change.uri);
        if (fs.existsSync(path.join(this.root, file))) throw new Error(`create would overwrite ${file}`);
        this.writeFile(file, '');
        watched.push([file, 1 /* Created */]);
        continue;
      }
      const file = this.fileOf(change.textDocument.uri);
      const edits = change.edits.map((e) => ({ range: e.range, newText: 'newText' in e ? e.newText : e.snippet.value }));
      // Last edit first, so that earlier ranges stay valid.
      const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
      const open = this.texts.get(file);
      let text = open ?? this.diskText(file);
      for (const e of sorted) text = text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
      if (open !== undefined) {
        assert.equal(change.textDocument.version, this.versions.get(file) ?? null, `the edit of ${file} names another version than the open document's`);
        this.texts.set(file, text);
        await this.changeDocument(file, sorted.map((e) => ({ range: e.range, text: e.newText })));
      } else {
        this.writeFile(file, text);
        if (!watched.some(([f]) => f === file)) watched.push([file, 2 /* Changed */]);
      }
    }
    if (watched.length > 0) await this.notifyWatchedFiles(watched);
  }

  /** The text of an open document as the client has it. */
  documentText(file: string): string | undefined {
    return this.texts.get(file);
  }

  /** `shutdown`, then `exit`; resolves with the process's exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    return (await this.exited()).code;
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.waitUntil('the server to exit', () => this.exit);
  }

  /** Stops the server if it still runs and removes the temporary workspace. */
  dispose(): void {
    this.connection.dispose();
    if (!this.exit) this.child.kill();
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private attach(): void {
    const { connection, child } = this;
    const changed = (): boolean => this.events.emit('message');
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const file = this.fileOf(params.uri);
      this.latest.set(file, params.diagnostics);
      this.publications.push([file, params.diagnostics]);
      changed();
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      connection.onProgress(WorkDoneProgress.type, token, (value) => {
        this.progress.push({ token, value });
        changed();
      });
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      changed();
    });
    connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params);
      changed();
      return { success: true };
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'irsa' ? this.settings : null)));
    connection.onNotification(ShowMessageNotification.type, (params) => {
      this.shownMessages.push(params);
      changed();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logMessages.push(params);
      changed();
    });
    for (const method of ['irsa/liveStatus', 'irsa/inventoryChanged']) {
      connection.onNotification(method, (params: unknown) => {
        this.customNotifications.push([method, params]);
        changed();
      });
    }
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      changed();
    });
  }

  private describeState(): string {
    const published = [...this.latest].map(([file, ds]) => `  ${file}: ${ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`).join(', ') || '(none)'}`);
    const logs = this.logMessages.slice(-10).map((m) => `  ${m.message}`);
    return [`Published:`, ...published, `Last log messages:`, ...logs, `stderr: ${this.stderr.slice(-2000)}`].join('\n');
  }
}

/** Starts a session and disposes of it after `body`, whatever happens. */
export async function withServer(options: StartOptions, body: (session: LanguageServerSession) => Promise<void>): Promise<void> {
  const session = await LanguageServerSession.start(options);
  try {
    await body(session);
  } finally {
    session.dispose();
  }
}

/** A diagnostic's message as text (LSP 3.18 allows markup). */
export function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** Diagnostics of one rule. */
export function ofRule(diagnostics: readonly Diagnostic[], ruleId: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === ruleId);
}

export function hasRule(ruleId: string): (diagnostics: readonly Diagnostic[]) => boolean {
  return (diagnostics) => diagnostics.some((d) => d.code === ruleId);
}

export function lacksRule(ruleId: string): (diagnostics: readonly Diagnostic[]) => boolean {
  return (diagnostics) => !diagnostics.some((d) => d.code === ruleId);
}

function languageOf(file: string): string {
  if (/\.(tf|tfvars)$/.test(file)) return 'terraform';
  if (file.endsWith('.json')) return 'json';
  if (file.endsWith('.md')) return 'markdown';
  return 'yaml';
}

function matchOf(text: string, pattern: RegExp): { index: number; length: number } {
  const m = pattern.exec(text);
  return m ? { index: m.index, length: m[0].length } : { index: -1, length: 0 };
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

function offsetAt(text: string, position: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}
