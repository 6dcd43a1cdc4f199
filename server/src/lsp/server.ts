/**
 * The language server's wiring: state, capabilities and the protocol
 * handlers, each delegating to the module of its concern. Every handler runs
 * behind `guard`: an exception is logged and the server goes on.
 *
 * Lifecycle: `initialize` records the client's capabilities and folders and
 * loads the parsers; `initialized` registers watchers, pulls settings and
 * starts the background scan, which analyses when it ends. From then on each
 * change (edit, file event, setting) schedules an analysis.
 */
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type DidChangeConfigurationParams,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { REFRESH_LIVE_CLUSTERS_REQUEST, WORKSPACE_TRUSTED_NOTIFICATION } from '../../../shared/protocol';
import { SETTINGS_SECTION } from '../../../shared/settings';
import { Workspace } from '../index/workspace';
import { initParsers } from '../node/host';
import { Analyzer } from './analyzer';
import { notificationType0, requestType0 } from './convert';
import { CODE_ACTION_KINDS, codeActions } from './code-actions';
import { liveIssuerHover } from '../live/hover';
import { LiveChecks } from './live';
import { DiagnosticsPublisher } from './diagnostics';
import { OpenDocuments, removeFolderKeepingOpenDocuments } from './documents';
import { initialWorkspaceFolders, WorkspaceFolders, type Folder } from './folders';
import { createRoleAssists } from '../fixes/create-role';
import { fixContextOf } from '../fixes/registry';
import { registerHover } from './hover';
import { connectionLogger, describeError, guard, Lifecycle, requestGuard, type Logger, type RequestGuard } from './log';
import { NAVIGATION_CAPABILITIES, registerNavigation } from './requests';
import { WorkspaceScanner } from './scan';
import { SettingsStore, type EditorSettingsChange } from './settings';
import { applyWatchedFileChanges, registerFileWatchers } from './watched-files';

export const SERVER_NAME = 'irsa-language-server';

export function startServer(connection: Connection): void {
  new IrsaLanguageServer(connection).listen();
}

class IrsaLanguageServer {
  private readonly log: Logger;
  private readonly lifecycle = new Lifecycle();
  private readonly guardRequest: RequestGuard;
  private readonly workspace = new Workspace();
  private readonly folders = new WorkspaceFolders();
  private capabilities: ClientCapabilities = {};
  private readonly settings: SettingsStore;
  private readonly documents: OpenDocuments;
  private readonly analyzer: Analyzer;
  private readonly scanner: WorkspaceScanner;
  private readonly live: LiveChecks;

  constructor(private readonly connection: Connection) {
    this.log = connectionLogger(connection);
    this.guardRequest = requestGuard(this.log, this.lifecycle);
    this.settings = new SettingsStore(connection, this.log);
    const isOpen = (uri: string): boolean => this.documents.isOpen(uri);
    const maxFileSizeKB = (): number => this.settings.maxFileSizeKB;
    this.documents = new OpenDocuments({ workspace: this.workspace, folders: this.folders, log: this.log, maxFileSizeKB, onChange: () => this.analyzer.schedule() });
    this.scanner = new WorkspaceScanner({
      connection,
      log: this.log,
      workspace: this.workspace,
      capabilities: () => this.capabilities,
      maxFileSizeKB,
      openDocuments: this.documents,
      isCurrentFolder: (folder) => this.folders.list().includes(folder),
      onScanEnded: () => {
        this.analyzer.schedule();
        // Static diagnostics first; live facts refresh them when they arrive.
        void this.live.start();
      },
    });
    this.live = new LiveChecks({ connection, log: this.log, workspace: this.workspace, settings: this.settings, onFactsChanged: () => this.analyzer.schedule() });
    this.analyzer = new Analyzer({
      workspace: this.workspace,
      folders: this.folders,
      settings: this.settings,
      publisher: new DiagnosticsPublisher(connection),
      log: this.log,
      isOpen,
      isScanning: () => this.scanner.scanning,
      liveFacts: () => this.live.facts,
      onAnalyzed: () => this.live.modelChanged(),
    });
  }

