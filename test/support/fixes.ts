/**
 * Checking a quick fix, in the manner of rust-analyzer's `check_fix`: a
 * fixture workspace before (with its `//- live` facts, if any), the fix to apply (by rule and title), and the
 * text of every file it changes after. Beyond the text, every fix must keep
 * the contract in `server/src/edit/types.ts`:
 * - applied, its finding is gone and no finding appears that was not there;
 * - it is not offered again (idempotent);
 * - a fix that widens a trust policy says so in its title and is not preferred.
 *
 *     checkFix({
 *       rule: 'trust-condition-key-scheme',
 *       title: 'Remove `https://` from the condition key',
 *       before: `//- /trust.json ...`,
 *       after: `//- /trust.json ...`,   // only the files the fix changes
 *     });
 */
import * as assert from 'node:assert/strict';
import { analyze, type AnalysisOptions } from '../../server/src/analysis';
import { applyFix } from '../../server/src/edit/edits';
import { fixContextOf, fixesFor } from '../../server/src/rules/fixes';
import type { Fix } from '../../server/src/edit/types';
import type { Workspace } from '../../server/src/index/workspace';
import type { Finding } from '../../server/src/rules/types';
import { FIXTURE_ROOT, parseFixture, workspaceOf } from './fixture';

export interface FixCase {
  readonly rule: string;
  /** The title of the fix to apply, exactly as offered. */
  readonly title: string;
  /** The workspace, in fixture format (annotations are allowed and ignored). */
  readonly before: string;
  /** The files the fix changes or creates, in fixture format, with their whole text after the fix. */
  readonly after: string;
  /** Which of the rule's findings (in analysis order) when it reports several. */
  readonly finding?: number;
  /** Whether the fix must be the preferred one; checked only when given. */
  readonly preferred?: boolean;
  /**
   * Rule ids of findings a widening fix knowingly brings: the warning about
   * the access it grants (StringLike brings `trust-sub-wildcard`). Only a
   * fix marked `widens` may bring any.
   */
  readonly brings?: readonly string[];
}

export interface FixResult {
  readonly fix: Fix;
  readonly workspace: Workspace;
  readonly findingsAfter: readonly Finding[];
}

/** The fixes offered for the rule's chosen finding. */
export function offeredFixes(
  before: string,
  rule: string,
  index?: number,
): { workspace: Workspace; finding: Finding; findings: readonly Finding[]; fixes: readonly Fix[]; options: AnalysisOptions } {
  const fixture = parseFixture(before);
  const workspace = workspaceOf(fixture);
  const options = fixture.live ? { live: fixture.live } : {};
  const { findings, failures } = analyze(workspace, options);
  assert.deepEqual(failures, [], 'a rule threw');
  const own = findings.filter((f) => f.ruleId === rule);
  if (index === undefined) assert.equal(own.length, 1, `expected exactly one ${rule} finding, got:\n${describe(findings)}`);
  const finding = own[index ?? 0];
  assert.ok(finding, `no ${rule} finding #${index ?? 0}; findings:\n${describe(findings)}`);
  const errors: string[] = [];
  const fixes = fixesFor(finding, fixContextOf(workspace), (m) => errors.push(m));
  assert.deepEqual(errors, [], 'the fix provider reported errors');
  return { workspace, finding, findings, fixes, options };
}

export function checkFix(c: FixCase): FixResult {
  const { workspace, finding, findings, fixes, options } = offeredFixes(c.before, c.rule, c.finding);
  const fix = fixes.find((f) => f.title === c.title);
  assert.ok(fix, `fix "${c.title}" not offered; offered: ${JSON.stringify(fixes.map((f) => f.title))}`);
  if (c.preferred !== undefined) assert.equal(fix.preferred === true, c.preferred, `preferred of "${fix.title}"`);
  if (fix.widens) {
    assert.match(fix.title, /widen/i, 'a fix that widens the trust policy must say so in its title');
    assert.notEqual(fix.preferred, true, 'a widening fix is never preferred');
  }

  const changed = applyFix((uri) => workspace.text(uri), fix);
  const expected = parseFixture(c.after).files;
  assert.deepEqual([...changed.keys()].map(path).sort(), [...expected.keys()].map(path).sort(), 'the files the fix changes');
  for (const [uri, text] of expected) assert.equal(changed.get(uri), text, `text of ${path(uri)} after "${fix.title}"`);

  for (const [uri, text] of changed) workspace.setFile(uri, text);
  const after = analyze(workspace, options);
  assert.deepEqual(after.failures, [], 'a rule threw after the fix');
  const key = (f: Finding): string => `${f.ruleId} ${path(f.span.uri)}: ${f.message}`;
  const beforeKeys = new Set(findings.map(key));
  const fresh = after.findings.filter((f) => !beforeKeys.has(key(f)));
  if (c.brings?.length) assert.ok(fix.widens, 'only a widening fix may bring findings');
  assert.deepEqual(fresh.filter((f) => !c.brings?.includes(f.ruleId)).map(key), [], `"${fix.title}" brought new findings`);
  for (const id of c.brings ?? []) assert.ok(fresh.some((f) => f.ruleId === id), `"${fix.title}" was expected to bring ${id}`);
  const stillThere = after.findings.filter((f) => key(f) === key(finding));
  assert.ok(stillThere.length < findings.filter((f) => key(f) === key(finding)).length, `"${fix.title}" did not remove its finding: ${key(finding)}`);

  const context = fixContextOf(workspace);
  for (const f of after.findings) {
    assert.ok(!fixesFor(f, context).some((g) => g.title === fix.title && f.span.uri === finding.span.uri && f.ruleId === c.rule), `"${fix.title}" is offered again after it was applied`);
  }
  return { fix, workspace, findingsAfter: after.findings };
}

/** Asserts that no fix (or none with this title) is offered: for the cases where a fix would guess. */
export function checkNoFix(before: string, rule: string, title?: string, index?: number): void {
  const { fixes } = offeredFixes(before, rule, index);
  const offered = title === undefined ? fixes : fixes.filter((f) => f.title === title);
  assert.deepEqual(offered.map((f) => f.title), [], 'no fix should be offered');
}

function path(uri: string): string {
  return decodeURIComponent(uri.slice(FIXTURE_ROOT.length));
}

function describe(findings: readonly Finding[]): string {
  return findings.map((f) => `  ${f.ruleId} ${path(f.span.uri)}:${f.span.range.start.line + 1}: ${f.message}`).join('\n') || '  (none)';
}
