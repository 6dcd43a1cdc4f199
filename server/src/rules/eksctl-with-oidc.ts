/**
 * `eksctl-with-oidc`: eksctl creates IRSA roles only with an IAM OIDC
 * provider, which `iam.withOIDC: true` registers.
 *
 * Fix: sets `iam.withOIDC: true` (preferred: eksctl refuses the config
 * otherwise). A `false` value is rewritten; a missing key is inserted above
 * `serviceAccounts`, at its indentation.
 */
import { lineBreak, spanText } from '../edit/edits';
import { byFile } from '../edit/service-accounts';
import type { EksctlConfig } from '../facts/types';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

const TITLE = 'Set `iam.withOIDC: true`';

export const rule = defineRule({
  meta: { id: 'eksctl-with-oidc', defaultSeverity: 'error', title: 'eksctl iam.serviceAccounts without iam.withOIDC: true' },
  check(model: WorkspaceModel, report: Reporter<EksctlConfig>) {
    for (const config of model.eksctlConfigs) {
      if (!config.serviceAccountsKey || config.withOidc?.value === true) continue;
      report({
        span: config.withOidc?.span ?? config.serviceAccountsKey,
        message:
          `\`iam.serviceAccounts\` needs \`iam.withOIDC: true\`${config.withOidc ? ', but it is false' : ', which is missing'}. eksctl rejects the config ` +
          `(\`iam.withOIDC must be enabled explicitly for iam.serviceAccounts to be created\`), and without an IAM OIDC provider STS answers ` +
          `\`InvalidIdentityToken: No OpenIDConnect provider found in your account\`. Set \`iam.withOIDC: true\`.`,
        payload: config,
      });
    }
  },
  fixes(config, finding, context) {
    const lines = context.lines(finding.span.uri);
    const key = config.serviceAccountsKey;
    if (!lines || !key) return [];
    if (config.withOidc) {
      if (!/^["']?(false|no|off|n)["']?$/i.test(spanText(lines, config.withOidc.span))) return [];
      return [{ title: TITLE, changes: byFile([{ uri: finding.span.uri, edit: { range: config.withOidc.span.range, newText: 'true' } }]), preferred: true }];
    }
    const line = key.range.start.line;
    const m = /^(\s*)serviceAccounts:/.exec(lines.lineText(line));
    if (!m || m[1]!.length !== key.range.start.character) return [];
    const start = { line, character: 0 };
    return [{ title: TITLE, changes: byFile([{ uri: finding.span.uri, edit: { range: { start, end: start }, newText: `${m[1]}withOIDC: true${lineBreak(lines)}` } }]), preferred: true }];
  },
});
