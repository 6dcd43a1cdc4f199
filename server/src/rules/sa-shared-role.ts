import { display, displayOwner, knownText } from '../common/value';
import type { ServiceAccount } from '../facts/types';
import { knownNamespaceAndName, where } from './support/common';
import type { WorkspaceModel } from '../index/model';
import type { Rule } from './types';

/** One role ARN on several ServiceAccounts: least privilege wants one role per ServiceAccount. */
export const rule: Rule = {
  meta: { id: 'sa-shared-role', defaultSeverity: 'warning', title: 'One role ARN is used by several ServiceAccounts' },
  check(model, report) {
    const groups = new Map<string, { sa: ServiceAccount; id: string }[]>();
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId) continue;
      const id = knownNamespaceAndName(sa);
      if (!id) continue;
      const key = roleKey(sa, model);
      if (!key) continue;
      const list = groups.get(key) ?? [];
      list.push({ sa, id: `${id.namespace}/${id.name}` });
      groups.set(key, list);
    }
    for (const list of groups.values()) {
      // The same account written twice (kustomize overlays, per-environment copies) is not sharing.
      const distinct = new Set(list.map((x) => x.id));
      if (distinct.size < 2) continue;
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
};

/**
 * What identifies the role: the workspace role it resolves to when there is
 * exactly one (so `aws_iam_role.x.arn` and the literal ARN of that role are
 * the same role), else the ARN text or the reference.
 */
function roleKey(sa: ServiceAccount, model: WorkspaceModel): string | undefined {
  const value = sa.roleArn!.value;
  const text = knownText(value);
  // An empty annotation (a chart's `role-arn: ""` placeholder) names no role.
  if (text === '') return undefined;
  const links = model.roleLinks(sa);
  if (links.length === 1 && links[0]!.by !== 'name-prefix') return `role:${links[0]!.role.id}`;
  if (text !== undefined) return `arn:${text}`;
  const first = value.segments[0];
  if (value.segments.length === 1 && first?.kind === 'symbol' && first.symbol === 'role-arn') return `ref:${first.owner}`;
  return undefined;
}

/** The role as the user wrote it: the ARN, or the Terraform address it references. */
function roleLabelOf(sa: ServiceAccount): string {
  const value = sa.roleArn!.value;
  const first = value.segments[0];
  if (value.segments.length === 1 && first?.kind === 'symbol') return `\`${displayOwner(first.owner)}\``;
  return `\`${display(value)}\``;
}
