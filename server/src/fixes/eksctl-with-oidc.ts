/**
 * Fixes for `eksctl-with-oidc`: sets `iam.withOIDC: true` (preferred:
 * eksctl refuses the config otherwise). A `false` value is rewritten; a
 * missing key is inserted above `serviceAccounts`, at its indentation.
 */
import { lineBreak, spanText } from './edits';
import { byFile } from './service-account-edits';
import type { FixProvider } from './types';

const TITLE = 'Set `iam.withOIDC: true`';

export const fix: FixProvider = {
  ruleId: 'eksctl-with-oidc',
  fixes(finding, context) {
    const config = context.model.eksctlConfigs.find((c) => c.span.uri === finding.span.uri && c.serviceAccountsKey);
    const lines = context.lines(finding.span.uri);
    if (!config || !lines) return [];
    if (config.withOidc) {
      if (!/^["']?(false|no|off|n)["']?$/i.test(spanText(lines, config.withOidc.span))) return [];
      return [{ title: TITLE, changes: byFile([{ uri: finding.span.uri, edit: { range: config.withOidc.span.range, newText: 'true' } }]), preferred: true }];
    }
    const key = config.serviceAccountsKey!;
    const line = key.range.start.line;
    const m = /^(\s*)serviceAccounts:/.exec(lines.lineText(line));
    if (!m || m[1]!.length !== key.range.start.character) return [];
    const start = { line, character: 0 };
    return [{ title: TITLE, changes: byFile([{ uri: finding.span.uri, edit: { range: { start, end: start }, newText: `${m[1]}withOIDC: true${lineBreak(lines)}` } }]), preferred: true }];
  },
};
