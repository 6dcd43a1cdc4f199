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
import type { LineIndex } from '../common/text';
import { knownText } from '../common/value';
import { editFile, indentationOf, indentUnit, insertAt, lineBreak } from '../edit/edits';
import type { Fix } from '../edit/types';
import { claimKeyToken } from '../edit/claims';
import { byFile } from '../edit/service-accounts';
import { addCondition, policyString, statementSource } from '../edit/trust-policies';
import { DEFAULT_AUDIENCE } from '../facts/kubernetes';
import type { ModuleCall, TrustPolicy } from '../facts/types';
import { claimKeyFor, lacksClaimCondition, principalAnchor } from '../index/irsa';
import type { EksStatement } from '../index/model';
import { forEachEksStatement } from './support/memo';
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
        const call = assumableRoleCall(model, site.policy);
        if (call) {
          // The module writes the statement: the user cannot add a condition, only the module's input.
          report({
            span: principalAnchor(statement),
            message:
              `\`module.${call.name}\` builds this trust without an aud condition: \`iam-assumable-role-with-oidc\` adds one only when ` +
              `\`oidc_fully_qualified_audiences\` is set, so a token minted for any audience in the OIDC provider's client-id list can assume the role. ` +
              `Set \`oidc_fully_qualified_audiences = ["sts.amazonaws.com"]\` on the module.`,
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
    const call = assumableRoleCall(context.model, policy);
    if (call) return audienceInputFix(call, audience, context.lines(call.blockSpan.uri));
    const source = statementSource(policy, statement, context);
    const key = source && claimKeyToken(source, statement, 'aud');
    if (!source || !key) return [];
    const edit = addCondition(source, 'StringEquals', key, [policyString(source, audience)]);
    if (!edit) return [];
    return [{ title: `Add an aud condition for \`${audience}\``, changes: byFile([{ uri: source.uri, edit }]), preferred: true }];
  },
});

/** The terraform-aws-modules/iam `iam-assumable-role-with-oidc` call that builds `policy`, if it is one. */
function assumableRoleCall(model: WorkspaceModel, policy: TrustPolicy): ModuleCall | undefined {
  if (policy.origin !== 'iam-module' || !policy.id.endsWith('#trust')) return undefined;
  const owner = policy.id.slice(0, -'#trust'.length);
  return model.moduleCalls.find((c) => c.id === owner && c.kind === 'iam-assumable-role-with-oidc');
}

/** `oidc_fully_qualified_audiences = ["<audience>"]` as the module block's last argument; nothing when the block is not laid out one argument a line or already sets it. */
function audienceInputFix(call: ModuleCall, audience: string, lines: LineIndex | undefined): Fix[] {
  if (!lines || call.arguments.some((a) => a.name === 'oidc_fully_qualified_audiences')) return [];
  const end = call.blockSpan.range.end;
  if (end.line === call.span.range.start.line || lines.lineText(end.line).trim() !== '}') return [];
  const eol = lineBreak(lines);
  const indent = indentationOf(lines, call.span.range.start.line) + indentUnit(lines);
  return [
    {
      title: `Set \`oidc_fully_qualified_audiences = ["${audience}"]\` on \`module.${call.name}\``,
      changes: [editFile(call.blockSpan.uri, insertAt({ line: end.line, character: 0 }, `${indent}oidc_fully_qualified_audiences = ["${audience}"]${eol}`))],
      preferred: true,
    },
  ];
}
