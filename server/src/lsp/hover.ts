/**
 * `textDocument/hover`, registered in one place. Today it answers for
 * issuers with the live cluster (`live/hover.ts` builds the markdown); other
 * hover builders join here, first answer wins.
 */
import type { Connection, Hover } from 'vscode-languageserver/node';
import type { Workspace } from '../index/workspace';
import { liveIssuerHover } from '../live/hover';
import type { LiveFacts } from '../live/types';
import { describeError, type Logger } from './log';
import { canonicalUri } from './uris';

export function registerLiveHover(connection: Connection, workspace: Workspace, liveFacts: () => LiveFacts | undefined, log: Logger): void {
  connection.onHover((params): Hover | null => {
    try {
      const markdown = liveIssuerHover(workspace.model(), liveFacts(), canonicalUri(params.textDocument.uri), params.position, Date.now());
      return markdown === undefined ? null : { contents: { kind: 'markdown', value: markdown } };
    } catch (e) {
      log.error(`hover failed: ${describeError(e)}`);
      return null;
    }
  });
}
