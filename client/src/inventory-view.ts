/**
 * The IRSA tree view: namespace → ServiceAccount → role → trust statements,
 * from the server's `irsa/inventory` answer, with a status icon per verdict;
 * a click opens the place it names. The server says when the index changed
 * (`irsa/inventoryChanged`); the view asks again only while it is visible.
 * "Problems only" hides the sound links and the ServiceAccounts without a
 * role. No analysis here: every verdict is the server's.
 */
import * as vscode from 'vscode';
import type { Inventory, InventoryLocation } from '../../shared/inventory';
import { COMMANDS, INVENTORY_PROBLEMS_ONLY_CONTEXT } from '../../shared/protocol';
import { inventoryTree, type InventoryNode } from './inventory-tree';

export type { InventoryNode } from './inventory-tree';

export function toVsRange(location: InventoryLocation): vscode.Range {
  const { start, end } = location.range;
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

/** The data provider; `fetch` asks the server (undefined: not running, or it failed). */
export class InventoryTreeProvider implements vscode.TreeDataProvider<InventoryNode> {
  private readonly changed = new vscode.EventEmitter<InventoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private inventory: Inventory | undefined;
  private problemsOnly = false;
  private roots: InventoryNode[] = [];

  constructor(private readonly fetch: () => Promise<Inventory | undefined>) {}

  /** Asks the server again and redraws. */
  async refresh(): Promise<void> {
    this.inventory = await this.fetch();
    this.redraw();
  }

  setProblemsOnly(value: boolean): void {
    this.problemsOnly = value;
    void vscode.commands.executeCommand('setContext', INVENTORY_PROBLEMS_ONLY_CONTEXT, value);
    this.redraw();
  }

  /** The tree as shown now (the extension's API returns it, for tests). */
  nodes(): readonly InventoryNode[] {
    return this.roots;
  }

  current(): Inventory | undefined {
    return this.inventory;
  }

  private redraw(): void {
    this.roots = this.inventory ? inventoryTree(this.inventory, this.problemsOnly) : [];
    this.changed.fire(undefined);
  }

  getTreeItem(node: InventoryNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    if (node.description !== undefined) item.description = node.description;
    if (node.tooltip !== undefined) item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color !== undefined ? new vscode.ThemeColor(node.icon.color) : undefined);
    if (node.location) {
      item.command = { title: 'Open', command: COMMANDS.revealLocation, arguments: [node.location] };
    }
    return item;
  }

  getChildren(node?: InventoryNode): InventoryNode[] {
    return [...(node ? node.children : this.roots)];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Opens the document at the location and selects it. */
export async function revealLocation(location: InventoryLocation): Promise<void> {
  const range = toVsRange(location);
  await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { selection: range, preview: true });
}
