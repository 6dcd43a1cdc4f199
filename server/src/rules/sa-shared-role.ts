import { display, displayOwner, knownText } from '../common/value';
import type { ServiceAccount } from '../facts/types';
import { SUBJECT_PREFIX } from '../index/irsa';
import { subjectOfServiceAccount } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { where } from '../index/describe';
import { defineRule } from './types';

/** One role ARN on several ServiceAccounts: least privilege wants one role per ServiceAccount. */
export const rule = defineRule({
  meta: { id: 'sa-shared-role', defaultSeverity: 'warning', title: 'One role ARN is used by several ServiceAccounts' },
  check(model, report) {
    // Grouped by the role itself (an object, or the ARN text when the role is not in the workspace):
    // this runs on every edit over every ServiceAccount, so it allocates only per group.
    const groups = new Map<unknown, ServiceAccount[]>();
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn || sa.impliedRoleId || subjectOfServiceAccount(sa) === undefined) continue;
      // A module that creates the role and annotates its own chart's ServiceAccounts with it (aws-ia's
      // add-on module: an EFS CSI controller and node) shares it by its design, not the user's choice.
      if (wiredByRoleModule(sa)) continue;
      const key = roleKey(sa, model);
      if (key === undefined) continue;
      const list = groups.get(key);
      if (list) list.push(sa);
      else groups.set(key, [sa]);
    }
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      // The same account written twice (kustomize overlays, per-environment copies) is not sharing.
      const list = members.map((sa) => ({ sa, id: subjectOfServiceAccount(sa)!.slice(SUBJECT_PREFIX.length).replace(':', '/') }));
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
});

/**
 * What identifies the role: the workspace role it resolves to when there is
 * exactly one (so `aws_iam_role.x.arn` and the literal ARN of that role are
 * the same role), else the ARN text or the reference.
 */
function roleKey(sa: ServiceAccount, model: WorkspaceModel): unknown {
  const value = sa.roleArn!.value;
  const text = knownText(value);
  // An empty annotation (a chart's `role-arn: ""` placeholder) names no role.
  if (text === '') return undefined;
  const links = model.roleLinks(sa);
  if (links.length === 1 && links[0]!.by !== 'name-prefix') return links[0]!.role;
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

/** Whether the ServiceAccount is written by the module call whose own role it carries (`<call owner>#…serviceAccount`). */
function wiredByRoleModule(sa: ServiceAccount): boolean {
  const first = sa.roleArn?.value.segments[0];
  return sa.roleArn?.value.segments.length === 1 && first?.kind === 'symbol' && first.symbol === 'role-arn' && sa.id.startsWith(`${first.owner}#`);
}
