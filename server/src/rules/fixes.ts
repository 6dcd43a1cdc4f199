/**
 * The two ways fixes are asked for: the fixes of one finding (the
 * lightbulb) and the fixes of a whole file (`source.fixAll.irsa`, fix on
 * save, `irsa-lint --fix`). Each finding's fixes come from its own rule
 * (`Rule.fixes`); this module enforces the contract's mechanics.
 */
import { editsConflict, invalidEdits } from '../edit/edits';
import type { Fix, FixContext, TextEdit } from '../edit/types';
import type { Workspace } from '../index/workspace';
import { ruleById } from './registry';
import type { Finding } from './types';

/**
 * The fixes for one finding. A rule whose fixes throw or return an edit that
 * cannot apply costs its fixes, not the request: `onError` hears why.
 * Enforces the contract's mechanics: at most one preferred fix, never a
 * widening one.
 */
export function fixesFor(finding: Finding, workspaceContext: FixContext, onError?: (message: string) => void): readonly Fix[] {
  const rule = ruleById(finding.ruleId);
  if (!rule?.meta.fixable) return [];
  // A runbook's finding came from its own model (`Workspace.islands`).
  const model = workspaceContext.modelFor?.(finding.span.uri);
  const context = model && model !== workspaceContext.model ? { ...workspaceContext, model } : workspaceContext;
  let fixes: readonly Fix[];
  try {
    fixes = rule.fixes(finding, context);
  } catch (e) {
    onError?.(`The ${finding.ruleId} fixes failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return [];
  }
  const valid: Fix[] = [];
  let preferredSeen = false;
  for (const fix of fixes) {
    const problem = fixProblem(fix, context);
    if (problem) {
      onError?.(`Dropped the ${finding.ruleId} fix "${fix.title}": ${problem}.`);
      continue;
    }
    const preferred: boolean = fix.preferred === true && !fix.widens && !preferredSeen;
    preferredSeen ||= preferred;
    valid.push(preferred === (fix.preferred === true) ? fix : { ...fix, preferred });
  }
  return valid;
}

function fixProblem(fix: Fix, context: FixContext): string | undefined {
  if (fix.changes.length === 0) return 'it changes nothing';
  for (const change of fix.changes) {
    if (change.kind === 'create') {
      if (context.exists(change.uri)) return `it would overwrite ${change.uri}`;
      continue;
    }
    const text = context.text(change.uri);
    if (text === undefined) return `it edits ${change.uri}, which is not in the workspace`;
    const problem = invalidEdits(text, change.edits);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * One fix holding the preferred fix of every finding in `uri` whose edits
 * stay in that file, skipping any that would touch text an earlier one
 * edits (the next run picks it up). Undefined when there is nothing to fix.
 */
export function fixAllInFile(uri: string, findings: readonly Finding[], context: FixContext, onError?: (message: string) => void): Fix | undefined {
  const edits: TextEdit[] = [];
  let count = 0;
  for (const finding of findings) {
    if (finding.span.uri !== uri) continue;
    const preferred = fixesFor(finding, context, onError).find((f) => f.preferred);
    if (!preferred || preferred.snippet || !preferred.changes.every((c) => c.kind === 'edit' && c.uri === uri)) continue;
    const candidate = preferred.changes.flatMap((c) => (c.kind === 'edit' ? c.edits : []));
    if (editsConflict([...edits, ...candidate])) continue;
    edits.push(...candidate);
    count++;
  }
  if (count === 0) return undefined;
  return { title: count === 1 ? 'Fix the IRSA problem in this file' : `Fix ${count} IRSA problems in this file`, changes: [{ kind: 'edit', uri, edits }], preferred: true };
}

/** The context for fixes of the workspace as it is now. */
export function fixContextOf(workspace: Workspace): FixContext {
  return { model: workspace.model(), modelFor: (uri) => workspace.modelFor(uri), exists: (uri) => workspace.has(uri), text: (uri) => workspace.text(uri), lines: (uri) => workspace.lines(uri) };
}
