/**
 * The VS Code side: starts the bundled language server and contributes the
 * commands. No analysis happens here; diagnostics come from the server.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  NotificationType,
  NotificationType0,
  RequestType,
  RequestType0,
  TransportKind,
  type LanguageClientOptions,
  type Location as LspLocation,
  type Position as LspPosition,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { Inventory } from '../../shared/inventory';
import {
  ACTIVE_CONTEXT,
  COMMANDS,
  DIAGNOSTIC_SOURCE,
  EXPORT_INVENTORY_REQUEST,
  INVENTORY_CHANGED_NOTIFICATION,
  INVENTORY_REQUEST,
  INVENTORY_VIEW,
  LIVE_STATUS_NOTIFICATION,
  REFRESH_LIVE_CLUSTERS_REQUEST,
  WORKSPACE_TRUSTED_NOTIFICATION,
  type InitializationOptions,
  type InventoryExportFormat,
  type LiveStatus,
  type NotificationDeclaration,
  type RequestDeclaration,
} from '../../shared/protocol';
import { DOCUMENT_SELECTOR } from '../../shared/formats';
import { SETTINGS_SECTION } from '../../shared/settings';
import { InventoryTreeProvider, revealLocation, type InventoryNode } from './inventory-view';

/** The client id: vscode-languageclient reads `<id>.trace.server` for protocol tracing. */
const CLIENT_ID = SETTINGS_SECTION;
const CLIENT_NAME = 'IRSA';

// The shared messages as this client's vscode-jsonrpc types them (shared/protocol.ts says why it cannot).
const requestType0 = <R>(request: RequestDeclaration<void, R>): RequestType0<R, void> => new RequestType0<R, void>(request.method);
const requestType = <P, R>(request: RequestDeclaration<P, R>): RequestType<P, R, void> => new RequestType<P, R, void>(request.method);
const notificationType0 = (notification: NotificationDeclaration<void>): NotificationType0 => new NotificationType0(notification.method);
const notificationType = <P>(notification: NotificationDeclaration<P>): NotificationType<P> => new NotificationType<P>(notification.method);

let client: LanguageClient | undefined;

/** What the extension returns from `activate`: the IRSA view's content, for the end-to-end tests. */
export interface IrsaExtensionApi {
  /** The inventory the view shows (undefined before the first answer). */
  readonly inventory: () => Inventory | undefined;
  /** The view's tree as it is drawn now (with the "problems only" filter applied). */
  readonly inventoryTree: () => readonly InventoryNode[];
  /** Asks the server again, as the view's refresh button does. */
  readonly refreshInventory: () => Promise<void>;
}

/** After `irsa/inventoryChanged`: one request per burst of analyses. */
const INVENTORY_REFRESH_DELAY_MS = 300;

export async function activate(context: vscode.ExtensionContext): Promise<IrsaExtensionApi> {
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

  const inventory = registerInventoryView(context, outputChannel);
  void vscode.commands.executeCommand('setContext', ACTIVE_CONTEXT, true);

  await client.start();
  void inventory.refresh();
  return { inventory: () => inventory.current(), inventoryTree: () => inventory.nodes(), refreshInventory: () => inventory.refresh() };
}

/**
 * The IRSA tree view and "IRSA: Export inventory". The view asks the server
 * for the inventory when it is shown and after `irsa/inventoryChanged`
 * (while hidden, it only remembers that it is stale).
 */
function registerInventoryView(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): InventoryTreeProvider {
  const provider = new InventoryTreeProvider(async () => {
    if (!client?.isRunning()) return undefined;
    try {
      return (await client.sendRequest(requestType0(INVENTORY_REQUEST))) ?? undefined;
    } catch (e) {
      outputChannel.warn(`The IRSA inventory could not be read: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  });
  const view = vscode.window.createTreeView(INVENTORY_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  let stale = false;
  let timer: NodeJS.Timeout | undefined;
  const refreshSoon = (): void => {
    if (!view.visible) {
      stale = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => void provider.refresh(), INVENTORY_REFRESH_DELAY_MS);
  };
  client!.onNotification(notificationType0(INVENTORY_CHANGED_NOTIFICATION), refreshSoon);
  context.subscriptions.push(
    provider,
    view,
    { dispose: () => clearTimeout(timer) },
    view.onDidChangeVisibility((e) => {
      if (e.visible && stale) {
        stale = false;
        void provider.refresh();
      }
    }),
    vscode.commands.registerCommand(COMMANDS.refreshInventory, () => provider.refresh()),
    vscode.commands.registerCommand(COMMANDS.inventoryProblemsOnly, () => provider.setProblemsOnly(true)),
    vscode.commands.registerCommand(COMMANDS.inventoryShowAll, () => provider.setProblemsOnly(false)),
    vscode.commands.registerCommand(COMMANDS.revealLocation, revealLocation),
    vscode.commands.registerCommand(COMMANDS.exportInventory, () => exportInventory(outputChannel)),
  );
  provider.setProblemsOnly(false);
  return provider;
}

const EXPORT_FORMATS: readonly (vscode.QuickPickItem & { readonly format: InventoryExportFormat; readonly extension: string; readonly languageId: string })[] = [
  { label: 'Markdown', description: 'tables for a review or a wiki page', format: 'markdown', extension: 'md', languageId: 'markdown' },
  { label: 'CSV', description: 'one row per link, for a spreadsheet', format: 'csv', extension: 'csv', languageId: 'plaintext' },
];

/** "IRSA: Export inventory": pick a format, then a file or a new untitled document. */
async function exportInventory(outputChannel: vscode.LogOutputChannel): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage('IRSA: the language server is not running; the inventory comes from it.');
    return;
  }
  const picked = await vscode.window.showQuickPick(EXPORT_FORMATS, { title: 'IRSA: Export inventory', placeHolder: 'Format' });
  if (!picked) return;
  const destination = await vscode.window.showQuickPick(
    [
      { label: 'Open as a new untitled document', save: false },
      { label: 'Save to a file…', save: true },
    ],
    { title: `IRSA: Export inventory as ${picked.label}` },
  );
  if (!destination) return;
  let answer: { readonly text: string } | null;
  try {
    answer = await client.sendRequest(requestType(EXPORT_INVENTORY_REQUEST), { format: picked.format });
  } catch (e) {
    answer = null;
    outputChannel.warn(`Export inventory failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!answer) {
    void vscode.window.showErrorMessage('IRSA: the inventory could not be exported; the IRSA output says why.');
    return;
  }
  if (!destination.save) {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: picked.languageId, content: answer.text }));
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'IRSA: Export inventory',
    filters: { [picked.label]: [picked.extension] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `irsa-inventory.${picked.extension}`) } : {}),
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(answer.text));
  void vscode.window.showInformationMessage(`IRSA: inventory written to ${vscode.workspace.asRelativePath(target)}.`);
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
