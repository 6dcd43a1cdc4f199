/**
 * `sa-audience-mismatch`: the audience the ServiceAccount's tokens carry is
 * not one the linked trust policy accepts. Reported only when every
 * candidate role refuses it for certain, in every statement that may admit
 * this ServiceAccount.
 *
 * Fix, on the ServiceAccount side only: an `eks.amazonaws.com/audience`
 * annotation becomes the one audience the role's trust accepts. Preferred
 * when that is `sts.amazonaws.com`, the audience IRSA uses and the
 * annotation's odd value the likelier slip; offered otherwise, not
 * preferred. Nothing is offered for a ServiceAccount without the annotation
 * (the trust side is then the one to correct: trust-aud-value's fix), when
 * the trust accepts several values, or for a computed value.
 */
import { knownText } from '../common/value';
import { byFile } from '../edit/service-accounts';
import { editableString, elsewhere, rewriteString } from '../edit/values';
import type { Annotation, ServiceAccount, TrustStatement } from '../facts/types';
import { DEFAULT_AUDIENCE } from '../facts/kubernetes';
import { roleLabel, STS_ACCESS_DENIED, STS_BAD_AUDIENCE } from '../index/describe';
import { admitsClaim, claimValues, federatedPrincipals, subjectOfServiceAccount } from '../index/irsa';
import { linkDependencies, linkedRoles, type LinkedRole } from '../index/links';
import type { WorkspaceModel } from '../index/model';
import { collect, memoReports } from './support/memo';
import { defineRule, type Report, type Reporter } from './types';

/** The audience annotation, when the trust accepts exactly one audience to write there. */
interface Payload {
  readonly annotation: Annotation;
  readonly accepted: string;
}

export const rule = defineRule({
  meta: { id: 'sa-audience-mismatch', defaultSeverity: 'error', title: "ServiceAccount's token audience is not accepted by its role's trust policy" },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    const audiences = model.audiencesInUse();
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId) continue;
      const reports = memoReports('sa-audience-mismatch', sa, linkDependencies(model, sa), () => collect<Payload>((out) => checkServiceAccount(model, sa, out)), audiences);
      for (const r of reports) report(r);
    }
  },
  fixes({ annotation, accepted: audience }, finding, context) {
    const target = editableString(context, annotation.value);
    if (!target) return [];
    return [{ title: `Set the audience annotation to \`${audience}\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, audience) }]), preferred: audience === DEFAULT_AUDIENCE }];
  },
});

/**
 * Whether the OIDC providers the statements trust list the audience among
 * their client ids (STS checks that before the trust policy); undefined when
 * a provider is not in the workspace or its list is not fully known.
 */
function providerAccepts(model: WorkspaceModel, statements: readonly TrustStatement[], audience: string): boolean | undefined {
  let all = true;
  for (const s of statements) {
    for (const p of federatedPrincipals(s)) {
      const provider = model.providerForPrincipal(p.value.value);
      if (!provider || !provider.clientIdsComplete) return undefined;
      const ids = provider.clientIds.map((c) => knownText(c.value));
      if (ids.some((c) => c === undefined)) return undefined;
      if (!ids.includes(audience)) all = false;
    }
  }
  return all;
}

function checkServiceAccount(model: WorkspaceModel, sa: ServiceAccount, report: (finding: Report<Payload>) => void): void {
  if (!sa.roleArn) return;
  const audience = model.audienceOf(sa);
  const audienceText = knownText(audience.value);
  if (audienceText === undefined) return;
  const roles = linkedRoles(model, sa);
  if (!roles || roles.length === 0) return;
  const subject = subjectOfServiceAccount(sa);
  const judged: { role: LinkedRole; statements: TrustStatement[] }[] = [];
  for (const r of roles) {
    if (!r.policy.complete) break;
    // The statements that may admit this ServiceAccount (all of them when its subject is not known);
    // none at all is sa-role-trust-mismatch's or sa-role-not-web-identity's business.
    const statements = r.webStatements.filter((s) => subject === undefined || admitsClaim(s, 'sub', subject) !== false);
    if (statements.length === 0) break;
    // A statement without an aud condition accepts any audience (trust-missing-aud); an unknown one might.
    if (statements.some((s) => admitsClaim(s, 'aud', audienceText) !== false)) break;
    judged.push({ role: r, statements });
  }
  if (judged.length !== roles.length) return;
  const first = judged[0]!;
  const accepted = first.statements.flatMap((s) => claimValues(s, 'aud'));
  const values = [...new Set(accepted.map((a) => a.value))];
  const inClientIds = providerAccepts(model, first.statements, audienceText);
  const stsError =
    inClientIds === true || (inClientIds === undefined && audienceText === DEFAULT_AUDIENCE)
      ? STS_ACCESS_DENIED
      : inClientIds === false
        ? STS_BAD_AUDIENCE
        : `${STS_BAD_AUDIENCE} (or, if the OIDC provider's client ids include \`${audienceText}\`, ${STS_ACCESS_DENIED})`;
  report({
    span: audience.annotation?.value.span ?? sa.roleArn.span,
    message:
      `Tokens of this ServiceAccount carry audience \`${audienceText}\`${audience.annotation ? '' : ' (the default)'}, but role ` +
      `${roleLabel(first.role.link.role)} accepts only ${values.map((v) => `\`${v}\``).join(', ')}. STS will answer ${stsError}. ` +
      `Make the \`eks.amazonaws.com/audience\` annotation and the trust policy's \`:aud\` condition agree (normally \`sts.amazonaws.com\`).`,
    related: accepted.map((a) => ({ span: a.span, message: `aud ${a.value}` })),
    ...(audience.annotation && values.length === 1 ? { payload: { annotation: audience.annotation, accepted: values[0]! } } : {}),
  });
}
