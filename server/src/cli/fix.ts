/**
 * `--fix`: the preferred fix of every finding, applied pass after pass
 * until nothing changes, in the manner of `eslint --fix`. Only fixes that
 * repair without guessing run unattended: preferred, never widening, no
 * snippet placeholders, edits to existing files only (no new files). A fix
 * may edit another file than its finding's (a variable's default): the
 * registry lets only a preferred fix do that for certain. Pure over the
 * workspace; writing the files is the caller's business.
 */
import { analyze, type AnalysisOptions } from '../analysis';
import { applyEdits, editsConflict } from '../edit/edits';
import { fixContextOf, fixesFor } from '../rules/fixes';
import type { Fix, TextEdit } from '../edit/types';
import type { Workspace } from '../index/workspace';
import type { Finding } from '../rules/types';

const MAX_FIX_PASSES = 10;

export interface FixOutcome {
  /** Each changed file's text as loaded and as fixed, by URI, in first-changed order. */
  readonly files: ReadonlyMap<string, { readonly before: string; readonly after: string }>;
  /** How many fixes were applied. */
  readonly fixed: number;
}

/**
 * Applies fixes to `workspace` in place. `select` says which findings may
 * be fixed (`--quiet` fixes only the errors it reports); `canEdit` which
 * files a fix may touch (one that touches another is skipped whole).
 */
export function fixWorkspace(workspace: Workspace, options: AnalysisOptions, select: (finding: Finding) => boolean = () => true, canEdit: (uri: string) => boolean = () => true): FixOutcome {
  const original = new Map<string, string>();
  let fixed = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const { findings } = analyze(workspace, options);
    const context = fixContextOf(workspace);
    const editsByUri = new Map<string, TextEdit[]>();
    let applied = 0;
    for (const finding of findings) {
      if (!select(finding)) continue;
      const fix = fixesFor(finding, context).find((f) => f.preferred);
      if (!fix || !isCertainFix(fix) || !fix.changes.every((c) => canEdit(c.uri))) continue;
      // All of a fix's edits or none: one that overlaps an accepted edit waits for the next pass.
      const candidate = fix.changes.flatMap((c) => (c.kind === 'edit' ? [{ uri: c.uri, edits: c.edits }] : []));
      if (candidate.some(({ uri, edits }) => editsConflict([...(editsByUri.get(uri) ?? []), ...edits]))) continue;
      for (const { uri, edits } of candidate) editsByUri.set(uri, [...(editsByUri.get(uri) ?? []), ...edits]);
      applied++;
    }
    let changed = false;
    for (const [uri, edits] of editsByUri) {
      const before = workspace.text(uri);
      if (before === undefined) continue;
      const after = applyEdits(before, edits);
      if (after === before) continue;
      if (!original.has(uri)) original.set(uri, before);
      workspace.setFile(uri, after);
      changed = true;
    }
    if (!changed) break;
    fixed += applied;
  }
  const files = new Map<string, { before: string; after: string }>();
  for (const [uri, before] of original) {
    const after = workspace.text(uri);
    if (after !== undefined && after !== before) files.set(uri, { before, after });
  }
  return { files, fixed };
}

/**
 * A fix that may run unattended (`--fix`, SARIF `fixes`): the preferred one,
 * never widening, without snippet placeholders, editing existing files only.
 */
export function isCertainFix(fix: Fix): boolean {
  return fix.preferred === true && !fix.widens && !fix.snippet && fix.changes.length > 0 && fix.changes.every((c) => c.kind === 'edit');
}
