/**
 * `trust-missing-aud`: without an `:aud` condition, any audience the
 * provider accepts can be used to assume the role.
 *
 * Fix: adds `<issuer>:aud` = the audience the tokens of the role's
 * ServiceAccounts carry (`sts.amazonaws.com` unless they annotate another)
 * under StringEquals, with the issuer written as the sub key writes it.
 * Preferred: it only narrows. Nothing is offered when the ServiceAccounts
 * disagree on the audience.
 */
import { knownText } from '../common/value';
import { claimKeyToken } from '../edit/claims';
import { byFile } from '../edit/service-accounts';
import { addCondition, policyString, statementSource } from '../edit/trust-policies';
import { DEFAULT_AUDIENCE } from '../facts/kubernetes';
import { claimKeyFor, lacksClaimCondition, principalAnchor } from '../index/irsa';
import type { EksStatement } from '../index/model';
import { forEachEksStatement } from './support/memo';
import { claimInputOf, setModuleInput } from './support/module-inputs';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

export const rule = defineRule({
  meta: { id: 'trust-missing-aud', defaultSeverity: 'warning', title: 'Web-identity trust statement for an EKS issuer has no :aud condition' },
  check(model: WorkspaceModel, report: Reporter<EksStatement>) {
    forEachEksStatement<EksStatement>(
      model,
      'trust-missing-aud',
      [],
      (site, report) => {
        const { statement } = site;
        if (!lacksClaimCondition(statement, 'aud')) return;
        const input = claimInputOf(model, site.policy, 'aud');
        if (input) {
          // The module writes the statement: the user cannot add a condition, only the module's input.
          report({
            span: principalAnchor(statement),
            message:
              `\`module.${input.call.name}\` builds this trust without an aud condition: \`${input.module}\` adds one only when ` +
              `\`${input.input}\` is set, so a token minted for any audience in the OIDC provider's client-id list can assume the role. ` +
              `Set \`${input.input} = ["sts.amazonaws.com"]\` on the module.`,
            payload: site,
          });
          return;
        }
        const key = claimKeyFor(statement, 'aud');
        report({
          span: principalAnchor(statement),
          message:
            `This trust statement does not pin the token audience: there is no \`${key}\` condition, so a token minted for any ` +
            `audience in the OIDC provider's client-id list can assume the role. ` +
            `Add \`"${key}": "sts.amazonaws.com"\` under StringEquals, next to the sub condition.`,
          payload: site,
        });
      },
      report,
    );
  },
  fixes({ policy, statement }, _finding, context) {
    const audiences = new Set<string | undefined>();
    for (const role of context.model.rolesOfTrustPolicy(policy)) {
      for (const sa of context.model.serviceAccountsOfRole(role)) audiences.add(knownText(context.model.audienceOf(sa).value));
    }
    if (audiences.size > 1 || audiences.has(undefined)) return [];
    const audience = [...audiences][0] ?? DEFAULT_AUDIENCE;
    const input = claimInputOf(context.model, policy, 'aud');
    if (input) return setModuleInput(input, audience, context.lines(input.call.blockSpan.uri));
    const source = statementSource(policy, statement, context);
    const key = source && claimKeyToken(source, statement, 'aud');
    if (!source || !key) return [];
    const edit = addCondition(source, 'StringEquals', key, [policyString(source, audience)]);
    if (!edit) return [];
    return [{ title: `Add an aud condition for \`${audience}\``, changes: byFile([{ uri: source.uri, edit }]), preferred: true }];
  },
});

