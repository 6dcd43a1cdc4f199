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
import type { ModuleContext, ResourceBlock, TerraformFile } from '../context';
import { addressMentions } from '../references';

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
  const isThisRole = (target: RoleTarget): boolean | undefined => {
    if (target.symbolOwner !== undefined) return target.symbolOwner === owner;
    if (target.text === undefined) return undefined;
    return nameText === undefined ? undefined : target.text === nameText;
  };
  const index = directoryIndex(ctx);
  const read: Block[] = [];
  for (const r of index.attachments) {
    const verdicts = r.targets.map(isThisRole);
    if (!verdicts.includes(true)) {
      // An attachment to a role the tool cannot tell: it may be this one.
      if (verdicts.includes(undefined) || !r.targetsComplete) complete = false;
      continue;
    }
    read.push(r.resource.block);
    if (!r.attachment) {
      complete = false;
      continue;
    }
    const policies = policiesOf(ctx, r.resource, r.attachment);
    arns.push(...policies.items.map((p) => p.value));
    complete &&= policies.complete;
  }
  if (complete && nameLeaves(ctx.files, address, read)) complete = false;
  // A role the directory attaches nothing to has its policies managed elsewhere (another stack, the console): not known.
  if (arns.length === 0) complete = false;
  return { arns, complete };
}

/** A role an attachment names, evaluated once per directory: a `role-name` symbol's owner, or its known text. */
interface RoleTarget {
  readonly symbolOwner?: string;
  readonly text?: string;
}

interface AttachmentEntry {
  readonly resource: ResourceBlock;
  /** Undefined for an inline policy resource. */
  readonly attachment?: Attachment;
  readonly targets: readonly RoleTarget[];
  readonly targetsComplete: boolean;
}

interface DirectoryIndex {
  readonly attachments: readonly AttachmentEntry[];
}

type Attachment = typeof ATTACHMENTS extends ReadonlyMap<string, infer A> ? A : never;

/**
 * What every role of a directory asks: its attachment and inline policy
 * resources with the roles they name.
 * Built once per directory (a directory of hundreds of roles and as many
 * attachments read them all for each role before).
 */
const indexes = new WeakMap<ModuleContext, DirectoryIndex>();

function directoryIndex(ctx: ModuleContext): DirectoryIndex {
  const cached = indexes.get(ctx);
  if (cached) return cached;
  const attachments: AttachmentEntry[] = [];
  for (const r of ctx.resources.values()) {
    const attachment = ATTACHMENTS.get(r.type);
    const inline = INLINE.get(r.type);
    if (!attachment && !inline) continue;
    const roleAttr = attribute(r.block, attachment?.role ?? inline!);
    const targets = attachment?.roleList ? ctx.list(roleAttr, r.file) : { items: roleAttr ? [ctx.str(roleAttr, r.file)!] : [], complete: roleAttr !== undefined };
    attachments.push({ resource: r, ...(attachment ? { attachment } : {}), targets: targets.items.map((t) => roleTarget(t.value)), targetsComplete: targets.complete });
  }
  const index = { attachments };
  indexes.set(ctx, index);
  return index;
}

function roleTarget(value: StrValue): RoleTarget {
  const only = value.segments.length === 1 ? value.segments[0] : undefined;
  if (only?.kind === 'symbol' && only.symbol === 'role-name') return { symbolOwner: only.owner };
  const text = knownText(value);
  return text === undefined ? {} : { text };
}

function policiesOf(ctx: ModuleContext, r: ResourceBlock, attachment: Attachment): { readonly items: readonly { readonly value: StrValue }[]; readonly complete: boolean } {
  const attr = attribute(r.block, attachment.policy);
  if (attachment.policyList) return ctx.list(attr, r.file);
  const one = ctx.str(attr, r.file);
  return { items: one ? [one] : [], complete: attr !== undefined };
}

/** Whether the directory uses the role's name, id or whole object outside the attachments read (a module or an output could attach more). */
function nameLeaves(files: readonly TerraformFile[], address: string, read: readonly Block[]): boolean {
  for (const { file, at } of addressMentions(files, address)) {
    const text = file.lines.text;
    const before = at > 0 ? text[at - 1]! : '';
    const rest = text.slice(at + address.length, at + address.length + 6);
    if (/[\w.-]/.test(before)) continue;
    if (rest.startsWith('.arn') || rest.startsWith('.unique_id')) continue;
    if (read.some((b) => b.start <= at && at < b.end && file.hcl.blocks.includes(b))) continue;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const line = text.slice(lineStart, at).trim();
    if (line.startsWith('#') || line.startsWith('//')) continue;
    return true;
  }
  return false;
}
