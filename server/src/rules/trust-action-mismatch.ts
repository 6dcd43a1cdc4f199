/**
 * `trust-action-mismatch`: OIDC principals can only be assumed with
 * `sts:AssumeRoleWithWebIdentity`; that action with only AWS/Service
 * principals admits no one.
 *
 * Fixes, both directions, each rewriting one literal action in place:
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
import { knownText } from '../common/value';
import { byFile } from '../edit/service-accounts';
import { policySyntax } from '../edit/trust-policies';
import type { Fix, FixContext } from '../edit/types';
import { editableString, elsewhere, rewriteString } from '../edit/values';
import type { LStr, TrustPolicy, TrustStatement } from '../facts/types';
import { conditionsForClaim, federatedPrincipals, globMatch, hasAction, WEB_IDENTITY_ACTION } from '../index/irsa';
import { forEachStatement } from './support/memo';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

type Payload =
  /** A Federated principal without the web identity action: the action is the side to correct. */
  | { readonly fix: 'action'; readonly policy: TrustPolicy; readonly statement: TrustStatement }
  /** The web identity action (`action`) with principals that are not Federated. */
  | { readonly fix: 'principal'; readonly policy: TrustPolicy; readonly statement: TrustStatement; readonly action: LStr };

export const rule = defineRule({
  meta: { id: 'trust-action-mismatch', defaultSeverity: 'error', title: 'Federated principal and sts:AssumeRoleWithWebIdentity do not go together' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    forEachStatement<Payload>(
      model,
      'trust-action-mismatch',
      [model.oidcProviders],
      ({ policy, statement }, report) => {
        if (statement.effect !== 'Allow') return;
        const federated = federatedPrincipals(statement);
        const anchor = statement.actions[0]?.span ?? statement.span;
        const actionList = statement.actions.map((a) => `\`${knownText(a.value) ?? '?'}\``).join(', ');
        if (federated.length > 0 && model.statementKind(statement) === 'eks' && hasAction(statement, WEB_IDENTITY_ACTION) === false) {
          report({
            span: anchor,
            message:
              `This statement trusts an OIDC provider but allows only ${actionList || 'no action'}. Pods exchange their token ` +
              `with \`sts:AssumeRoleWithWebIdentity\`, which this statement does not allow, so STS answers ` +
              `\`AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity\`. Set the action to \`sts:AssumeRoleWithWebIdentity\`.`,
            payload: { fix: 'action', policy, statement },
          });
          return;
        }
        const webIdentityAction = statement.actions.find((a) => {
          const t = knownText(a.value);
          return t !== undefined && !t.includes('*') && globMatch(t.toLowerCase(), WEB_IDENTITY_ACTION.toLowerCase());
        });
        if (!webIdentityAction || federated.length > 0 || !statement.principalsComplete || statement.principals.length === 0) return;
        const types = [...new Set(statement.principals.map((p) => p.type))].join(', ');
        report({
          span: webIdentityAction.span,
          message:
            `\`sts:AssumeRoleWithWebIdentity\` is only valid with a \`Federated\` principal, but this statement names ${types}. ` +
            `No web identity token can use it. For IRSA, set \`Principal.Federated\` to the cluster's OIDC provider ARN; ` +
            `for ${types} principals, use \`sts:AssumeRole\`.`,
          payload: { fix: 'principal', policy, statement, action: webIdentityAction },
        });
      },
      report,
    );
  },
  fixes(payload, finding, context) {
    const { policy, statement } = payload;
    if (policy.generated) return [];
    if (payload.fix === 'action') {
      if (!statement.actionsComplete || conditionsForClaim(statement, 'sub').length === 0) return [];
      const assume = statement.actions.filter((a) => /^sts:AssumeRole$/i.test(knownText(a.value) ?? ''));
      const action = assume.length === 1 ? assume[0] : statement.actions.length === 1 ? statement.actions[0] : undefined;
      const fix = action && setAction(context, policy, action, WEB_IDENTITY_ACTION, finding.span.uri);
      return fix ? [{ ...fix, preferred: true }] : [];
    }
    if (!statement.conditionsComplete || statement.conditions.length > 0 || !statement.actionsComplete || !statement.principals.every((p) => p.type === 'Service')) return [];
    const fix = setAction(context, policy, payload.action, 'sts:AssumeRole', finding.span.uri);
    return fix ? [fix] : [];
  },
});

function setAction(context: FixContext, policy: TrustPolicy, action: LStr, value: string, uri: string): Fix | undefined {
  const syntax = policySyntax(policy);
  const target = syntax && editableString(context, action, { span: policy.span, syntax });
  if (!target || knownText(action.value) === value) return undefined;
  return { title: `Set the action to \`${value}\`${elsewhere(target, uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, value) }]) };
}
