/**
 * The behaviour snapshot, in the manner of expect-test: every finding (rule,
 * severity, place, message, related places) and every fix offered for it
 * (title, preferred, widens, the edits), plus the fix-all edit of every file,
 * on every rule fixture, test workspace and example, compared with
 * `test/golden/behaviour.json`.
 *
 * It exists so that a restructuring can show it changed nothing, and so that
 * a change in behaviour is a diff a reviewer reads. When a change is meant,
 * regenerate the file and review the diff:
 *
 *     IRSA_UPDATE_GOLDEN=1 node --test out/test/behaviour.test.js
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, it } from 'node:test';
import { analyze } from '../server/src/analysis';
import { pathToUri } from '../server/src/common/uri';
import { fixAllInFile, fixContextOf, fixesFor } from '../server/src/rules/fixes';
import type { Fix } from '../server/src/edit/types';
import { Workspace } from '../server/src/index/workspace';
import type { LiveFacts } from '../server/src/live/types';
import { initParsers, loadWorkspace } from '../server/src/node/host';
import type { Finding } from '../server/src/rules/types';
import { parseFixture, workspaceOf } from './support/fixture';
import { allRuleFixtures, ruleFixtureSettings } from './support/rule-fixtures';

const REPO = path.join(__dirname, '..', '..');
const GOLDEN = path.join(REPO, 'test', 'golden', 'behaviour.json');

before(async () => {
  await initParsers();
});

interface Case {
  readonly name: string;
  readonly workspace: Workspace;
  readonly root: string;
  readonly live?: LiveFacts;
  /** Rule settings (`ruleFixtureSettings`): rule fixtures leave `role-unused` to its own. */
  readonly rules?: Readonly<Record<string, 'off'>>;
}

function* cases(): Generator<Case> {
  // Named `rules/<id>/<file>` as before the fixtures moved to test/rules/<id>/, so that the move left the golden file as it was.
  for (const { ruleId, file, text } of allRuleFixtures()) {
    const fixture = parseFixture(text);
    yield { name: `rules/${ruleId}/${file}`, workspace: workspaceOf(fixture), root: 'file:///fixture', ...ruleFixtureSettings(ruleId, text), ...(fixture.live ? { live: fixture.live } : {}) };
  }
  const dirs = [
    ...fs.readdirSync(path.join(REPO, 'test', 'fixtures', 'workspaces')).map((d) => path.join('test', 'fixtures', 'workspaces', d)),
    ...fs.readdirSync(path.join(REPO, 'examples')).filter((d) => fs.statSync(path.join(REPO, 'examples', d)).isDirectory()).map((d) => path.join('examples', d)),
  ].sort();
  for (const dir of dirs) {
    const workspace = new Workspace();
    loadWorkspace(workspace, path.join(REPO, dir));
    yield { name: dir, workspace, root: pathToUri(path.join(REPO, dir)) };
  }
}

function snapshot(c: Case): unknown {
  const rel = (uri: string): string => (uri.startsWith(c.root) ? uri.slice(c.root.length) : uri);
  const at = (s: Finding['span']): string => `${rel(s.uri)}:${s.range.start.line + 1}:${s.range.start.character + 1}-${s.range.end.line + 1}:${s.range.end.character + 1}`;
  const fix = (f: Fix): unknown => ({
    title: f.title,
    ...(f.preferred ? { preferred: true } : {}),
    ...(f.widens ? { widens: true } : {}),
    ...(f.snippet ? { snippet: true } : {}),
    changes: f.changes.map((ch) =>
      ch.kind === 'create'
        ? { create: rel(ch.uri), text: ch.text }
        : { edit: rel(ch.uri), edits: ch.edits.map((e) => `${e.range.start.line + 1}:${e.range.start.character + 1}-${e.range.end.line + 1}:${e.range.end.character + 1} ${JSON.stringify(e.newText)}`) },
    ),
  });
  const { findings, failures } = analyze(c.workspace, { ...(c.rules ? { rules: c.rules } : {}), ...(c.live ? { live: c.live } : {}) });
  const context = fixContextOf(c.workspace);
  const errors: string[] = [];
  const out = {
    findings: findings.map((f) => ({
      at: `${f.severity} ${f.ruleId} ${at(f.span)}`,
      message: f.message,
      ...(f.related.length ? { related: f.related.map((r) => `${at(r.span)} ${r.message}`) } : {}),
      ...((): object => {
        const fixes = fixesFor(f, context, (m) => errors.push(m));
        return fixes.length ? { fixes: fixes.map(fix) } : {};
      })(),
    })),
    fixAll: [...new Set(findings.map((f) => f.span.uri))]
      .sort()
      .map((uri) => fixAllInFile(uri, findings, context, (m) => errors.push(m)))
      .filter((f): f is Fix => f !== undefined)
      .map(fix),
    ...(failures.length ? { failures: failures.map((f) => f.ruleId) } : {}),
    ...(errors.length ? { fixErrors: errors } : {}),
  };
  return out;
}

it('findings and fixes on every fixture, test workspace and example are the golden ones', () => {
  const actual: Record<string, unknown> = {};
  for (const c of cases()) actual[c.name] = snapshot(c);
  const text = JSON.stringify(actual, null, 1) + '\n';
  if (process.env.IRSA_UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
    fs.writeFileSync(GOLDEN, text);
    return;
  }
  assert.ok(fs.existsSync(GOLDEN), `${GOLDEN} is missing: run with IRSA_UPDATE_GOLDEN=1`);
  const expected = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as Record<string, unknown>;
  for (const name of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    assert.deepEqual(actual[name], expected[name], `behaviour changed on ${name} (IRSA_UPDATE_GOLDEN=1 to accept, then review the diff)`);
  }
});
