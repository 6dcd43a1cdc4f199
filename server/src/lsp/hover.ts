/**
 * The one `textDocument/hover` handler. Several features contribute to a
 * hover (the IRSA links here; live AWS data on issuers elsewhere): each is a
 * provider returning markdown and a range, and the handler joins what they
 * return, separated by a rule. Add a provider to the list; do not register a
 * second handler (the connection keeps only the last).
 */
import { MarkupKind, type Connection, type Hover, type HoverParams } from 'vscode-languageserver/node';
import type { Range } from '../common/text';
import { hover as linkHover } from '../ide/hover';
import type { Workspace } from '../index/workspace';
import type { WorkspaceFolders } from './folders';
import { describeError, type Logger, type RequestGuard } from './log';
import { canonicalUri } from './uris';

export interface HoverContribution {
  readonly markdown: string;
  readonly range?: Range;
}

export type HoverProvider = (uri: string, position: HoverParams['position']) => HoverContribution | undefined;

export interface HoverDependencies {
  readonly workspace: Workspace;
  readonly folders: WorkspaceFolders;
  readonly log: Logger;
  readonly guard: RequestGuard;
}

export function registerHover(connection: Connection, deps: HoverDependencies, extra: readonly HoverProvider[] = []): void {
  const { workspace, folders, log, guard } = deps;
  const providers: HoverProvider[] = [
    (uri, position) => {
      const root = folders.folderOf(uri)?.uri;
      return linkHover(workspace.model(), uri, position, root ? { rootUri: root } : {});
    },
    ...extra,
  ];
  connection.onHover(
    guard('hover', null as Hover | null, (params) => {
      const uri = canonicalUri(params.textDocument.uri);
      const parts: HoverContribution[] = [];
      for (const provider of providers) {
        try {
          const part = provider(uri, params.position);
          if (part) parts.push(part);
        } catch (e) {
          log.error(`hover provider failed: ${describeError(e)}`);
        }
      }
      if (parts.length === 0) return null;
      const range = parts.find((p) => p.range)?.range;
      return { contents: { kind: MarkupKind.Markdown, value: parts.map((p) => p.markdown).join('\n\n---\n\n') }, ...(range ? { range } : {}) };
    }),
  );
}
