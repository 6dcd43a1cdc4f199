/**
 * Fixes for `oidc-provider-client-id`: appends the missing audience to the
 * provider's client id list as Terraform writes it (`client_id_list` of
 * `aws_iam_openid_connect_provider`, the eks module's
 * `openid_connect_audiences`), in the list's own layout. Never preferred:
 * the provider then accepts tokens for one more audience, and the audience
 * in use may be the mistake. Not offered for eksctl (its provider is not in
 * the file), a live provider, or a list that is not a literal `[…]`.
 */
import { editFile, indentationOf, insertAt, lineBreak, replace, spanText } from './edits';
import { sameSpan } from './locate';
import type { FixProvider } from './types';

export const fix: FixProvider = {
  ruleId: 'oidc-provider-client-id',
  fixes(finding, context) {
    const audience = finding.data?.['audience'];
    const provider = context.model.oidcProviders.find((p) => p.clientIdsSpan && sameSpan(p.clientIdsSpan, finding.span));
    const lines = context.lines(finding.span.uri);
    if (typeof audience !== 'string' || !provider || !lines || !/\.tf$/i.test(finding.span.uri)) return [];
    const list = spanText(lines, finding.span);
    if (!list.startsWith('[') || !list.endsWith(']') || /#|\/\/|\/\*/.test(list)) return [];
    const item = JSON.stringify(audience);
    const start = lines.offsetAt(finding.span.range.start);
    const inner = list.slice(1, -1);
    const lastAt = inner.search(/\S\s*$/);
    const name = /([A-Za-z_]\w*)\s*=\s*$/.exec(lines.lineText(finding.span.range.start.line).slice(0, finding.span.range.start.character))?.[1] ?? 'the client id list';
    const title = `Add \`${audience}\` to \`${name}\``;
    if (lastAt < 0) return [{ title, changes: [editFile(finding.span.uri, replace(finding.span.range, `[${item}]`))] }];
    const after = lines.positionAt(start + 1 + lastAt + 1);
    const trailingComma = inner[lastAt] === ',';
    let text: string;
    if (!inner.includes('\n')) text = trailingComma ? ` ${item},` : `, ${item}`;
    else {
      const indent = indentationOf(lines, after.line);
      text = trailingComma ? `${lineBreak(lines)}${indent}${item},` : `,${lineBreak(lines)}${indent}${item}`;
    }
    return [{ title, changes: [editFile(finding.span.uri, insertAt(after, text))] }];
  },
};

