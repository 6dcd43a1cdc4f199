/**
 * Every rule has valid and invalid fixtures under test/rules/<id>/;
 * each fixture's findings must be exactly its annotations. A fixable rule's
 * fix tests sit beside its fixtures, and the layout test below keeps a new
 * rule's tests from landing anywhere else.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { initParsers } from '../../server/src/node/host';
import { RULES } from '../../server/src/rules/registry';
import { checkFixture, parseFixture } from '../support/fixture';
import { fixtureFiles, RULE_TESTS, ruleFixtureSettings, ruleTestDirectories } from '../support/rule-fixtures';

before(async () => {
  await initParsers();
});

for (const rule of RULES) {
  const id = rule.meta.id;
  describe(`rule ${id}`, () => {
    const dir = path.join(RULE_TESTS, id);
    const files = fixtureFiles(id);

    it('has valid and invalid fixtures', () => {
      assert.ok(files.some((f) => f.startsWith('valid')), `${dir}/valid*.fixture is missing`);
      assert.ok(files.some((f) => f.startsWith('invalid')), `${dir}/invalid*.fixture is missing`);
    });

    for (const file of files) {
      it(file, () => {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        const own = parseFixture(text).expectations.filter((e) => e.ruleId === id);
        if (file.startsWith('invalid')) assert.ok(own.length > 0, `${file} expects no ${id} finding`);
        else assert.equal(own.length, 0, `${file} is a valid fixture but expects ${id}`);
        checkFixture(text, ruleFixtureSettings(id, text));
      });
    }
  });
}

describe('test/rules/', () => {
  it('has a directory per rule of the registry only, and fixes.test.ts in it exactly when the rule is fixable', () => {
    const ids = new Set<string>(RULES.map((rule) => rule.meta.id));
    assert.deepEqual(ruleTestDirectories().filter((dir) => !ids.has(dir)), [], 'directories that name no rule of the registry (a renamed or removed rule?)');
    const misplaced = RULES.flatMap(({ meta }) => {
      const hasFixTests = fs.existsSync(path.join(RULE_TESTS, meta.id, 'fixes.test.ts'));
      if (meta.fixable && !hasFixTests) return [`${meta.id} has fixes: test them in test/rules/${meta.id}/fixes.test.ts`];
      if (!meta.fixable && hasFixTests) return [`${meta.id} has no fixes, yet test/rules/${meta.id}/fixes.test.ts exists`];
      return [];
    });
    assert.deepEqual(misplaced, []);
  });
});
