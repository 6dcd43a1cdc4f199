/**
 * The managed policies a Terraform directory attaches to an `aws_iam_role`:
 * its `managed_policy_arns`, and the attachment resources that name it
 * (`aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`,
 * `aws_iam_role_policy_attachments_exclusive`). `trust-sub-common-account`
 * reads them to tell the VPC CNI's role (AmazonEKS_CNI_Policy) from a copy.
 *
 * The list is complete only when the directory attaches at least one
 * managed policy and nothing else could attach one: no
 * inline policy (its permissions may be the CNI's), no attachment whose role
 * or policy is computed, and no use of the role's name or the whole role
 * (`aws_iam_role.x.name`, `.id`, `aws_iam_role.x`) outside the attachments
 * read, through which a module or another directory could attach more.
 */
import type { StrValue } from '../../common/value';
import { knownText } from '../../common/value';
import type { ManagedPolicies } from '../../facts/types';
import { attribute, type Block } from '../../parse/hcl';
import type { ModuleContext, TerraformFile } from '../context';

/** Attachment resource type → the attribute naming the role(s) (`list`: a list of names) and the one(s) naming the policies. */
const ATTACHMENTS: ReadonlyMap<string, { readonly role: string; readonly roleList: boolean; readonly policy: string; readonly policyList: boolean }> = new Map([
  ['aws_iam_role_policy_attachment', { role: 'role', roleList: false, policy: 'policy_arn', policyList: false }],
  ['aws_iam_policy_attachment', { role: 'roles', roleList: true, policy: 'policy_arn', policyList: false }],
  ['aws_iam_role_policy_attachments_exclusive', { role: 'role_name', roleList: false, policy: 'policy_arns', policyList: true }],
]);

/** Inline policy resources: attached to the role, their permissions unread. */
const INLINE = new Map([
  ['aws_iam_role_policy', 'role'],
  ['aws_iam_role_policies_exclusive', 'role_name'],
]);

export function managedPoliciesOfRole(ctx: ModuleContext, address: string, owner: string, name: StrValue, block: Block, file: TerraformFile): ManagedPolicies {
  const arns: StrValue[] = [];
  let complete = true;
  const managed = ctx.list(attribute(block, 'managed_policy_arns'), file);
  arns.push(...managed.items.map((i) => i.value));
  complete &&= managed.complete;
  if (block.blocks.some((b) => b.type === 'inline_policy' || (b.type === 'dynamic' && b.labels[0] === 'inline_policy'))) complete = false;
  const nameText = knownText(name);
  /** Whether a role name value is this role: yes, no, or maybe (computed). */
  const isThisRole = (value: StrValue): boolean | undefined => {
    const only = value.segments.length === 1 ? value.segments[0] : undefined;
    if (only?.kind === 'symbol' && only.symbol === 'role-name') return only.owner === owner;
    const text = knownText(value);
    if (text === undefined) return undefined;
    return nameText === undefined ? undefined : text === nameText;
  };
  const read: Block[] = [];
  for (const r of ctx.resources.values()) {
    const attachment = ATTACHMENTS.get(r.type);
    const inline = INLINE.get(r.type);
    if (!attachment && !inline) continue;
    const roleAttr = attribute(r.block, attachment?.role ?? inline!);
    const targets = attachment?.roleList ? ctx.list(roleAttr, r.file) : { items: roleAttr ? [ctx.str(roleAttr, r.file)!] : [], complete: roleAttr !== undefined };
    const verdicts = targets.items.map((t) => isThisRole(t.value));
    if (!verdicts.includes(true)) {
      // An attachment to a role the tool cannot tell: it may be this one.
      if (verdicts.includes(undefined) || !targets.complete) complete = false;
      continue;
    }
    read.push(r.block);
    if (inline || !attachment) {
      complete = false;
      continue;
    }
    const policies = attachment.policyList ? ctx.list(attribute(r.block, attachment.policy), r.file) : { items: [ctx.str(attribute(r.block, attachment.policy), r.file)].filter((p) => p !== undefined), complete: attribute(r.block, attachment.policy) !== undefined };
    arns.push(...policies.items.map((p) => p.value));
    complete &&= policies.complete;
  }
  if (complete && nameLeaves(ctx.files, address, read)) complete = false;
  // A role the directory attaches nothing to has its policies managed elsewhere (another stack, the console): not known.
  if (arns.length === 0) complete = false;
  return { arns, complete };
}

/** Whether the directory uses the role's name, id or whole object outside the attachments read (a module or an output could attach more). */
function nameLeaves(files: readonly TerraformFile[], address: string, read: readonly Block[]): boolean {
  for (const file of files) {
    const text = file.lines.text;
    for (let at = text.indexOf(address); at >= 0; at = text.indexOf(address, at + address.length)) {
      const before = at > 0 ? text[at - 1]! : '';
      const rest = text.slice(at + address.length, at + address.length + 6);
      if (/[\w.-]/.test(before) || /^[\w-]/.test(rest)) continue;
      if (rest.startsWith('.arn') || rest.startsWith('.unique_id')) continue;
      if (read.some((b) => b.start <= at && at < b.end && file.hcl.blocks.includes(b))) continue;
      const lineStart = text.lastIndexOf('\n', at) + 1;
      const line = text.slice(lineStart, at).trim();
      if (line.startsWith('#') || line.startsWith('//')) continue;
      return true;
    }
  }
  return false;
}
