import { display, displayOwner } from '../common/value';
import type { ServiceAccount } from '../facts/types';
import { where } from '../index/describe';
import { sharedRoleGroups } from '../index/shared-roles';
import { defineRule } from './types';

/** One role ARN on several ServiceAccounts: least privilege wants one role per ServiceAccount. */
export const rule = defineRule({
  meta: { id: 'sa-shared-role', defaultSeverity: 'warning', title: 'One role ARN is used by several ServiceAccounts' },
  check(model, report) {
    for (const list of sharedRoleGroups(model)) {
      for (const { sa, id } of list) {
        const others = list.filter((x) => x.id !== id);
        report({
          span: sa.roleArn!.span,
          message:
            `Role ${roleLabelOf(sa)} is also used by ${[...new Set(others.map((o) => `\`${o.id}\``))].join(', ')}: every one of these ServiceAccounts gets the ` +
            `permissions all the others need, and the trust policy must admit them all. Give \`${id}\` a role of its own.`,
          related: others.map((o) => ({ span: o.sa.roleArn!.span, message: `${o.id} (${where(o.sa.span)})` })),
        });
      }
    }
  },
});

/** The role as the user wrote it: the ARN, or the Terraform address it references. */
function roleLabelOf(sa: ServiceAccount): string {
  const value = sa.roleArn!.value;
  const first = value.segments[0];
  if (value.segments.length === 1 && first?.kind === 'symbol') return `\`${displayOwner(first.owner)}\``;
  return `\`${display(value)}\``;
}
