/**
 * Where a rule's tests live: `test/rules/<id>/` holds its fixtures
 * (`*.fixture`, the format is in fixture.ts) and, when the rule is fixable,
 * its fix tests (`fixes.test.ts`), so a rule's tests sit together; the files
 * directly in `test/rules/` are the contract tests that span every rule.
 *
 * The fixtures are read from the source tree, not from out/: tsc compiles
 * the tests there but does not copy the `.fixture` files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const RULE_TESTS = path.join(__dirname, '..', '..', '..', 'test', 'rules');

/** The directories under test/rules/, sorted (the files beside them are the contract tests, not rules). */
export function ruleTestDirectories(): string[] {
  return fs
    .readdirSync(RULE_TESTS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The fixture file names of one rule, sorted; none when the rule has no directory. */
export function fixtureFiles(ruleId: string): string[] {
  const dir = path.join(RULE_TESTS, ruleId);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => file.endsWith('.fixture')).sort() : [];
}

export interface RuleFixtureFile {
  readonly ruleId: string;
  /** The file name, e.g. `invalid-unknown-issuer.fixture`. */
  readonly file: string;
  readonly text: string;
}

/** Every rule fixture, by rule id and then file name: the corpus of the tests that run over all of them. */
export function allRuleFixtures(): RuleFixtureFile[] {
  return ruleTestDirectories().flatMap((ruleId) =>
    fixtureFiles(ruleId).map((file) => ({ ruleId, file, text: fs.readFileSync(path.join(RULE_TESTS, ruleId, file), 'utf8') })),
  );
}

/**
 * The rule settings a rule fixture is analysed with. A fixture is a small
 * workspace about one rule, and its roles are attached to nothing by
 * design: `role-unused` would note every one of them. It is therefore
 * judged only in its own fixtures and in those that annotate it.
 */
export function ruleFixtureSettings(ruleId: string, text: string): { readonly rules?: Readonly<Record<string, 'off'>> } {
  return ruleId === 'role-unused' || / role-unused\b/.test(text) ? {} : { rules: { 'role-unused': 'off' } };
}
