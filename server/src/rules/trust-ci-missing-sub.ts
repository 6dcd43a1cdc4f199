/**
 * `trust-ci-missing-sub`: a web-identity statement for a CI/CD system's
 * OIDC issuer (GitHub Actions, GitLab, CircleCI, HCP Terraform, Bitbucket
 * Pipelines) with no condition on the issuer's `sub` claim. The audience
 * alone is not a restriction: every repository or workspace of that issuer
 * can request a token with it. The same class of defect as
 * `trust-missing-sub`, which covers EKS issuers only.
 */
import { resolvedText } from '../common/value';
import type { TrustStatement } from '../facts/types';
import { federatedPrincipals, hasAction, issuerHostOf, principalAnchor, splitConditionKey, WEB_IDENTITY_ACTION } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { forEachStatement } from './support/memo';
import { defineRule } from './types';

const ID = 'trust-ci-missing-sub';

interface CiIssuer {
  readonly name: string;
  /** Whom the missing condition lets in. */
  readonly who: string;
  /** The subject's shape, from the issuer's documentation. */
  readonly subject: string;
}

/** By issuer host (or its first path segment); sub formats from each issuer's OIDC documentation. */
const CI_ISSUERS: readonly { readonly host: RegExp; readonly issuer: CiIssuer }[] = [
  { host: /^token\.actions\.githubusercontent\.com(\/|$)/, issuer: { name: 'GitHub Actions', who: 'every workflow of every repository on GitHub', subject: 'repo:<owner>/<repository>:ref:refs/heads/<branch>` (or `:environment:<name>`' } },
  { host: /^gitlab\.com$/, issuer: { name: 'GitLab', who: 'every pipeline of every project on gitlab.com', subject: 'project_path:<group>/<project>:ref_type:branch:ref:<branch>' } },
  { host: /^oidc\.circleci\.com\/org\//, issuer: { name: 'CircleCI', who: 'every project of the CircleCI organization', subject: 'org/<organization-id>/project/<project-id>/user/<user-id>' } },
  { host: /^app\.terraform\.io$/, issuer: { name: 'HCP Terraform', who: 'every workspace of every organization on app.terraform.io', subject: 'organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>' } },
  { host: /^api\.bitbucket\.org\/2\.0\/workspaces\/[^/]+\/pipelines-config\/identity\/oidc$/, issuer: { name: 'Bitbucket Pipelines', who: 'every pipeline of every repository of the Bitbucket workspace', subject: '{<repository-uuid>}:{<step-uuid>}' } },
];

export const rule = defineRule({
  meta: { id: ID, defaultSeverity: 'error', title: 'Web-identity trust statement for a CI/CD issuer has no sub condition' },
  check(model, report) {
    forEachStatement(
      model,
      ID,
      [],
      ({ statement }, report) => {
        if (statement.effect !== 'Allow' || hasAction(statement, WEB_IDENTITY_ACTION) !== true) return;
        const found = ciIssuerOf(model, statement);
        if (!found) return;
        // Only a complete condition list whose keys are all known can show that sub is absent.
        if (!statement.conditionsComplete) return;
        const claims = statement.conditions.map((c) => splitConditionKey(c.key.value)?.claim);
        if (claims.some((c) => c === undefined)) return;
        if (claims.includes('sub')) return;
        const { host, issuer } = found;
        report({
          span: principalAnchor(statement),
          message:
            `This ${issuer.name} trust statement has no \`${host}:sub\` condition, so ${issuer.who} can assume the role: ` +
            `the \`${host}:aud\` audience alone is something any of them can request. ` +
            `Add a StringEquals (or StringLike) condition on \`${host}:sub\` naming yours, \`${issuer.subject}\`.`,
        });
      },
      report,
    );
  },
});

/** The CI issuer a statement's Federated principal names, when it is certain. */
function ciIssuerOf(model: WorkspaceModel, statement: TrustStatement): { host: string; issuer: CiIssuer } | undefined {
  for (const p of federatedPrincipals(statement)) {
    const value = p.value.value;
    let text = resolvedText(value);
    if (text === undefined) {
      // `aws_iam_openid_connect_provider.github.arn`: the provider's URL names the issuer.
      const only = value.segments.length === 1 ? value.segments[0] : undefined;
      const url = only?.kind === 'symbol' && only.symbol === 'provider-arn' ? model.providerUrl(only.owner) : undefined;
      text = url ? resolvedText(url) : undefined;
    }
    if (text === undefined) continue;
    const host = issuerHostOf(text);
    const match = CI_ISSUERS.find((c) => c.host.test(host));
    if (match) return { host, issuer: match.issuer };
  }
  return undefined;
}
