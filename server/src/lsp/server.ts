/**
 * The language server's wiring: its state, the table of its features (one
 * file per LSP method or family, each with its capabilities and handlers),
 * and the lifecycle. Every handler runs behind a guard: an exception is
 * logged and the server goes on.
 *
 * Lifecycle: `initialize` records the client's capabilities and folders,
 * loads the parsers and answers with the features' capabilities;
 * `initialized` lets each feature register what depends on the client, pulls
 * settings and starts the background scan, which analyses when it ends.
 * From then on each change (edit, file event, setting) schedules an analysis.
 */
import type { ClientCapabilities, Connection, InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import { createRoleAssists } from '../ide/create-role';
import { fixContextOf } from '../rules/fixes';
import { Workspace } from '../index/workspace';
import { initParsers } from '../node/host';
import { Analyzer } from './analyzer';
import { CODE_ACTIONS } from './code-actions';
import { CODE_LENS } from './code-lens';
import { COMPLETION } from './completion';
import { CONFIGURATION, refreshSettings } from './configuration';
import { DEFINITION } from './definition';
import { DIAGNOSTICS, DiagnosticsPublisher } from './diagnostics';
import { textRenderingOf } from './convert';
import { DOCUMENT_SYMBOLS } from './document-symbols';
import { EXECUTE_COMMAND } from './execute-command';
import { OpenDocuments, TEXT_DOCUMENT_SYNC } from './documents';
import { serverCapabilities, type Feature, type ServerContext } from './feature';
import { initialWorkspaceFolders, WorkspaceFolders, type Folder } from './folders';
import { HOVER } from './hover';
import { INVENTORY } from './inventory';
import { LiveChecks } from './live';
import { LIVE_MESSAGES } from './live-messages';
import { connectionLogger, describeError, guard, Lifecycle, requestGuard } from './log';
import { REFERENCES } from './references';
import { WorkspaceScanner } from './scan';
import { SettingsStore } from './settings';
import { WATCHED_FILES } from './watched-files';
import { WORKSPACE_FOLDERS } from './workspace-folders';

const SERVER_NAME = 'irsa-language-server';

/**
 * Everything the server does over the protocol besides its lifecycle:
 * `initialize` answers with their capabilities, and `initialized` runs
 * their dynamic registrations in this order.
 */
const FEATURES: readonly Feature[] = [
  TEXT_DOCUMENT_SYNC,
  DIAGNOSTICS,
  CODE_ACTIONS,
  EXECUTE_COMMAND,
  HOVER,
  DEFINITION,
  REFERENCES,
  COMPLETION,
  CODE_LENS,
  DOCUMENT_SYMBOLS,
  WATCHED_FILES,
  CONFIGURATION,
  WORKSPACE_FOLDERS,
  LIVE_MESSAGES,
  INVENTORY,
];

export function startServer(connection: Connection): void {
  new IrsaLanguageServer(connection).listen();
}

class IrsaLanguageServer {
  private readonly lifecycle = new Lifecycle();
  private capabilities: ClientCapabilities = {};
  private readonly context: ServerContext;
  private readonly scanner: WorkspaceScanner;

  constructor(private readonly connection: Connection) {
    const log = connectionLogger(connection);
    const workspace = new Workspace();
    const folders = new WorkspaceFolders();
    const settings = new SettingsStore(connection, log);
    const maxFileSizeKB = (): number => settings.maxFileSizeKB;
    // The parts call each other back through these late-bound names: the analyzer schedules after an edit, the live checks after a scan.
    const documents: OpenDocuments = new OpenDocuments({ workspace, folders, log, maxFileSizeKB, onChange: () => analyzer.schedule(), onSave: () => analyzer.schedule() });
    const scanner: WorkspaceScanner = new WorkspaceScanner({
      connection,
      log,
      workspace,
      capabilities: () => this.capabilities,
      maxFileSizeKB,
      openDocuments: documents,
      isCurrentFolder: (folder) => folders.list().includes(folder),
      onScanEnded: () => {
        analyzer.schedule();
        // Static diagnostics first; live facts refresh them when they arrive.
        void live.start();
      },
    });
    const live: LiveChecks = new LiveChecks({ connection, log, workspace, settings, onFactsChanged: () => analyzer.schedule() });
    const analyzer: Analyzer = new Analyzer({
      workspace,
      folders,
      settings,
      publisher: new DiagnosticsPublisher(connection),
      log,
      isOpen: (uri) => documents.isOpen(uri),
      isScanning: () => scanner.scanning,
      parseErrorsHeldUntil: (uri) => documents.parseErrorsHeldUntil(uri),
      rendering: () => textRenderingOf(this.capabilities),
      liveFacts: () => live.facts,
      onAnalyzed: () => live.modelChanged(),
    });
    this.context = {
      workspace,
      folders,
      documents,
      settings,
      analyzer,
      live,
      log,
      guard: requestGuard(log, this.lifecycle),
      clientCapabilities: () => this.capabilities,
      // Not awaited: requests and edits are served while the scan runs.
      scan: (toScan: readonly Folder[], reason: string) => scanner.scan(toScan, reason).catch((e: unknown) => log.error(`Scan failed: ${describeError(e)}`)),
      isScanning: () => scanner.scanning,
      fixContext: () => fixContextOf(workspace),
      assists: (uri, position) => createRoleAssists(fixContextOf(workspace), uri, position),
    };
    this.scanner = scanner;
  }

  listen(): void {
    const { connection, context } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(guard(context.log, 'initialized', () => this.initialized()));
    connection.onShutdown(() => {
      context.log.info('Shutting down.');
      this.lifecycle.shutDown();
      context.live.stop();
      this.scanner.stop();
      context.analyzer.stop();
    });
    for (const feature of FEATURES) feature.register?.(connection, context);
    connection.listen();
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    const { live, folders, log } = this.context;
    this.capabilities = params.capabilities;
    live.initialize(params.initializationOptions);
    for (const folder of initialWorkspaceFolders(params)) folders.add(folder);
    try {
      // Must precede the first Terraform file; documents only arrive after this answer.
      await initParsers();
    } catch (e) {
      log.error(`The Terraform parser could not be loaded; .tf files will show parse errors: ${describeError(e)}`);
    }
    return { capabilities: serverCapabilities(FEATURES), serverInfo: { name: SERVER_NAME } };
  }

  private async initialized(): Promise<void> {
    const { connection, context } = this;
    for (const feature of FEATURES) feature.initialized?.(connection, context);
    await refreshSettings(context);
    for (const folder of context.folders.list()) context.settings.loadFolderConfig(folder);
    if (context.folders.list().length === 0) context.log.info('No workspace folder: analysing open documents only.');
    context.scan(context.folders.list(), 'startup');
  }
}
