/**
 * `oidc-provider-client-id`: STS checks the token's aud against the
 * provider's client ids before it reads the trust policy. Audiences come
 * from the trust policies that name the provider and from the
 * ServiceAccounts whose roles they are. The provider is the workspace's
 * (`aws_iam_openid_connect_provider`, the eks module, eksctl) or, with live
 * facts, the one IAM has for a live cluster.
 *
 * Fix: appends the missing audience to the provider's client id list as
 * Terraform writes it (`client_id_list` of `aws_iam_openid_connect_provider`,
 * the eks module's `openid_connect_audiences`), in the list's own layout.
 * Never preferred: the provider then accepts tokens for one more audience,
 * and the audience in use may be the mistake. Not offered for eksctl (its
 * provider is not in the file), a live provider, or a list that is not a
 * literal `[…]`.
 */
import type { Span } from '../common/text';
import { knownText, resolvedText } from '../common/value';
import { editFile, indentationOf, insertAt, lineBreak, replace, spanText } from '../edit/edits';
import type { Condition, ServiceAccount, TrustStatement } from '../facts/types';
import { describeServiceAccount, STS_BAD_AUDIENCE } from '../index/describe';
import { admitsClaim, claimValues, federatedPrincipals, hasWildcard, issuerHostOf, subjectOfServiceAccount, type ClaimValue } from '../index/irsa';
import { linkedRoles } from '../index/links';
import type { WorkspaceModel } from '../index/model';
import { liveClusterOfStatement, parseIssuer } from '../live/match';
import type { LiveCluster } from '../live/types';
import { defineRule, type Report, type Reporter, type RuleContext } from './types';

/** The audience a provider's written client id list lacks. */
interface Payload {
  readonly audience: string;
}

