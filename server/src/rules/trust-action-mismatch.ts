import { knownText } from '../common/value';
import { globMatch, hasAction, WEB_IDENTITY_ACTION } from '../index/irsa';
import { federatedPrincipals } from './support/common';
import { forEachStatement } from './support/memo';
import type { Rule } from './types';

const ID = 'trust-action-mismatch';

/**
 * OIDC principals can only be assumed with `sts:AssumeRoleWithWebIdentity`;
 * that action with only AWS/Service principals admits no one.
 */
export const rule: Rule = {
  meta: { id: ID, defaultSeverity: 'error', title: 'Federated principal and sts:AssumeRoleWithWebIdentity do not go together' },
  check(model, report) {
    forEachStatement(
      model,
      ID,
      [model.oidcProviders],
      ({ statement }, report) => {
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
            data: { fix: 'action' },
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
          data: { fix: 'principal' },
        });
      },
      report,
    );
  },
};
