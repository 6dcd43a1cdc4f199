/**
 * What the VS Code client and the language server exchange beyond LSP: the
 * `irsa/…` requests and notifications with their parameter and result
 * types, the `initializationOptions`, and the command ids the client
 * registers (which the server may put in code lenses). Other LSP clients
 * may use the same messages; `docs/language-server.md` describes them.
 *
 * A message is declared as its method plus phantom types, not as a
 * vscode-jsonrpc `RequestType`: the client (vscode-languageclient 11) and
 * the server (vscode-languageserver 10) link two versions of vscode-jsonrpc,
 * whose message-type classes TypeScript keeps apart (private members) and
 * whose runtime compares parameter structures by identity. Each side turns
 * a declaration into its own library's type in one place
 * (`server/src/lsp/convert.ts`, `client/src/extension.ts`), keeping the
 * types declared here.
 *
 * Architecture invariant: no imports but the other `shared/` declarations
 * (the client bundles this file).
 */
import type { Inventory } from './inventory';

/** A request, typed by what it carries: `params` and `result` are never set, they only carry the types. */
export interface RequestDeclaration<P, R> {
  readonly method: string;
  readonly params?: P;
  readonly result?: R;
}

/** A notification, typed by its parameters (never set: they only carry the type). */
export interface NotificationDeclaration<P> {
  readonly method: string;
  readonly params?: P;
}

/** The live-check status line, as the VS Code status bar shows it. */
export interface LiveStatus {
  readonly state: 'off' | 'checking' | 'ok' | 'failed';
  /** One line: "IRSA: live 2 clusters", "IRSA: live check failed (prod: no credentials)". */
  readonly text: string;
  readonly tooltip: string;
}

/**
 * Client → server, behind "IRSA: Refresh live clusters": fetch again,
 * bypassing the cache; answers with the status, or null when the refresh
 * failed inside the server (the failure is in its log).
 */
export const REFRESH_LIVE_CLUSTERS_REQUEST: RequestDeclaration<void, LiveStatus | null> = { method: 'irsa/refreshLiveClusters' };

/** Client → server: the user trusted the workspace (VS Code Workspace Trust), so live checks may call AWS. */
export const WORKSPACE_TRUSTED_NOTIFICATION: NotificationDeclaration<void> = { method: 'irsa/workspaceTrusted' };

/** Server → client: the live-check status changed. */
export const LIVE_STATUS_NOTIFICATION: NotificationDeclaration<LiveStatus> = { method: 'irsa/liveStatus' };

/**
 * Client → server: the inventory of the workspace as the index has it now
 * (`shared/inventory.ts`), with the live columns when live facts have
 * arrived. The IRSA tree view asks for it.
 */
export const INVENTORY_REQUEST: RequestDeclaration<void, Inventory | null> = { method: 'irsa/inventory' };

export type InventoryExportFormat = 'markdown' | 'csv';

export interface ExportInventoryParams {
  readonly format: InventoryExportFormat;
}

/**
 * Client → server, behind "IRSA: Export inventory": the inventory as
 * Markdown or CSV, paths relative to their workspace folder; null for an
 * unknown format or a failure inside the server.
 */
export const EXPORT_INVENTORY_REQUEST: RequestDeclaration<ExportInventoryParams, { readonly text: string } | null> = { method: 'irsa/exportInventory' };

/**
 * Server → client, after each analysis (an edit, a file event, a setting,
 * live facts arriving): the index changed, ask `irsa/inventory` again.
 */
export const INVENTORY_CHANGED_NOTIFICATION: NotificationDeclaration<void> = { method: 'irsa/inventoryChanged' };

/** `initializationOptions` the VS Code client sends. */
export interface InitializationOptions {
  readonly workspaceTrusted?: boolean;
}

/** `Diagnostic.source` of the server's diagnostics: code actions recognise their own by it, and the client counts them. */
export const DIAGNOSTIC_SOURCE = 'irsa';

/** The commands the VS Code client registers. */
export const COMMANDS = {
  restartServer: 'irsa.restartServer',
  showOutput: 'irsa.showOutput',
  refreshLiveClusters: 'irsa.refreshLiveClusters',
  /**
   * Run by the role code lenses the server sends, with `(uri, position,
   * locations)` as `editor.action.showReferences` takes them (but in
   * protocol types, which the client converts).
   */
  showReferences: 'irsa.showReferences',
  /** The walkthrough's first step: a fresh copy of the bundled example (walkthrough/example/), opened as a folder. */
  openExample: 'irsa.openExample',
  /** "IRSA: Export inventory": Markdown or CSV, to a file or a new untitled document. */
  exportInventory: 'irsa.exportInventory',
  /** The IRSA view's title button: show only the links that are not sound (and back). */
  inventoryProblemsOnly: 'irsa.inventory.problemsOnly',
  inventoryShowAll: 'irsa.inventory.showAll',
  /** The IRSA view's refresh button. */
  refreshInventory: 'irsa.inventory.refresh',
  /** Run by a tree item: reveal a location (protocol types) in an editor. */
  revealLocation: 'irsa.inventory.reveal',
} as const;

/** The IRSA tree view's id (package.json `contributes.views`). */
export const INVENTORY_VIEW = 'irsa.inventory';

/**
 * The context key the client sets when it activates: the IRSA view shows
 * only in workspaces where the extension runs (package.json `when`).
 */
export const ACTIVE_CONTEXT = 'irsa.active';

/** The context key the view's filter toggles set (package.json `when` clauses read it). */
export const INVENTORY_PROBLEMS_ONLY_CONTEXT = 'irsa.inventory.problemsOnly';

/**
 * The commands the server executes (`workspace/executeCommand`): the
 * client runs them through the server, so any LSP client can offer them.
 */
export const SERVER_COMMANDS = {
  /** Arguments: the rule id. Opens its documentation with `window/showDocument`. */
  showDocumentation: 'irsa.showDocumentation',
} as const;

/** The commands the command palette offers (package.json `contributes.commands`); the others are run by the server's code lenses. */
export const PALETTE_COMMANDS: readonly string[] = [COMMANDS.restartServer, COMMANDS.showOutput, COMMANDS.refreshLiveClusters, COMMANDS.openExample, COMMANDS.exportInventory];

/** The IRSA view's title buttons: contributed (for their titles and icons), hidden from the palette. */
export const VIEW_COMMANDS: readonly string[] = [COMMANDS.refreshInventory, COMMANDS.inventoryProblemsOnly, COMMANDS.inventoryShowAll];