export const rule = defineRule({
  meta: { id: 'oidc-provider-client-id', defaultSeverity: 'error', title: 'OIDC provider client ids lack an audience in use' },
  check(model: WorkspaceModel, report: Reporter<Payload>, { live }: RuleContext) {
    const configuredHosts = new Set<string>();
    for (const provider of model.oidcProviders) {
      if (!provider.clientIdsComplete) continue;
      const clientIds = new Set<string>();
      let allKnown = true;
      for (const c of provider.clientIds) {
        const t = knownText(c.value);
        if (t === undefined) allKnown = false;
        else clientIds.add(t);
      }
      if (!allKnown) continue;
      const url = resolvedText(provider.url);
      if (url !== undefined) configuredHosts.add(issuerHostOf(url));
      const required = requiredAudiences(model, clientIds, (s) => federatedPrincipals(s).some((p) => model.providerForPrincipal(p.value.value)?.id === provider.id));
      for (const [audience, source] of required) {
        report({
          span: provider.clientIdsSpan ?? provider.span,
          message:
            `This OIDC provider's client ids (${listed(clientIds)}) do not include \`${audience}\`, ` +
            `the audience its tokens carry here. STS checks the audience against the client ids first and answers ${STS_BAD_AUDIENCE}. ` +
            addClientId(provider.id, audience),
          related: [{ span: source.span, message: source.why }],
          ...(provider.clientIdsSpan ? { payload: { audience } } : {}),
        });
      }
    }
    if (live) checkLiveProviders(model, live.clusters, configuredHosts, report);
  },
  fixes({ audience }, finding, context) {
    const lines = context.lines(finding.span.uri);
    if (!lines || !/\.tf$/i.test(finding.span.uri)) return [];
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
});

/**
 * The live provider of each cluster, unless the workspace configures a
 * provider for the same issuer with known client ids: then the finding
 * above, on the list to edit, says it.
 */
function checkLiveProviders(model: WorkspaceModel, clusters: readonly LiveCluster[], configuredHosts: ReadonlySet<string>, report: (r: Report<Payload>) => void): void {
  const statementsOf = new Map<LiveCluster, Set<TrustStatement>>();
  for (const { policy, statement } of model.allEksWebIdentityStatements()) {
    const match = liveClusterOfStatement(model, { clusters }, policy, statement);
    if (!match) continue;
    const set = statementsOf.get(match.cluster) ?? new Set<TrustStatement>();
    set.add(statement);
    statementsOf.set(match.cluster, set);
  }
  for (const [cluster, statements] of statementsOf) {
    const provider = cluster.provider;
    const host = parseIssuer(cluster.issuerUrl ?? '')?.host;
    if (provider.kind !== 'found' || host === undefined || configuredHosts.has(host)) continue;
    const clientIds = new Set(provider.clientIds);
    for (const [audience, source] of requiredAudiences(model, clientIds, (s) => statements.has(s))) {
      report({
        span: source.span,
        message:
          `The IAM OIDC provider of the live cluster \`${cluster.name}\` (${cluster.region}) has client ids ${listed(clientIds)}, without \`${audience}\`, ` +
          `the audience these tokens carry (${source.why}). STS checks the audience against the client ids first and answers ${STS_BAD_AUDIENCE}. ` +
          `Add it: \`aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id ${audience}\`, or use \`sts.amazonaws.com\`.`,
      });
    }
  }
}

/** A ServiceAccount's audience, when known; per ServiceAccount object (an edit keeps the others' identity). */
const audiences = new WeakMap<ServiceAccount, string | null>();

function knownAudienceOf(model: WorkspaceModel, sa: ServiceAccount): string | undefined {
  let audience = audiences.get(sa);
  if (audience === undefined) audiences.set(sa, (audience = knownText(model.audienceOf(sa).value) ?? null));
  return audience ?? undefined;
}

/** Audiences that tokens for the statements `uses` selects carry and the client ids lack, with where each comes from. */
function requiredAudiences(model: WorkspaceModel, clientIds: ReadonlySet<string>, uses: (statement: TrustStatement) => boolean): Map<string, { span: Span; why: string }> {
  const required = new Map<string, { span: Span; why: string }>();
  for (const { statement } of model.allEksWebIdentityStatements()) {
    const groups = audienceGroups(statement);
    if (groups.length === 0 || !uses(statement)) continue;
    for (const values of groups) {
      if (values.some((v) => clientIds.has(v.value))) continue;
      for (const v of values) if (!required.has(v.value)) required.set(v.value, { span: v.span, why: 'required by this trust condition' });
    }
  }
  for (const sa of model.serviceAccounts) {
    if (!sa.roleArn) continue;
    const audience = knownAudienceOf(model, sa);
    // An audience among the client ids is never required (deleted below): skip the link walk, for nearly every ServiceAccount.
    if (audience === undefined || required.has(audience) || clientIds.has(audience)) continue;
    const roles = linkedRoles(model, sa);
    const subject = subjectOfServiceAccount(sa);
    const usesProvider = roles?.some((r) => r.webStatements.some((s) => (subject === undefined || admitsClaim(s, 'sub', subject) !== false) && uses(s)));
    if (usesProvider) required.set(audience, { span: sa.roleArn.span, why: `audience of ServiceAccount ${describeServiceAccount(sa)}` });
  }
  for (const audience of clientIds) required.delete(audience);
  return required;
}

const audienceGroupCache = new WeakMap<TrustStatement, readonly (readonly ClaimValue[])[]>();

/**
 * The exact audiences a statement pins, one group per condition, cached per
 * (immutable) statement. A condition listing several audiences needs only
 * one of them among the client ids: the others are dead alternatives
 * (trust-aud-value's business), not requirements.
 */
function audienceGroups(statement: TrustStatement): readonly (readonly ClaimValue[])[] {
  let groups = audienceGroupCache.get(statement);
  if (!groups) {
    const byCondition = new Map<Condition, ClaimValue[]>();
    for (const v of claimValues(statement, 'aud')) {
      if (v.semantics !== 'equals' || hasWildcard(v.value)) continue;
      byCondition.set(v.condition, [...(byCondition.get(v.condition) ?? []), v]);
    }
    audienceGroupCache.set(statement, (groups = [...byCondition.values()]));
  }
  return groups;
}

function listed(clientIds: ReadonlySet<string>): string {
  return [...clientIds].map((c) => `\`${c}\``).join(', ') || 'none';
}

/** Where the client id list of this kind of provider is written. */
function addClientId(providerId: string, audience: string): string {
  if (providerId.startsWith('eksctl:')) {
    return `eksctl registers only \`sts.amazonaws.com\`: add \`${audience}\` with \`aws iam add-client-id-to-open-id-connect-provider\`, or use \`sts.amazonaws.com\`.`;
  }
  if (/#module\.[^#]*$/.test(providerId)) return `Add \`${audience}\` to the module's \`openid_connect_audiences\`.`;
  return `Add \`${audience}\` to \`client_id_list\`.`;
}
