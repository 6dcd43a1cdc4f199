/**
 * Fixes for `karpenter-v21-removed-inputs`: delete the argument with its
 * whole line (only when it sits alone on its lines). When the IRSA inputs go and the module's
 * `namespace`/`service_account` are not written, the values from
 * `irsa_namespace_service_accounts` (one known `ns:sa`) move into them, so
 * the 21.x module keeps serving the same ServiceAccount.
 */
import { editFile, indentationOf, lineBreak, replace, spanText } from './edits';
import { sameSpan } from './locate';
import type { FixProvider, TextEdit } from './types';

export const fix: FixProvider = {
  ruleId: 'karpenter-v21-removed-inputs',
  fixes(finding, context) {
    const lines = context.lines(finding.span.uri);
    const call = context.model.moduleCalls.find((c) => c.arguments.some((a) => sameSpan(a.span, finding.span)));
    const argument = call?.arguments.find((a) => sameSpan(a.span, finding.span));
    if (!lines || !call || !argument) return [];
    const first = finding.span.range.start.line;
    const last = finding.span.range.end.line;
    // Only when the argument sits alone on its lines: otherwise deleting lines would take its neighbours.
    const wholeLines = spanText(lines, { uri: finding.span.uri, range: { start: { line: first, character: 0 }, end: { line: last, character: lines.lineText(last).length } } });
    if (wholeLines.trim() !== spanText(lines, finding.span).trim()) return [];
    const eol = lineBreak(lines);
    const del: TextEdit = replace({ start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } }, '');
    const edits: TextEdit[] = [del];
    let title = `Delete \`${argument.name}\``;
    if (argument.name === 'irsa_namespace_service_accounts' && call.karpenter) {
      const text = spanText(lines, finding.span);
      const m = /=\s*\[\s*"([a-z0-9-]+):([a-z0-9.-]+)"\s*,?\s*\]\s*$/.exec(text);
      const moves: string[] = [];
      if (m && !call.karpenter.namespaceWritten && m[1] !== 'kube-system') moves.push(`namespace = "${m[1]}"`);
      if (m && !call.karpenter.serviceAccountWritten && m[2] !== 'karpenter') moves.push(`service_account = "${m[2]}"`);
      if (moves.length > 0) {
        const indent = indentationOf(lines, first);
        edits[0] = replace(del.range, moves.map((x) => `${indent}${x}${eol}`).join(''));
        title = `Replace \`irsa_namespace_service_accounts\` with ${moves.map((x) => `\`${x}\``).join(' and ')}`;
      }
    }
    return [{ title, changes: [editFile(finding.span.uri, ...edits)], preferred: true }];
  },
};
