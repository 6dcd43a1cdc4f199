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
 */
import type { Range, Span } from '../common/text';
import type { WorkspaceModel } from '../index/model';
import { serviceAccountsTrustedBy } from '../index/links';
import { roleReferences } from './references';

export interface RoleLens {
  readonly range: Range;
  readonly title: string;
  /** What the lens shows when clicked: the ServiceAccounts that use or are trusted by the role. */
  readonly locations: readonly Span[];
}

export function codeLenses(model: WorkspaceModel, uri: string): readonly RoleLens[] {
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
  }
  return out;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
