/**
 * Every file of the test corpus a format reads: the files of the rule
 * fixtures, the test workspaces, the examples. For the tests that check a
 * property over all of them (the pre-filter, the fast YAML reader).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyFileName } from '../../shared/formats';
import { pathToUri } from '../../server/src/common/uri';
import { parseFixture } from './fixture';
import { allRuleFixtures } from './rule-fixtures';

const REPO = path.join(__dirname, '..', '..', '..');

export function* walkFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkFiles(full);
    else if (entry.isFile()) yield full;
  }
}

/** `workspace` tells the files of one rule fixture (a workspace of its own) from those of another at the same URIs. */
export function* corpusFiles(): Generator<{ uri: string; text: string; workspace: string }> {
  for (const fixture of allRuleFixtures()) for (const [uri, text] of parseFixture(fixture.text).files) yield { uri, text, workspace: `${fixture.ruleId}/${fixture.file}` };
  for (const dir of ['test/fixtures', 'examples', 'test/rules']) {
    for (const file of walkFiles(path.join(REPO, dir))) {
      if (classifyFileName(path.basename(file)) === undefined) continue;
      const text = fs.readFileSync(file, 'utf8');
      if (text.includes('\0')) continue;
      yield { uri: pathToUri(file), text, workspace: dir };
    }
  }
}
