/**
 * The VS Code side: starts the bundled language server and contributes the
 * commands. No analysis happens here; diagnostics come from the server.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  NotificationType,
  NotificationType0,
  RequestType0,
  TransportKind,
  type LanguageClientOptions,
  type Location as LspLocation,
  type Position as LspPosition,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  COMMANDS,
  DIAGNOSTIC_SOURCE,
  LIVE_STATUS_NOTIFICATION,
  REFRESH_LIVE_CLUSTERS_REQUEST,
  WORKSPACE_TRUSTED_NOTIFICATION,
  type InitializationOptions,
  type LiveStatus,
  type NotificationDeclaration,
  type RequestDeclaration,
} from '../../shared/protocol';
import { DOCUMENT_SELECTOR } from '../../shared/formats';
import { SETTINGS_SECTION } from '../../shared/settings';

/** The client id: vscode-languageclient reads `<id>.trace.server` for protocol tracing. */
const CLIENT_ID = SETTINGS_SECTION;
const CLIENT_NAME = 'IRSA';

// The shared messages as this client's vscode-jsonrpc types them (shared/protocol.ts says why it cannot).
const requestType0 = <R>(request: RequestDeclaration<void, R>): RequestType0<R, void> => new RequestType0<R, void>(request.method);
const notificationType0 = (notification: NotificationDeclaration<void>): NotificationType0 => new NotificationType0(notification.method);
const notificationType = <P>(notification: NotificationDeclaration<P>): NotificationType<P> => new NotificationType<P>(notification.method);

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(outputChannel);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // From the format registry: by language, and Terraform files by name too (without a Terraform extension they have no language id).
    documentSelector: [...DOCUMENT_SELECTOR],
    // The server pulls `irsa` with workspace/configuration; this makes VS Code tell it when to.
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel,
    // The server makes no AWS call unless the workspace is trusted (and irsa.live.enabled).
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted } satisfies InitializationOptions,
  };
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      if (!client) return;
      outputChannel.info('Restarting the IRSA language server.');
      await client.restart();
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => outputChannel.show(true)),
    vscode.commands.registerCommand(COMMANDS.showReferences, async (uri: string, position: LspPosition, locations: readonly LspLocation[]) => {
      // `editor.action.showReferences` wants VS Code types, which the server cannot send.
      const converter = client?.protocol2CodeConverter;
      if (!converter) return;
      await vscode.commands.executeCommand(
        'editor.action.showReferences',
        converter.asUri(uri),
        converter.asPosition(position),
        locations.map((l) => converter.asLocation(l)),
      );
    }),
    vscode.commands.registerCommand(COMMANDS.refreshLiveClusters, async () => {
      if (!client) return;
      const status = await client.sendRequest(requestType0(REFRESH_LIVE_CLUSTERS_REQUEST));
      if (status) showLiveStatus(statusItem, status);
    }),
    vscode.commands.registerCommand(COMMANDS.openExample, () => openExample(context)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(notificationType0(WORKSPACE_TRUSTED_NOTIFICATION))),
  );

  // One line for live cluster checks; a click opens the output, where each fault is logged.
  const statusItem = vscode.window.createStatusBarItem('irsa.live', vscode.StatusBarAlignment.Left);
  statusItem.name = 'IRSA live clusters';
  statusItem.command = COMMANDS.showOutput;
  context.subscriptions.push(statusItem);
  client.onNotification(notificationType(LIVE_STATUS_NOTIFICATION), (status) => {
    showLiveStatus(statusItem, status);
    languageStatus.live = status;
    showLanguageStatus(languageStatus);
  });

  // The language status item (the {} beside the language mode in the status bar): findings and live clusters at a glance.
  const languageStatus: LanguageStatusState = {
    item: vscode.languages.createLanguageStatusItem('irsa.status', [...DOCUMENT_SELECTOR]),
    live: undefined,
  };
  languageStatus.item.name = 'IRSA';
  languageStatus.item.command = { title: 'Show problems', command: 'workbench.actions.view.problems' };
  context.subscriptions.push(
    languageStatus.item,
    vscode.languages.onDidChangeDiagnostics(() => showLanguageStatus(languageStatus)),
  );
  showLanguageStatus(languageStatus);

  await client.start();
}

/**
 * Copies the bundled example (a role whose trust pins namespace `prod`, its
 * ServiceAccount moved to `demo`) to the extension's storage, fresh each
 * time so that its finding is there to see, and opens it as a folder: in
 * this window when none is open, else in a new one.
 */
async function openExample(context: vscode.ExtensionContext): Promise<void> {
  const source = vscode.Uri.joinPath(context.extensionUri, 'walkthrough', 'example');
  const target = vscode.Uri.joinPath(context.globalStorageUri, 'irsa-example');
  await Promise.resolve(vscode.workspace.fs.delete(target, { recursive: true, useTrash: false })).catch(() => undefined);
  await vscode.workspace.fs.copy(source, target, { overwrite: true });
  await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: (vscode.workspace.workspaceFolders?.length ?? 0) > 0 });
}

interface LanguageStatusState {
  readonly item: vscode.LanguageStatusItem;
  live: LiveStatus | undefined;
}

/** "IRSA: 3 findings · live 1 cluster": counted from the diagnostics the server published (source `irsa`). */
function showLanguageStatus(state: LanguageStatusState): void {
  let errors = 0;
  let others = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
      else others++;
    }
  }
  const total = errors + others;
  const findings = total === 0 ? 'no findings' : `${total} finding${total === 1 ? '' : 's'}${errors > 0 ? ` (${errors} error${errors === 1 ? '' : 's'})` : ''}`;
  const live = state.live ? ` · ${state.live.text.replace(/^IRSA: /, '')}` : '';
  state.item.text = `IRSA: ${findings}${live}`;
  state.item.detail = state.live?.tooltip.split('\n')[0];
  state.item.severity = state.live?.state === 'failed' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  state.item.busy = state.live?.state === 'checking';
}

function showLiveStatus(item: vscode.StatusBarItem, status: LiveStatus): void {
  item.text = status.state === 'failed' ? `$(warning) ${status.text}` : status.state === 'checking' ? `$(sync~spin) ${status.text}` : status.text;
  item.tooltip = `${status.tooltip}\n\nClick for the IRSA output; "IRSA: Refresh live clusters" fetches again.`;
  item.backgroundColor = status.state === 'failed' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  item.show();
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
