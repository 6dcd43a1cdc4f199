/**
 * Hover on an issuer a trust statement spells out: which live cluster it
 * belongs to, its status and when it was fetched. Pure: position in,
 * markdown out (or undefined when the position is on no such issuer).
 */
import type { Position } from '../common/text';
import type { WorkspaceModel } from '../index/model';
import { knownNamespaceAndName } from '../index/irsa';
import { issuerMentions, liveClusterOfStatement, liveIssuerId } from './match';
import { fetchedAtText, liveRoleOf, quotedTrust } from './roles';
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

/**
 * Hover on a ServiceAccount's name or role ARN: what IAM says about its
 * role (trust policy, policies) and what each Kubernetes context read has
 * for the same namespace and name, each with its fetch time.
 */
export function liveServiceAccountHover(model: WorkspaceModel, live: LiveFacts | undefined, uri: string, position: Position, now: number): string | undefined {
  if (!live || (!live.roles && !live.kubernetes)) return undefined;
  const sa = model.serviceAccounts.find((s) => s.span.uri === uri && (contains(s.span.range, position) || (s.roleArn !== undefined && s.roleArn.span.uri === uri && contains(s.roleArn.span.range, position))));
  if (!sa) return undefined;
  const lines: string[] = [];
  const role = liveRoleOf(live, sa);
  if (role?.kind === 'found') {
    lines.push(`**IRSA live role \`${role.arn}\`** (iam:GetRole, ${fetchedAtText(role.fetchedAt)}, ${ago(now - role.fetchedAt)})`, '');
    lines.push(`- trust policy: \`${quotedTrust(role, 600)}\``);
    lines.push(`- managed policies: ${role.attachedPolicies.map((p) => `\`${p}\``).join(', ') || 'none'}`);
    lines.push(`- inline policies: ${role.inlinePolicies.map((p) => `\`${p}\``).join(', ') || 'none'}`);
  } else if (role?.kind === 'missing') {
    lines.push(`**IRSA live role \`${role.arn}\`**: IAM has no such role (${fetchedAtText(role.fetchedAt)}).`);
  }
  const id = knownNamespaceAndName(sa);
  if (id) {
    for (const context of live.kubernetes ?? []) {
      if (context.kind !== 'read') continue;
      const running = context.serviceAccounts.find((s) => s.namespace === id.namespace && s.name === id.name);
      const where = `context \`${context.context}\`${context.cluster !== undefined ? ` (cluster \`${context.cluster}\`)` : ''}, ${fetchedAtText(context.fetchedAt)}`;
      if (lines.length > 0) lines.push('');
      lines.push(
        running
          ? `**IRSA live ServiceAccount \`${id.namespace}/${id.name}\`** in ${where}: role-arn ${running.roleArn !== undefined ? `\`${running.roleArn}\`` : 'not set'}${running.audience !== undefined ? `, audience \`${running.audience}\`` : ''}${running.tokenExpiration !== undefined ? `, token-expiration \`${running.tokenExpiration}\`` : ''}`
          : `**IRSA live:** no ServiceAccount \`${id.namespace}/${id.name}\` in ${where}.`,
      );
    }
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
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
