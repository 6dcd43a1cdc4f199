/**
 * `oidc-provider-dualstack`: EKS service account tokens carry
 * `iss = https://oidc.eks.<region>.amazonaws.com/id/<ID>` even where the
 * dual-stack `oidc-eks.<region>.api.aws` endpoint serves the same discovery
 * document. STS finds the IAM OIDC provider by the token's issuer, so a
 * provider (or a Federated principal) registered for the dual-stack host
 * never matches. terraform-aws-modules/eks 21.0.0 briefly registered that
 * host; 21.0.1 reverted it.
 *
 * Fixes: the dual-stack host in a provider URL or a Federated principal
 * becomes `oidc.eks.<region>.amazonaws.com`, keeping the issuer id and the
 * string's own quoting; a terraform-aws-modules/eks call pinned to 21.0.0
 * is pinned to 21.0.1, the release that reverted the host.
 */
import type { Span } from '../common/text';
import { knownText, resolvedText } from '../common/value';
import { editFile, replace, spanText } from '../edit/edits';
import { STS_NO_PROVIDER } from '../index/describe';
import { federatedPrincipals } from '../index/irsa';
import { exactVersion } from '../terraform/version';
import { forEachStatement } from './support/memo';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Report, type Reporter } from './types';

/** What the finding's text is: a string holding the dual-stack host, or the module's `version`. */
type Payload = 'host' | 'module-version';

const HOST = /oidc-eks\.([a-z0-9-]+)\.api\.aws/;

/** `oidc-eks.<region>.api.aws/id/<ID>`: the dual-stack host, after the scheme or ARN prefix. */
const DUALSTACK = /(?:^|\/\/|oidc-provider\/)oidc-eks\.([a-z0-9-]+)\.api\.aws(\/id\/[0-9A-Za-z]+)?/;

function dualstackReport(span: Span, what: string, region: string, id: string | undefined): Report<Payload> {
  const replacement = `oidc.eks.${region}.amazonaws.com${id ?? '/id/<ID>'}`;
  return {
    span,
    message:
      `${what} the dual-stack host \`oidc-eks.${region}.api.aws\`, but EKS service account tokens carry \`iss\` = \`https://oidc.eks.${region}.amazonaws.com/id/…\`. ` +
      `STS looks up the provider by the token's issuer and answers ${STS_NO_PROVIDER}. Use \`${replacement}\` (same issuer id).`,
    payload: 'host',
  };
}

export const rule = defineRule({
  meta: { id: 'oidc-provider-dualstack', defaultSeverity: 'error', title: 'IAM OIDC provider registered for the dual-stack oidc-eks host' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    for (const provider of model.oidcProviders) {
      const url = resolvedText(provider.url);
      const m = url !== undefined ? DUALSTACK.exec(url) : null;
      if (m && provider.urlSpan) report(dualstackReport(provider.urlSpan, 'This IAM OIDC provider is registered for', m[1]!, m[2]));
    }
    // Per statement, and reused while the statement is unchanged: it reads nothing else.
    forEachStatement(
      model,
      'oidc-provider-dualstack',
      [],
      ({ statement }, out) => {
        for (const principal of federatedPrincipals(statement)) {
          const text = knownText(principal.value.value);
          const m = text !== undefined ? DUALSTACK.exec(text) : null;
          if (m) out(dualstackReport(principal.value.span, 'This Federated principal names an OIDC provider for', m[1]!, m[2]));
        }
      },
      report,
    );
    for (const call of model.moduleCalls) {
      const pinned = call.kind === 'eks' ? exactVersion(call.version?.value) : undefined;
      if (!pinned || pinned.join('.') !== '21.0.0' || !call.version || !model.provider(call.id)) continue;
      report({
        span: call.version.span,
        message:
          'terraform-aws-modules/eks 21.0.0 registers the IAM OIDC provider for the dual-stack host `oidc-eks.<region>.api.aws`, but EKS service account tokens carry `iss` = `https://oidc.eks.<region>.amazonaws.com/id/…`. ' +
          `STS looks up the provider by the token's issuer and answers ${STS_NO_PROVIDER} for every IRSA role of the cluster. 21.0.1 reverted the change: use \`version = "~> 21.0, != 21.0.0"\` or a later 21.x release.`,
        payload: 'module-version',
      });
    }
  },
  fixes(target, finding, context) {
    const lines = context.lines(finding.span.uri);
    if (!lines) return [];
    const source = spanText(lines, finding.span);
    if (target === 'module-version') {
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
});
