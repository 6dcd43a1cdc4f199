/**
 * `sa-role-missing`: the ServiceAccount is annotated with the ARN of a role
 * the workspace does not declare, and IAM, asked live (`iam:GetRole`), has
 * no such role. Reported only when the credentials are known to be for the
 * role's account (`node/aws.ts` turns `NoSuchEntity` elsewhere into
 * `unknown`): IAM answers for the caller's account only.
 *
 * A warning, not an error: the file may be right for a role that another
 * stack has yet to create; what is certain is that it does not exist now.
 */
import { knownNamespaceAndName } from '../index/irsa';
import { STS_ACCESS_DENIED } from '../index/describe';
import { fetchedAtText, liveRoleOf } from '../live/roles';
import { defineRule } from './types';

export const rule = defineRule({
  meta: { id: 'sa-role-missing', defaultSeverity: 'warning', title: "ServiceAccount's role does not exist in IAM" },
  check(model, report, { live }) {
    if (!live?.roles) return;
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId || model.roleLinks(sa).length > 0) continue;
      const role = liveRoleOf(live, sa);
      if (role?.kind !== 'missing') continue;
      const id = knownNamespaceAndName(sa);
      const who = id ? `ServiceAccount \`${id.namespace}/${id.name}\`` : 'This ServiceAccount';
      report({
        span: sa.roleArn.span,
        message:
          `${who} is annotated with role \`${role.arn}\`, which does not exist in IAM (iam:GetRole: NoSuchEntity, ${fetchedAtText(role.fetchedAt)}). ` +
          `Its pods will get ${STS_ACCESS_DENIED} from STS. Create the role, or annotate the ServiceAccount with the ARN of one that exists (check the account id and the role name).`,
      });
    }
  },
});
