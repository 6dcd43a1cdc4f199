import { moduleInstanceOf, where } from '../index/describe';
import { conditionsForClaim } from '../index/irsa';
import { pinnedSubjects } from '../index/shared-roles';
import { forEachEksStatement } from './support/memo';
import { defineRule } from './types';

const ID = 'trust-shared-role';

/** One statement pinned to several ServiceAccounts: each gets the union of what the others need. */
export const rule = defineRule({
  meta: { id: ID, defaultSeverity: 'warning', title: 'One trust statement admits several ServiceAccounts' },
  check(model, report) {
    forEachEksStatement(
      model,
      ID,
      [],
      ({ policy, statement }, report) => {
        const distinct = pinnedSubjects(statement);
        if (distinct.length < 2) return;
        // terraform-aws-modules/iam: the subjects are a module input; point at it rather than at the provider input the key comes from.
        const fromModule = policy.origin === 'iam-module';
        const condition = conditionsForClaim(statement, 'sub').find((c) => c === distinct[0]!.condition);
        const fix = fromModule
          ? 'Instantiate the module once per ServiceAccount (for example with `for_each`), each admitting one ServiceAccount.'
          : 'Give each ServiceAccount its own role with one pinned subject.';
        // In a local module called several times, say which call's role this is.
        const instance = model.rolesOfTrustPolicy(policy).map((r) => moduleInstanceOf(model, r)).find((i) => i !== undefined);
        report({
          span: fromModule || !condition ? distinct[0]!.span : condition.key.span,
          message:
            `This statement${instance !== undefined ? ` (of \`${instance.address}\`${instance.call ? `, called at ${where(instance.call.span)}` : ''})` : ''} admits ${distinct.length} ServiceAccounts (${distinct.map((d) => `\`${d.value}\``).join(', ')}): each of them gets every ` +
            `permission the role holds for the others, and a compromise of one exposes them all. ${fix}`,
          related: [
            ...distinct.map((d) => ({ span: d.span, message: `admits ${d.value}` })),
            ...(instance?.call ? [{ span: instance.call.span, message: `the call of ${instance.address}` }] : []),
          ],
        });
      },
      report,
    );
  },
});
