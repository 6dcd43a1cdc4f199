/**
 * Data-driven fixtures, in the manner of rust-analyzer: one text holds a
 * small workspace, files introduced by `//- /path` header lines, and inline
 * expectations under the line they point at:
 *
 *     "${module.eks.cluster_oidc_issuer_url}:sub" = "system:serviceaccount:a:b"
 *   # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error trust-condition-key-scheme
 *
 * `#` or `//` starts an annotation (bare carets serve for findings in the
 * first columns, where no comment marker fits); the carets give the column
 * and length (a single `^` checks the column only); an optional `: text`
 * after the rule id must occur in the message.
 * Annotation lines are removed before analysis (so JSON stays JSON), and
 * line numbers refer to the file without them.
 *
 * A `//- live` section (not a file) holds live cluster facts as JSON, the
 * `LiveFacts` the analysis gets from AWS: `{"clusters": [{name, region, …}]}`.
 */
import * as assert from 'node:assert/strict';
import { analyze, type AnalysisOptions } from '../../server/src/analysis';
import { Workspace } from '../../server/src/index/workspace';
import type { LiveFacts } from '../../server/src/live/types';
import type { Finding } from '../../server/src/rules/types';

export const FIXTURE_ROOT = 'file:///fixture';

export interface Expectation {
  readonly uri: string;
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly severity: string;
  readonly ruleId: string;
  readonly messageIncludes?: string;
}

export interface Fixture {
  readonly files: ReadonlyMap<string, string>;
  readonly expectations: readonly Expectation[];
  readonly live?: LiveFacts;
}

/**
 * `# ^^^ error id`, `// ^^^ error id`, or, for a finding in the first columns
 * (where a comment marker cannot precede the caret), bare carets: `^^^ error id`.
 */
const ANNOTATION = /^(?:(\s*)(?:#|\/\/))?(\s*)(\^+)\s+(error|warning|note)\s+([a-z0-9-]+)(?::\s*(.*))?$/;

export function parseFixture(text: string): Fixture {
  const files = new Map<string, string>();
  const expectations: Expectation[] = [];
  let live: LiveFacts | undefined;
  let current: { uri: string; lines: string[] } | undefined;
  let liveLines: string[] | undefined;
  const flush = (): void => {
    if (current) files.set(current.uri, current.lines.join('\n') + '\n');
    current = undefined;
  };
  for (const raw of text.split('\n')) {
    if (/^\/\/- live\s*$/.test(raw)) {
      flush();
      liveLines = [];
      continue;
    }
    if (liveLines && !raw.startsWith('//- ')) {
      liveLines.push(raw);
      continue;
    }
    const header = /^\/\/- (\/\S+)\s*$/.exec(raw);
    if (header) {
      flush();
      if (liveLines) live = JSON.parse(liveLines.join('\n')) as LiveFacts;
      liveLines = undefined;
      current = { uri: FIXTURE_ROOT + header[1]!.split('/').map(encodeURIComponent).join('/'), lines: [] };
      continue;
    }
    if (!current) {
      if (raw.trim() === '') continue;
      throw new Error(`fixture text before the first //- header: ${raw}`);
    }
    const m = ANNOTATION.exec(raw);
    if (m && current.lines.length > 0) {
      const column = raw.indexOf('^');
      expectations.push({
        uri: current.uri,
        line: current.lines.length - 1,
        character: column,
        length: m[3]!.length,
        severity: m[4]!,
        ruleId: m[5]!,
        ...(m[6] ? { messageIncludes: m[6].trim() } : {}),
      });
      continue;
    }
    current.lines.push(raw);
  }
  flush();
  if (liveLines) live = JSON.parse(liveLines.join('\n')) as LiveFacts;
  // Drop the trailing newline we added to files whose last line was empty.
  for (const [uri, content] of files) files.set(uri, content.replace(/\n\n$/, '\n'));
  return { files, expectations, ...(live ? { live } : {}) };
}

export function workspaceOf(fixture: Fixture): Workspace {
  const workspace = new Workspace();
  for (const [uri, text] of fixture.files) workspace.setFile(uri, text);
  return workspace;
}

export function render(f: { uri: string; line: number; character: number; severity: string; ruleId: string }): string {
  return `${f.uri.slice(FIXTURE_ROOT.length)}:${f.line + 1}:${f.character + 1} ${f.severity} ${f.ruleId}`;
}

function renderFinding(f: Finding): string {
  return render({ uri: f.span.uri, line: f.span.range.start.line, character: f.span.range.start.character, severity: f.severity, ruleId: f.ruleId });
}

/**
 * Runs the analysis on the fixture and asserts that the findings are exactly
 * the annotated ones: same places, severities and rules (and message
 * fragments where given).
 */
export function checkFixture(text: string, options: AnalysisOptions = {}): readonly Finding[] {
  const fixture = parseFixture(text);
  const workspace = workspaceOf(fixture);
  const { findings, failures } = analyze(workspace, fixture.live ? { ...options, live: fixture.live } : options);
  assert.deepEqual(failures, [], 'a rule threw');
  const actual = findings.map(renderFinding).sort();
  const expected = fixture.expectations.map(render).sort();
  assert.deepEqual(actual, expected, `findings differ.\n${findings.map((f) => `${renderFinding(f)}: ${f.message}`).join('\n')}`);
  for (const e of fixture.expectations) {
    const at = findings.filter((x) => x.span.uri === e.uri && x.span.range.start.line === e.line && x.span.range.start.character === e.character && x.ruleId === e.ruleId);
    // Two findings of one rule at one place (two instances of a local module) are told apart by their messages.
    const f = at.find((x) => e.messageIncludes !== undefined && x.message.includes(e.messageIncludes)) ?? at[0];
    assert.ok(f);
    if (e.length > 1 && f.span.range.start.line === f.span.range.end.line) {
      assert.equal(f.span.range.end.character - f.span.range.start.character, e.length, `length of ${render(e)}: ${f.message}`);
    }
    if (e.messageIncludes) assert.ok(f.message.includes(e.messageIncludes), `message of ${render(e)} lacks "${e.messageIncludes}": ${f.message}`);
  }
  return findings;
}
