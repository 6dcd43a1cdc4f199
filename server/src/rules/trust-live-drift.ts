/**
 * `trust-live-drift`: a role the workspace declares, whose trust policy in
 * IAM (read live with `iam:GetRole` for the ARN a ServiceAccount names)
 * differs from the code: the change is not applied yet, or the policy was
 * edited by hand. Compared statement by statement as IAM reads them
 * (`canonicalStatements`), never as text, and only when every value of the
 * code's policy is known and the policy is written by the user (a module's
 * generated policy is left out: its exact statements are the module's).
 *
 * A note: an edit not yet applied is the usual cause and is normal while
 * work is in progress; what STS does with IAM's policy is judged by the
 * rules that read it (sa-role-trust-mismatch for roles read live).
 */
import type { TrustPolicy } from '../facts/types';
import { roleLabel } from '../index/describe';
import { canonicalStatements, fetchedAtText, liveRoleOf, liveTrustPolicy, quotedTrust } from '../live/roles';
import { defineRule } from './types';

export const rule = defineRule({
  meta: { id: 'trust-live-drift', defaultSeverity: 'note', title: 'Trust policy in IAM differs from the code' },
  check(model, report, { live }) {
    if (!live?.roles) return;
    const seen = new Set<TrustPolicy>();
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId) continue;
      const links = model.roleLinks(sa);
      if (links.length !== 1) continue;
      const role = liveRoleOf(live, sa);
      if (role?.kind !== 'found') continue;
      const declared = model.trustPolicyOfRole(links[0]!.role);
      if (!declared || declared.generated || seen.has(declared)) continue;
      seen.add(declared);
      const livePolicy = liveTrustPolicy(role);
      const code = canonicalStatements(declared);
      const iam = livePolicy ? canonicalStatements(livePolicy) : undefined;
      if (!code || !iam) continue;
      const onlyIam = iam.filter((s) => !code.includes(s)).length;
      const onlyCode = code.filter((s) => !iam.includes(s)).length;
      if (onlyIam === 0 && onlyCode === 0) continue;
      const differences = [onlyCode > 0 ? `${onlyCode} statement${onlyCode === 1 ? '' : 's'} here ${onlyCode === 1 ? 'is' : 'are'} not in IAM` : '', onlyIam > 0 ? `${onlyIam} in IAM ${onlyIam === 1 ? 'is' : 'are'} not here` : ''].filter((d) => d !== '');
      report({
        span: declared.span,
        message:
          `The trust policy of role ${roleLabel(links[0]!.role)} in IAM differs from this one (${differences.join('; ')}). ` +
          `STS uses IAM's policy: this change is not applied yet, or the role was edited by hand. Apply the code (terraform apply, eksctl, …), or bring IAM's change into it. ` +
          `IAM's policy (iam:GetRole, ${fetchedAtText(role.fetchedAt)}): ${quotedTrust(role)}`,
      });
    }
  },
});
