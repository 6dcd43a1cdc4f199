/**
 * `trust-cross-account-no-external-id`: cross-account `sts:AssumeRole`
 * without `sts:ExternalId`, the confused-deputy hole.
 *
 * Fix: adds a StringEquals `sts:ExternalId` condition to the statement,
 * with a tab stop for the value agreed with the other account (a snippet:
 * the tool cannot know it, so it is never preferred and fix-all leaves it
 * alone).
 */
import { knownText, resolvedText } from '../common/value';
import { snippetLiteral } from '../edit/edits';
import { byFile } from '../edit/service-accounts';
import { addCondition, policyString, statementSource } from '../edit/trust-policies';
import type { TrustPolicy } from '../facts/types';
import { hasAction, parseRoleArn } from '../index/irsa';
import type { EksStatement, WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

/** A private-use character: no quoting escapes it. */
const HOLE = '\uE000';

/** `arn:aws:iam::111122223333:root`, `…:role/x`, `…:user/x` or a bare account id → the account. */
function principalAccount(text: string): string | undefined {
  if (/^\d{12}$/.test(text)) return text;
  const m = /^arn:[a-z0-9-]+:(iam|sts)::(\d{12}):/.exec(text);
  return m?.[2];
}

/** Accounts the role is known to live in: its own ARN, and its OIDC provider's (providers are per account). */
function ownAccounts(policy: TrustPolicy, model: WorkspaceModel): Set<string> {
  const accounts = new Set<string>();
  for (const role of model.rolesOfTrustPolicy(policy)) {
    if (role.accountId) accounts.add(role.accountId);
    for (const sa of model.serviceAccountsOfRole(role)) {
      const arn = sa.roleArn ? knownText(sa.roleArn.value) : undefined;
      const parsed = arn ? parseRoleArn(arn) : undefined;
      if (parsed) accounts.add(parsed.account);
    }
  }
  for (const statement of policy.statements) {
    for (const p of statement.principals) {
      if (p.type !== 'Federated') continue;
      const text = resolvedText(p.value.value);
      const m = text ? /^arn:[a-z0-9-]+:iam::(\d{12}):oidc-provider\//.exec(text) : null;
      if (m?.[1]) accounts.add(m[1]);
    }
  }
  return accounts;
}

export const rule = defineRule({
  meta: { id: 'trust-cross-account-no-external-id', defaultSeverity: 'warning', title: 'Cross-account sts:AssumeRole trust without an sts:ExternalId condition' },
  check(model: WorkspaceModel, report: Reporter<EksStatement>) {
    for (const policy of model.trustPolicies) {
      let own: Set<string> | undefined;
      for (const statement of policy.statements) {
        if (statement.effect !== 'Allow' || hasAction(statement, 'sts:AssumeRole') !== true) continue;
        if (!statement.conditionsComplete) continue;
        const guarded = statement.conditions.some((c) => {
          const key = knownText(c.key.value)?.toLowerCase();
          return key === 'sts:externalid' || key === 'aws:multifactorauthpresent';
        });
        if (guarded) continue;
        for (const p of statement.principals) {
          if (p.type !== 'AWS') continue;
          // A symbol (data.aws_caller_identity) or computed value: not known to be foreign.
          const text = knownText(p.value.value);
          const account = text !== undefined ? principalAccount(text) : undefined;
          if (account === undefined) continue;
          own ??= ownAccounts(policy, model);
          if (own.has(account)) continue;
          report({
            span: p.value.span,
            message:
              `Account ${account} may assume this role with \`sts:AssumeRole\` and no \`sts:ExternalId\` condition. If that account ` +
              `is a third party acting for several customers, anyone it serves can make it assume your role (the confused-deputy problem). ` +
              `Add a StringEquals condition on \`sts:ExternalId\` with the value agreed with that party.`,
            payload: { policy, statement },
          });
        }
      }
    }
  },
  fixes({ policy, statement }, _finding, context) {
    const source = statementSource(policy, statement, context);
    if (!source) return [];
    const edit = addCondition(source, 'StringEquals', policyString(source, 'sts:ExternalId'), [policyString(source, HOLE)]);
    if (!edit) return [];
    const newText = snippetLiteral(edit.newText).replace(HOLE, '${1:external-id}');
    return [{ title: 'Add an `sts:ExternalId` condition', changes: byFile([{ uri: source.uri, edit: { range: edit.range, newText } }]), snippet: true }];
  },
});
