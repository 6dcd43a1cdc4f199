import { knownText, resolvedText } from '../common/value';
import { hasAction, parseRoleArn } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import type { TrustPolicy } from '../facts/types';
import type { Rule } from './types';

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

/** Cross-account `sts:AssumeRole` without `sts:ExternalId`: the confused-deputy hole. */
export const rule: Rule = {
  meta: { id: 'trust-cross-account-no-external-id', defaultSeverity: 'warning', title: 'Cross-account sts:AssumeRole trust without an sts:ExternalId condition' },
  check(model, report) {
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
            data: { account },
          });
        }
      }
    }
  },
};