  listen(): void {
    const { connection, log } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(guard(log, 'initialized', () => this.initialized()));
    connection.onDidChangeConfiguration(guard(log, 'didChangeConfiguration', (params) => this.configurationChanged(params)));
    connection.onDidChangeWatchedFiles(
      guard(log, 'didChangeWatchedFiles', (params) => {
        const changed = applyWatchedFileChanges(params, {
          workspace: this.workspace,
          folders: this.folders,
          settings: this.settings,
          log,
          maxFileSizeKB: this.settings.maxFileSizeKB,
          openDocuments: this.documents,
        });
        if (changed) this.analyzer.schedule();
      }),
    );
    connection.onCodeAction(
      this.guardRequest('codeAction', [], (params) =>
        codeActions(params, {
          findings: () => this.analyzer.current(),
          context: () => fixContextOf(this.workspace),
          capabilities: () => this.capabilities,
          clientUri: (uri) => this.documents.clientUri(uri),
          version: (uri) => this.documents.version(uri),
          onError: (message) => log.error(message),
          assists: (uri, position) => createRoleAssists(fixContextOf(this.workspace), uri, position),
        }),
      ),
    );
    connection.onNotification(notificationType0(WORKSPACE_TRUSTED_NOTIFICATION), guard(log, WORKSPACE_TRUSTED_NOTIFICATION.method, () => this.live.grantTrust()));
    connection.onRequest(requestType0(REFRESH_LIVE_CLUSTERS_REQUEST), this.guardRequest(REFRESH_LIVE_CLUSTERS_REQUEST.method, null, () => this.live.refresh({ force: true })));
    connection.onShutdown(() => {
      log.info('Shutting down.');
      this.lifecycle.shutDown();
      this.live.stop();
      this.scanner.stop();
      this.analyzer.stop();
    });
    registerNavigation(connection, { workspace: this.workspace, folders: this.folders, log, guard: this.guardRequest });
    registerHover(connection, { workspace: this.workspace, folders: this.folders, log, guard: this.guardRequest }, [
      (uri, position) => {
        const markdown = liveIssuerHover(this.workspace.model(), this.live.facts, uri, position, Date.now());
        return markdown === undefined ? undefined : { markdown };
      },
    ]);
    this.documents.listen(connection);
    connection.listen();
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.capabilities = params.capabilities;
    this.live.initialize(params.initializationOptions);
    for (const folder of initialWorkspaceFolders(params)) this.folders.add(folder);
    try {
      // Must precede the first Terraform file; documents only arrive after this answer.
      await initParsers();
    } catch (e) {
      this.log.error(`The Terraform parser could not be loaded; .tf files will show parse errors: ${describeError(e)}`);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        codeActionProvider: { codeActionKinds: [...CODE_ACTION_KINDS], resolveProvider: false },
        hoverProvider: true,
        ...NAVIGATION_CAPABILITIES,
      },
      serverInfo: { name: SERVER_NAME },
    };
  }

  private async initialized(): Promise<void> {
    const { connection, log, capabilities } = this;
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      registerFileWatchers(connection).catch((e: unknown) => log.warn(`Could not register file watchers; changes made outside the editor will not be seen: ${describeError(e)}`));
    } else {
      log.info('The client cannot watch files for the server: changes made outside the editor are seen only after a restart.');
    }
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch((e: unknown) => log.warn(`Could not register for settings changes: ${describeError(e)}`));
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(guard(log, 'didChangeWorkspaceFolders', (event) => this.foldersChanged(event)));
    }
    await this.refreshSettings();
    for (const folder of this.folders.list()) this.settings.loadFolderConfig(folder);
    if (this.folders.list().length === 0) log.info('No workspace folder: analysing open documents only.');
    this.startScan(this.folders.list(), 'startup');
  }

  /** Not awaited: requests and edits are served while the scan runs. */
  private startScan(folders: readonly Folder[], reason: string): void {
    this.scanner.scan(folders, reason).catch((e: unknown) => this.log.error(`Scan failed: ${describeError(e)}`));
  }

  private async configurationChanged(params: DidChangeConfigurationParams): Promise<void> {
    const change = await this.refreshSettings(params.settings);
    // Files now under the limit are read, files now over it dropped.
    if (change.maxFileSizeChanged) this.startScan(this.folders.list(), 'irsa.maxFileSizeKB changed');
    if (change.rulesChanged) this.analyzer.schedule();
    if (change.liveChanged && !this.scanner.scanning) void this.live.refresh();
  }

  private async refreshSettings(pushed?: unknown): Promise<EditorSettingsChange> {
    try {
      return await this.settings.refreshEditorSettings(this.capabilities, pushed);
    } catch (e) {
      this.log.warn(`Could not read the irsa settings; keeping the previous ones: ${describeError(e)}`);
      return { rulesChanged: false, maxFileSizeChanged: false };
    }
  }

  private foldersChanged(event: WorkspaceFoldersChangeEvent): void {
    let changed = false;
    for (const removed of event.removed) {
      const folder = this.folders.remove(removed);
      if (!folder) continue;
      this.settings.forgetFolder(folder);
      if (removeFolderKeepingOpenDocuments(this.workspace, folder.uri, this.documents)) changed = true;
    }
    const added: Folder[] = [];
    for (const folder of event.added) {
      const folderAdded = this.folders.add(folder);
      if (!folderAdded) continue;
      this.settings.loadFolderConfig(folderAdded);
      added.push(folderAdded);
    }
    if (changed) this.analyzer.schedule();
    this.startScan(added, 'folder added');
  }
}
