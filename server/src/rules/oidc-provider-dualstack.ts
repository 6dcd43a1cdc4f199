import type { Span } from '../common/text';
import { knownText, resolvedText } from '../common/value';
import { exactVersion } from '../terraform/version';
import { federatedPrincipals, STS_NO_PROVIDER } from './support/common';
import { forEachStatement } from './support/memo';
import type { Report, Rule } from './types';

const ID = 'oidc-provider-dualstack';

/** `oidc-eks.<region>.api.aws/id/<ID>`: the dual-stack host, after the scheme or ARN prefix. */
const DUALSTACK = /(?:^|\/\/|oidc-provider\/)oidc-eks\.([a-z0-9-]+)\.api\.aws(\/id\/[0-9A-Za-z]+)?/;

/**
 * EKS service account tokens carry `iss = https://oidc.eks.<region>.amazonaws.com/id/<ID>`
 * even where the dual-stack `oidc-eks.<region>.api.aws` endpoint serves the
 * same discovery document. STS finds the IAM OIDC provider by the token's
 * issuer, so a provider (or a Federated principal) registered for the
 * dual-stack host never matches. terraform-aws-modules/eks 21.0.0 briefly
 * registered that host; 21.0.1 reverted it.
 */
function dualstackReport(span: Span, what: string, region: string, id: string | undefined, data: Record<string, string>): Report {
  const replacement = `oidc.eks.${region}.amazonaws.com${id ?? '/id/<ID>'}`;
  return {
    span,
    message:
      `${what} the dual-stack host \`oidc-eks.${region}.api.aws\`, but EKS service account tokens carry \`iss\` = \`https://oidc.eks.${region}.amazonaws.com/id/…\`. ` +
      `STS looks up the provider by the token's issuer and answers ${STS_NO_PROVIDER}. Use \`${replacement}\` (same issuer id).`,
    data: { region, replacement, ...data },
  };
}

export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'IAM OIDC provider registered for the dual-stack oidc-eks host' },
  check(model, report) {
    for (const provider of model.oidcProviders) {
      const url = resolvedText(provider.url);
      const m = url !== undefined ? DUALSTACK.exec(url) : null;
      if (m && provider.urlSpan) report(dualstackReport(provider.urlSpan, 'This IAM OIDC provider is registered for', m[1]!, m[2], { target: 'provider' }));
    }
    // Per statement, and reused while the statement is unchanged: it reads nothing else.
    forEachStatement(
      model,
      ID,
      [],
      ({ statement }, out) => {
        for (const principal of federatedPrincipals(statement)) {
          const text = knownText(principal.value.value);
          const m = text !== undefined ? DUALSTACK.exec(text) : null;
          if (m) out(dualstackReport(principal.value.span, 'This Federated principal names an OIDC provider for', m[1]!, m[2], { target: 'principal' }));
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
        data: { target: 'module-version' },
      });
    }
  },
};
