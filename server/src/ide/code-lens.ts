/**
 * Two lenses on each role: "trusted by N ServiceAccounts" and "used by M",
 * each opening its own list.
 *
 * - trusted by: ServiceAccounts of the workspace whose subject the role's
 *   trust policy certainly admits (an EKS web-identity statement whose `sub`
 *   conditions match it), whatever role they use;
 * - used by: ServiceAccounts whose role ARN links to this role (by
 *   reference, name or name prefix), whatever its trust says.
 *
 * A role whose trust policy is not in the workspace, or is computed, says
 * so instead of a count; ServiceAccounts the trust might admit (computed parts) are counted
 * apart, never as trusted.
 *
 * With live facts, a third lens says what IAM holds for the role's ARN (as
 * its ServiceAccounts write it): its policies, or that it does not exist.
 */
import type { Range, Span } from '../common/text';
import type { WorkspaceModel } from '../index/model';
import { serviceAccountsTrustedBy } from '../index/links';
import { roleReferences } from './references';
import { fetchedAtText, liveRoleOf } from '../live/roles';
import type { LiveFacts, LiveRole } from '../live/types';

export interface RoleLens {
  readonly range: Range;
  readonly title: string;
  /** What the lens shows when clicked: the ServiceAccounts that use or are trusted by the role. */
  readonly locations: readonly Span[];
}

export function codeLenses(model: WorkspaceModel, uri: string, live?: LiveFacts): readonly RoleLens[] {
  const out: RoleLens[] = [];
  for (const role of model.roles) {
    if (role.span.uri !== uri) continue;
    const trusted = serviceAccountsTrustedBy(model, role);
    const users = roleReferences(model, [role], false);
    // A JSON trust file's role spans the file: the lenses go on its first line.
    const range = { start: role.span.range.start, end: role.span.range.start.line === role.span.range.end.line ? role.span.range.end : role.span.range.start };
    // Two lists, two lenses: a click shows the list its title counts.
    // A trust the analysis knows is computed (a version to choose, an expression) is not missing: say which.
    if (!trusted) out.push({ range, title: role.trust.kind === 'unknown' ? 'trust policy unknown' : 'trust policy not in the workspace', locations: [] });
    else {
      const undetermined = trusted.undetermined > 0 ? ` (${trusted.undetermined} undetermined)` : '';
      out.push({ range, title: `trusted by ${plural(trusted.admitted.length, 'ServiceAccount')}${undetermined}`, locations: trusted.admitted.map((sa) => sa.span) });
    }
    out.push({ range, title: `used by ${users.length}`, locations: users });
    const iam = live?.roles ? liveRoleOfUsers(model, role, live) : undefined;
    if (iam) out.push({ range, title: liveTitle(iam), locations: [] });
  }
  return out;
}

/** What IAM said about the ARN this role's ServiceAccounts carry (the first answered). */
function liveRoleOfUsers(model: WorkspaceModel, role: Parameters<WorkspaceModel['serviceAccountsOfRole']>[0], live: LiveFacts): Exclude<LiveRole, { kind: 'unknown' }> | undefined {
  for (const sa of model.serviceAccountsOfRole(role)) {
    const found = liveRoleOf(live, sa);
    if (found && found.kind !== 'unknown') return found;
  }
  return undefined;
}

function liveTitle(role: Exclude<LiveRole, { kind: 'unknown' }>): string {
  if (role.kind === 'missing') return `IAM: no such role (${fetchedAtText(role.fetchedAt)})`;
  return `IAM: ${plural(role.attachedPolicies.length, 'managed policy')}, ${plural(role.inlinePolicies.length, 'inline policy')} (${fetchedAtText(role.fetchedAt)})`;
}

function plural(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : noun.replace(/y$/, 'ie')}${n === 1 ? '' : 's'}`;
}
