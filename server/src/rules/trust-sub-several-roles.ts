/**
 * `trust-sub-several-roles`: two or more roles of one issuer each pin
 * exactly the same ServiceAccount. A ServiceAccount carries one
 * `eks.amazonaws.com/role-arn`, so at most one of them is in use; the
 * others are usually copies (a role copied from the VPC CNI example keeps
 * `kube-system:aws-node`) whose subject was never changed.
 */
import { displayAddress, knownText } from '../common/value';
import { moduleInstanceOf, where } from '../index/describe';
import type { ModuleCall } from '../facts/types';
import type { WorkspaceModel } from '../index/model';
import { singlePinnedSubjects, type PinnedSubject } from '../index/pinned';
import { defineRule, type Reporter } from './types';

export const rule = defineRule({
  meta: { id: 'trust-sub-several-roles', defaultSeverity: 'warning', title: 'Several roles trust the same one ServiceAccount' },
  check(model: WorkspaceModel, report: Reporter<never>) {
    const groups = new Map<string, PinnedSubject[]>();
    for (const p of singlePinnedSubjects(model)) {
      const key = `${p.issuer}\n${p.subject}`;
      const list = groups.get(key);
      if (list) list.push(p);
      else groups.set(key, [p]);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      for (const p of group) {
        const others = group.filter((o) => o !== p);
        // In a local module, the other role's call is the place to go: its own span is this very line.
        const names = others.map((o) => `${label(o)} (${where(instanceCall(model, o)?.span ?? o.span)})`).join(', ');
        report({
          span: p.span,
          message:
            `${capitalise(names)} ${others.length === 1 ? 'pins' : 'pin'} only \`${p.subject}\` too. ` +
            `A ServiceAccount carries one role ARN, so at most one of these roles is used. ` +
            `Pods that expect another of them get its permissions nowhere. Pin each role to the ServiceAccount that uses it (a copied role often keeps the original's subject), or delete the unused role.`,
          related: others.map((o) => ({ span: instanceCall(model, o)?.span ?? o.span, message: `also pins ${o.subject}: ${label(o)}` })),
        });
      }
    }
  },
});

/** The `module` block that calls the local module instance declaring the subject's role, if it is one. */
function instanceCall(model: WorkspaceModel, p: PinnedSubject): ModuleCall | undefined {
  const role = p.roles[0];
  return role ? moduleInstanceOf(model, role)?.call : undefined;
}

/** The role (by name, else by address; or, for a standalone document, the policy file) that pins the subject. */
function label(p: PinnedSubject): string {
  const role = p.roles[0];
  if (role) {
    const name = knownText(role.name);
    return `role \`${name ?? displayAddress(role.id)}\``;
  }
  return `the trust policy in ${where(p.policy.span).replace(/:\d+$/, '')}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
