import { moduleInstanceOf, where } from '../index/describe';
import { admitsClaim, conditionsForClaim } from '../index/irsa';
import { claimValues, hasWildcard } from '../index/irsa';
import { subjectProblem } from '../index/well-formed';
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
        // Only subjects the statement certainly admits: a malformed value admits no one (trust-sub-format),
        // and several sub conditions must all hold, so a value one of them lists may still be refused.
        const subjects = claimValues(statement, 'sub').filter(
          (v) => v.semantics !== 'other' && !hasWildcard(v.value) && subjectProblem(v.value, false) === undefined && admitsClaim(statement, 'sub', v.value) === true,
        );
        const distinct = [...new Map(subjects.map((s) => [s.value, s])).values()];
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
