/**
 * Fixes for `trust-action-mismatch`, both directions, each rewriting one
 * literal action in place:
 * - a Federated EKS principal without `sts:AssumeRoleWithWebIdentity`: the
 *   statement's one assume action (`sts:AssumeRole`, or its only action)
 *   becomes `sts:AssumeRoleWithWebIdentity`. Offered only when the
 *   statement pins `:sub`, so the role opens to the ServiceAccounts the
 *   statement already names and not to every pod of the cluster; then
 *   preferred, as the statement's conditions say what was meant;
 * - `sts:AssumeRoleWithWebIdentity` with only Service principals: the
 *   action becomes `sts:AssumeRole`, when the statement has no conditions
 *   (a web identity condition would say the principal is the mistake).
 *   Never preferred: the principal may be the side to correct. Not for AWS
 *   principals: that would quietly open the role to another account.
 */
import type { Span } from '../common/text';
import { knownText } from '../common/value';
import type { LStr, TrustPolicy, TrustStatement } from '../facts/types';
import { conditionsForClaim, WEB_IDENTITY_ACTION } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { policySyntax, sameSpan } from './locate';
import { byFile } from './service-account-edits';
import type { Fix, FixContext, FixProvider } from './types';
import { editableString, elsewhere, rewriteString } from './values';

export const fix: FixProvider = {
  ruleId: 'trust-action-mismatch',
  fixes(finding, context) {
    const direction = finding.data?.['fix'];
    const site = statementAt(context.model, finding.span);
    if (!site || site.policy.generated) return [];
    const { policy, statement } = site;
    if (direction === 'action') {
      if (!statement.actionsComplete || conditionsForClaim(statement, 'sub').length === 0) return [];
      const assume = statement.actions.filter((a) => /^sts:AssumeRole$/i.test(knownText(a.value) ?? ''));
      const action = assume.length === 1 ? assume[0] : statement.actions.length === 1 ? statement.actions[0] : undefined;
      const fix = action && setAction(context, policy, action, WEB_IDENTITY_ACTION, finding.span.uri);
      return fix ? [{ ...fix, preferred: true }] : [];
    }
    if (direction === 'principal') {
      if (!statement.conditionsComplete || statement.conditions.length > 0 || !statement.actionsComplete || !statement.principals.every((p) => p.type === 'Service')) return [];
      const action = statement.actions.find((a) => sameSpan(a.span, finding.span));
      const fix = action && setAction(context, policy, action, 'sts:AssumeRole', finding.span.uri);
      return fix ? [fix] : [];
    }
    return [];
  },
};

function setAction(context: FixContext, policy: TrustPolicy, action: LStr, value: string, uri: string): Fix | undefined {
  const syntax = policySyntax(policy);
  const target = syntax && editableString(context, action, { span: policy.span, syntax });
  if (!target || knownText(action.value) === value) return undefined;
  return { title: `Set the action to \`${value}\`${elsewhere(target, uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, value) }]) };
}

/** The statement a finding anchors on: at one of its actions, or at the statement itself when it has none. */
function statementAt(model: WorkspaceModel, span: Span): { policy: TrustPolicy; statement: TrustStatement } | undefined {
  for (const policy of model.trustPolicies) {
    for (const statement of policy.statements) {
      if (statement.actions.some((a) => sameSpan(a.span, span)) || sameSpan(statement.span, span)) return { policy, statement };
    }
  }
  return undefined;
}
