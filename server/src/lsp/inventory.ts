/**
 * The IRSA inventory over the protocol (`shared/protocol.ts`):
 * `irsa/inventory` answers with the inventory of the index as it is now
 * (`server/src/inventory/`), with the live columns when live facts have
 * arrived; `irsa/exportInventory` renders it as Markdown or CSV with paths
 * relative to their workspace folder; and after each analysis the server
 * sends `irsa/inventoryChanged`, so a client's view asks again.
 */
import { relativeUri } from '../common/uri';
import { buildInventory } from '../inventory/model';
import { renderInventory } from '../inventory/render';
import { EXPORT_INVENTORY_REQUEST, INVENTORY_CHANGED_NOTIFICATION, INVENTORY_REQUEST, type ExportInventoryParams } from '../../../shared/protocol';
import type { Inventory } from '../../../shared/inventory';
import { notificationType0, requestType, requestType0 } from './convert';
import type { Feature, ServerContext } from './feature';

export const INVENTORY: Feature = {
  methods: [INVENTORY_REQUEST.method, EXPORT_INVENTORY_REQUEST.method, INVENTORY_CHANGED_NOTIFICATION.method],
  register: (connection, context) => {
    const { guard, analyzer } = context;
    connection.onRequest(requestType0(INVENTORY_REQUEST), guard(INVENTORY_REQUEST.method, null as Inventory | null, () => inventoryOf(context)));
    connection.onRequest(
      requestType(EXPORT_INVENTORY_REQUEST),
      guard(EXPORT_INVENTORY_REQUEST.method, null as { readonly text: string } | null, (params: ExportInventoryParams | undefined) => {
        const format = params?.format === 'csv' ? 'csv' : params?.format === 'markdown' ? 'markdown' : undefined;
        if (!format) return null;
        const pathOf = (uri: string): string => {
          const folder = context.folders.folderOf(uri);
          const relative = folder ? relativeUri(folder.uri, uri) : relativeUri('', uri);
          return context.folders.list().length > 1 && folder ? `${folder.name}/${relative}` : relative;
        };
        return { text: renderInventory(inventoryOf(context), format, pathOf) };
      }),
    );
    analyzer.onDidAnalyze(() => {
      connection.sendNotification(notificationType0(INVENTORY_CHANGED_NOTIFICATION)).catch(() => undefined);
    });
  },
};

function inventoryOf({ workspace, live }: ServerContext): Inventory {
  return buildInventory(workspace.model(), live.facts);
}
