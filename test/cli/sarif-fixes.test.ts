/**
 * SARIF `fixes`: each result whose finding has a certain fix (the one
 * `--fix` applies) carries it as artifact changes with replacements.
 * Applying every replacement of the log to the files, as a SARIF consumer
 * would, gives exactly the files `--fix` writes, on a copy of the examples
 * (three certain fixes in three files: a Terraform expression, a Terraform
 * insertion, a YAML value).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { runCli } from './support';

const REPO = path.join(__dirname, '..', '..', '..');

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifFixesLog {
  runs: {
    originalUriBaseIds: Record<string, { uri: string }>;
    results: { ruleId: string; fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string; uriBaseId: string }; replacements: { deletedRegion: Region; insertedContent?: { text: string } }[] }[] }[] }[];
  }[];
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-lint-sarif-fixes-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function copyOfExamples(name: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(REPO, 'examples'), dir, { recursive: true });
  return dir;
}

/** A 1-based line and UTF-16 column as an offset into `text`. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    assert.ok(next >= 0, `line ${line} is past the end`);
    offset = next + 1;
  }
  return offset + column - 1;
}

/** Applies every replacement of every fix in the log, each region relative to the file as analysed. */
function applySarifFixes(log: SarifFixesLog): string[] {
  const run = log.runs[0]!;
  const byFile = new Map<string, { start: number; end: number; text: string }[]>();
  for (const fix of run.results.flatMap((r) => r.fixes ?? [])) {
    for (const change of fix.artifactChanges) {
      const file = fileURLToPath(new URL(change.artifactLocation.uri, run.originalUriBaseIds[change.artifactLocation.uriBaseId]!.uri));
      const original = fs.readFileSync(file, 'utf8');
      const list = byFile.get(file) ?? [];
      for (const { deletedRegion: r, insertedContent } of change.replacements) {
        list.push({ start: offsetOf(original, r.startLine, r.startColumn), end: offsetOf(original, r.endLine, r.endColumn), text: insertedContent?.text ?? '' });
      }
      byFile.set(file, list);
    }
  }
  for (const [file, replacements] of byFile) {
    let text = fs.readFileSync(file, 'utf8');
    for (const r of replacements.sort((a, b) => b.start - a.start)) text = text.slice(0, r.start) + r.text + text.slice(r.end);
    fs.writeFileSync(file, text);
  }
  return [...byFile.keys()];
}

function filesUnder(dir: string): Map<string, string> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')]));
}

describe('SARIF fixes', () => {
  it('applying the replacements gives the same files as --fix', () => {
    const viaSarif = copyOfExamples('sarif');
    const sarif = runCli(['.', '--format', 'sarif', '--no-live'], { cwd: viaSarif });
    const log = JSON.parse(sarif.stdout) as SarifFixesLog;
    const fixed = log.runs[0]!.results.filter((r) => r.fixes !== undefined);
    assert.deepEqual(fixed.map((r) => r.ruleId).sort(), ['sa-annotation-value', 'trust-condition-key-scheme', 'trust-condition-key-scheme', 'trust-missing-aud']);
    for (const result of fixed) assert.doesNotMatch(result.fixes![0]!.description.text, /`/, 'the description text is plain');
    const changed = applySarifFixes(log);
    assert.equal(changed.length, 3);

    const viaFix = copyOfExamples('fix');
    const fix = runCli(['.', '--fix', '--no-live'], { cwd: viaFix });
    assert.match(fix.stderr, /Fixed 4 problems/i);
    assert.deepEqual(filesUnder(viaSarif), filesUnder(viaFix));
    assert.notDeepEqual(filesUnder(viaSarif), filesUnder(path.join(REPO, 'examples')), 'the fixes changed something');
  });

  it('offers no fix where --fix would not apply one (a choice between two sides)', () => {
    const log = JSON.parse(runCli(['.', '--format', 'sarif', '--no-live'], { cwd: path.join(REPO, 'examples') }).stdout) as SarifFixesLog;
    const mismatch = log.runs[0]!.results.find((r) => r.ruleId === 'sa-role-trust-mismatch');
    assert.ok(mismatch, 'the examples have a trust mismatch');
    assert.equal(mismatch.fixes, undefined);
  });
});
