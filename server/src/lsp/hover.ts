/**
 * `textDocument/hover`, the one handler (the connection keeps only the last
 * one registered). Several features contribute to a hover: the IRSA links
 * (`ide/hover.ts`), live AWS data on issuers and live roles and ServiceAccounts
 * on ServiceAccounts (`live/hover.ts`). Each is a
 * provider returning markdown and perhaps a range; the handler joins what
 * they return, separated by a rule. Add a provider to `providers`.
 */
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import type { Range } from '../common/text';
import { hover as linkHover } from '../ide/hover';
import { liveIssuerHover, liveServiceAccountHover } from '../live/hover';
import { toMarkupContent } from './convert';
import type { Feature, ServerContext } from './feature';
import { describeError } from './log';
import { canonicalUri } from './uris';

export interface HoverContribution {
  readonly markdown: string;
  readonly range?: Range;
}

export type HoverProvider = (uri: string, position: HoverParams['position']) => HoverContribution | undefined;

export const HOVER: Feature = {
  methods: ['textDocument/hover'],
  capabilities: { hoverProvider: true },
  register: (connection, context) => {
    const { guard, log } = context;
    const contributors = providers(context);
    connection.onHover(
      guard('hover', null as Hover | null, (params) => {
        const uri = canonicalUri(params.textDocument.uri);
        const parts: HoverContribution[] = [];
        for (const provider of contributors) {
          try {
            const part = provider(uri, params.position);
            if (part) parts.push(part);
          } catch (e) {
            log.error(`hover provider failed: ${describeError(e)}`);
          }
        }
        if (parts.length === 0) return null;
        const range = parts.find((p) => p.range)?.range;
        return { contents: toMarkupContent(parts.map((p) => p.markdown).join('\n\n---\n\n')), ...(range ? { range } : {}) };
      }),
    );
  },
};

function providers({ workspace, folders, live }: ServerContext): readonly HoverProvider[] {
  return [
    (uri, position) => {
      const root = folders.folderOf(uri)?.uri;
      // A runbook's facts are in its own model (`Workspace.modelFor`).
      return linkHover(workspace.modelFor(uri), uri, position, root ? { rootUri: root } : {});
    },
    (uri, position) => {
      const markdown = liveIssuerHover(workspace.model(), live.facts, uri, position, Date.now());
      return markdown === undefined ? undefined : { markdown };
    },
    (uri, position) => {
      const markdown = liveServiceAccountHover(workspace.model(), live.facts, uri, position, Date.now());
      return markdown === undefined ? undefined : { markdown };
    },
  ];
}
