/**
 * Fixes for `oidc-provider-dualstack`: the dual-stack host in a provider URL
 * or a Federated principal becomes `oidc.eks.<region>.amazonaws.com`, keeping
 * the issuer id and the string's own quoting; a terraform-aws-modules/eks
 * call pinned to 21.0.0 is pinned to 21.0.1, the release that reverted the host.
 */
import { editFile, replace, spanText } from './edits';
import type { FixProvider } from './types';

const HOST = /oidc-eks\.([a-z0-9-]+)\.api\.aws/;

export const fix: FixProvider = {
  ruleId: 'oidc-provider-dualstack',
  fixes(finding, context) {
    const lines = context.lines(finding.span.uri);
    if (!lines) return [];
    const source = spanText(lines, finding.span);
    if (finding.data?.['target'] === 'module-version') {
      const quoted = /^(["'])21\.0\.0\1$/.exec(source.replace(/=\s*/, ''));
      if (!quoted) return [];
      return [{ title: 'Pin `version = "21.0.1"`, which registers `oidc.eks…` again', changes: [editFile(finding.span.uri, replace(finding.span.range, `${quoted[1]}21.0.1${quoted[1]}`))], preferred: true }];
    }
    const m = HOST.exec(source);
    // Only a literal the user wrote: a host inside an interpolation is not this string's to change.
    if (!m || source.slice(0, m.index).includes('${')) return [];
    const start = lines.offsetAt(finding.span.range.start) + m.index;
    const host = `oidc.eks.${m[1]}.amazonaws.com`;
    return [{ title: `Use \`${host}\`, the issuer host tokens carry`, changes: [editFile(finding.span.uri, replace(lines.range(start, start + m[0].length), host))], preferred: true }];
  },
};
