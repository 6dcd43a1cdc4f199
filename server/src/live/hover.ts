/**
 * Hover on an issuer a trust statement spells out: which live cluster it
 * belongs to, its status and when it was fetched. Pure: position in,
 * markdown out (or undefined when the position is on no such issuer).
 */
import type { Position } from '../common/text';
import type { WorkspaceModel } from '../index/model';
import { issuerMentions, liveClusterOfStatement, liveIssuerId } from './match';
import type { LiveFacts } from './types';

export function liveIssuerHover(model: WorkspaceModel, live: LiveFacts | undefined, uri: string, position: Position, now: number): string | undefined {
  if (!live) return undefined;
  for (const { policy, statement } of model.allEksWebIdentityStatements()) {
    if (statement.span.uri !== uri) continue;
    const mention = issuerMentions(statement).find((m) => contains(m.span.range, position));
    if (!mention) continue;
    const match = liveClusterOfStatement(model, live, policy, statement);
    if (!match) return `**IRSA live:** no checked cluster has issuer ID \`${mention.issuerId}\` (${mention.region}).`;
    const c = match.cluster;
    const liveId = liveIssuerId(c);
    const lines = [
      `**IRSA live cluster \`${c.name}\`** (${c.region}, account ${c.account || 'unknown'})`,
      '',
      `- status: ${c.status}`,
      `- issuer: \`${c.issuerUrl ?? 'none yet'}\`${liveId !== undefined && liveId !== mention.issuerId ? ` (this one, \`${mention.issuerId}\`, is stale)` : ''}`,
      `- IAM OIDC provider: ${c.provider.kind === 'found' ? `registered, client ids ${c.provider.clientIds.map((x) => `\`${x}\``).join(', ') || 'none'}` : c.provider.kind === 'missing' ? '**missing**' : 'not known'}`,
      `- last fetched: ${new Date(c.fetchedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC (${ago(now - c.fetchedAt)})`,
    ];
    return lines.join('\n');
  }
  return undefined;
}

function contains(range: { start: Position; end: Position }, p: Position): boolean {
  const after = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const before = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return after && before;
}

function ago(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`;
}
