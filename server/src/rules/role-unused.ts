/**
 * `role-unused`: an IRSA role that nothing in the workspace attaches. No
 * ServiceAccount, add-on or eksctl entry carries its ARN, its Terraform
 * directory never names it (no output, Helm value, template variable,
 * local or module input: `terraform/references.ts`), and its name is
 * written nowhere else. Usually its consumer was deleted or commented out,
 * and the role lingers with its permissions.
 *
 * Only roles the workspace declares in Terraform (`aws_iam_role`, the IAM
 * modules) are judged: JSON files and eksctl roles are created and attached
 * elsewhere. Being unsure means silence: a role whose name is computed is
 * judged by its address alone, and any mention of its name counts as a use.
 */
import { knownText } from '../common/value';
import type { Role } from '../facts/types';
import type { WorkspaceModel } from '../index/model';
import { roleLabel } from '../index/describe';
import { defineRule } from './types';

const ID = 'role-unused';

export const rule = defineRule({
  meta: { id: ID, defaultSeverity: 'note', title: 'IRSA role that nothing in the workspace attaches' },
  check(model, report, context) {
    const mentions = context.mentions;
    // A workspace with no ServiceAccounts (an infrastructure repository) keeps its consumers elsewhere.
    if (!mentions || model.serviceAccounts.length === 0) return;
    // A local module called twice declares its role twice at one place: one note.
    const reported = new Set<string>();
    for (const role of model.roles) {
      if (!isCandidate(model, role)) continue;
      const name = knownText(role.name);
      // Its name written in another file (a values file, a script, a manifest) may be its consumer.
      if (name !== undefined && mentions(name, role.span.uri) > 0) continue;
      const at = `${role.span.uri}#${role.span.range.start.line}`;
      if (reported.has(at)) continue;
      reported.add(at);
      report({
        span: role.span,
        message:
          `Role ${roleLabel(role)} is attached to nothing in this workspace: no ServiceAccount, add-on, output or other expression refers to it. ` +
          `A role no ServiceAccount carries is never assumed; usually its consumer was deleted or commented out, and the role keeps its permissions. ` +
          `Delete it, or, if a ServiceAccount elsewhere uses it, export its ARN as an output so the link is written down.`,
      });
    }
  },
});

/** A Terraform IRSA role whose directory never names it and that no ServiceAccount links to. */
function isCandidate(model: WorkspaceModel, role: Role): boolean {
  if (role.referenced !== false) return false;
  if (role.origin !== 'terraform' && role.origin !== 'iam-module') return false;
  const policy = model.trustPolicyOfRole(role);
  if (!policy || model.eksWebIdentityStatements(policy).length === 0) return false;
  return model.serviceAccountsOfRole(role).length === 0;
}
