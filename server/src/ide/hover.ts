/**
 * Hover on the two ends of an IRSA link: a `sub` value (which ServiceAccounts
 * it admits, and whether each of them uses this role) and a role ARN (the
 * role, how it was linked, whether its trust admits this ServiceAccount).
 * A pure builder: the LSP layer registers one hover handler that can merge
 * this with other providers' contents.
 */
import type { Position, Range, Span } from '../common/text';
import { relativeUri } from '../common/uri';
import { display, knownText } from '../common/value';
import type { Role, ServiceAccount, TrustPolicy } from '../facts/types';
import { subjectOfServiceAccount } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { describeServiceAccount } from '../index/describe';
import { linkDescription, roleLabel } from '../index/describe';
import { serviceAccountsMatchingSub, trustVerdict } from '../index/links';
import { locate, type Target } from '../index/locate';

export interface HoverContent {
  /** Markdown. */
  readonly markdown: string;
  readonly range: Range;
}

export interface HoverOptions {
  /** Workspace folder of the hovered file: paths are shown relative to it. */
  readonly rootUri?: string;
}

export function hover(model: WorkspaceModel, uri: string, position: Position, options: HoverOptions = {}): HoverContent | undefined {
  const target = locate(model, uri, position);
  if (!target) return undefined;
  const place = (span: Span): string => placeOf(span, options.rootUri);
  switch (target.kind) {
    case 'sub':
      return { markdown: subHover(model, target, place), range: target.value.span.range };
    case 'role-arn':
      return { markdown: roleArnHover(model, target.sa, place), range: target.value.span.range };
    default:
      return undefined;
  }
}

function subHover(model: WorkspaceModel, target: Extract<Target, { kind: 'sub' }>, place: (span: Span) => string): string {
  const lines = [`**IRSA subject** \`${display(target.value.value)}\` (${target.condition.operator.value})`, ''];
  const matches = serviceAccountsMatchingSub(model, target.condition, target.value);
  if (matches.valueUnknown) {
    lines.push('The value (or its operator) is not known statically: which ServiceAccounts it admits is unknown.');
    return lines.join('\n');
  }
  const ownRoles = model.rolesOfTrustPolicy(target.policy);
  if (matches.serviceAccounts.length === 0) lines.push('No ServiceAccount of the workspace has this subject.');
  else {
    lines.push(`Admits ${count(matches.serviceAccounts.length, 'ServiceAccount')} of the workspace:`, '');
    for (const sa of matches.serviceAccounts) lines.push(`- \`${describeServiceAccount(sa)}\` (${place(sa.span)}): ${linkStatus(model, sa, ownRoles, target.policy)}`);
  }
  if (matches.undetermined.length > 0) lines.push('', `${count(matches.undetermined.length, 'ServiceAccount')} with a computed namespace or name may match too.`);
  return lines.join('\n');
}

/** Whether the ServiceAccount uses a role of this trust policy, another role, or none. */
function linkStatus(model: WorkspaceModel, sa: ServiceAccount, ownRoles: readonly Role[], policy: TrustPolicy): string {
  if (!sa.roleArn) return sa.annotationsComplete ? 'not annotated with a role ARN' : 'its annotations are computed: its role is unknown';
  const links = model.roleLinks(sa);
  if (links.length === 0) return `its role ARN \`${display(sa.roleArn.value)}\` names no role of the workspace (unknown whether it is this one)`;
  const own = links.find((l) => ownRoles.includes(l.role) || model.trustPolicyOfRole(l.role) === policy);
  if (own) return `uses this role (${linkDescription(own, model)})`;
  return `uses another role: ${links.map((l) => roleLabel(l.role)).join(', ')}`;
}

function roleArnHover(model: WorkspaceModel, sa: ServiceAccount, place: (span: Span) => string): string {
  const arn = sa.roleArn!;
  const lines = [`**IRSA role of** \`${describeServiceAccount(sa)}\``, ''];
  const links = model.roleLinks(sa);
  if (links.length === 0) {
    const text = knownText(arn.value);
    lines.push(
      text === undefined
        ? `The role ARN \`${display(arn.value)}\` is computed and links to no role of the workspace: whether its trust admits this ServiceAccount is unknown.`
        : `No role of the workspace matches \`${text}\`: it is created elsewhere, so whether its trust admits this ServiceAccount is unknown.`,
    );
    return lines.join('\n');
  }
  const subject = subjectOfServiceAccount(sa);
  for (const link of links) {
    lines.push(`- Role ${roleLabel(link.role)} (${place(link.role.span)}), linked ${linkDescription(link, model)}.`);
    const verdict = trustVerdict(model, link.role, sa);
    const who = subject !== undefined ? `\`${subject}\`` : 'this ServiceAccount';
    const policy = model.trustPolicyOfRole(link.role);
    const at = policy ? ` (${place(policy.span)})` : '';
    if (verdict.kind === 'admits') lines.push(`  Its trust policy${at} admits ${who}.`);
    else if (verdict.kind === 'rejects') lines.push(`  Its trust policy${at} does **not** admit ${who}: pods get \`AccessDenied\` from STS.`);
    else lines.push(`  Unknown whether its trust policy${at} admits ${who}: ${verdict.why}.`);
  }
  return lines.join('\n');
}

/** `[k8s/sa.yaml:4](file:///…/k8s/sa.yaml#L4)`: relative path and 1-based line, as a link. */
export function placeOf(span: Span, rootUri: string | undefined): string {
  const line = span.range.start.line + 1;
  const path = rootUri ? relativeUri(rootUri, span.uri) : decodeURIComponent(span.uri.slice(span.uri.lastIndexOf('/') + 1));
  return `[${path}:${line}](${span.uri}#L${line})`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
