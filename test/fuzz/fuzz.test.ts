/**
 * The fuzzing harness in CI: the regressions the fuzzer found, then a
 * bounded number of fresh cases in-process (parsers and the whole
 * analysis) and a few through the spawned CLI. The base seed is printed;
 * `IRSA_FUZZ_SEED` replays a run, `IRSA_FUZZ_CASES` and
 * `IRSA_FUZZ_CLI_CASES` raise the counts, and `npm run fuzz` runs long.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { initParsers } from '../../server/src/node/host';
import { runCli, scratchWorkspace } from '../cli/support';
import { baseSeed, buildCase, caseCount, checkCase, CONFIG_SECRET, CONFIG_TRICKS, loadCorpus, prng } from './fuzz';

const REGRESSIONS = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'fuzz');
const seed = baseSeed();
const corpus = loadCorpus();

before(async () => {
  await initParsers();
  console.log(`fuzz: base seed ${seed} (replay with IRSA_FUZZ_SEED=${seed})`);
});

describe('fuzz regressions (inputs that once crashed, hung or misreported)', () => {
  for (const name of fs.readdirSync(REGRESSIONS).sort()) {
    it(name, () => {
      const text = fs.readFileSync(path.join(REGRESSIONS, name), 'utf8');
      // The file name keeps its extension: `deep-array.json` is read as JSON.
      checkCase({ seed: 0, corpusName: `regression ${name}`, files: new Map([[`file:///ws/${name}`, text]]), mutations: [] });
    });
  }
});

describe('fuzz', () => {
  it('in-process: mutated corpus workspaces through the parsers and every rule', () => {
    const cases = caseCount('IRSA_FUZZ_CASES', 150);
    for (let i = 0; i < cases; i++) checkCase(buildCase((seed + i) >>> 0, corpus));
  });

  it('through the CLI: mutated workspaces on disk, exit code 0 or 1, never an internal error', () => {
    const cases = caseCount('IRSA_FUZZ_CLI_CASES', 3);
    for (let i = 0; i < cases; i++) {
      const fuzzCase = buildCase((seed + 1_000_003 * (i + 1)) >>> 0, corpus);
      const files: Record<string, string> = {};
      for (const [uri, text] of fuzzCase.files) files[path.relative('/ws', fileURLToPath(uri))] = text;
      const dir = scratchWorkspace(undefined, files);
      const run = runCli([dir, '--format', 'json']);
      const replay = `replay: IRSA_FUZZ_SEED=${fuzzCase.seed} (${fuzzCase.corpusName}: ${fuzzCase.mutations.join('; ')})`;
      assert.ok(run.status === 0 || run.status === 1, `exit ${String(run.status)}: ${run.stderr}; ${replay}`);
      assert.doesNotMatch(run.stderr, /internal error/i, replay);
      assert.doesNotThrow(() => JSON.parse(run.stdout) as unknown, replay);
    }
  });

  it('through the CLI: .irsa-lint.json tricks end at once with a reason, and show nothing of what they hold', () => {
    const cases = caseCount('IRSA_FUZZ_CLI_CASES', 3);
    for (let i = 0; i < cases; i++) {
      const caseSeed = (seed + 7_000_003 * (i + 1)) >>> 0;
      const random = prng(caseSeed);
      const fuzzCase = buildCase(caseSeed, corpus);
      const files: Record<string, string> = {};
      for (const [uri, text] of fuzzCase.files) files[path.relative('/ws', fileURLToPath(uri))] = text;
      const dir = scratchWorkspace(undefined, files);
      const trick = CONFIG_TRICKS[Math.floor(random() * CONFIG_TRICKS.length)]!;
      fs.rmSync(path.join(dir, '.irsa-lint.json'), { force: true });
      trick.make(path.join(dir, '.irsa-lint.json'), random);
      const run = runCli([dir, '--format', 'json']);
      const replay = `replay: IRSA_FUZZ_SEED=${seed} (config trick ${trick.name}, ${fuzzCase.corpusName}: ${fuzzCase.mutations.join('; ')})`;
      assert.ok(run.status === trick.status || (trick.status === 1 && run.status === 0), `exit ${String(run.status)}: ${run.stderr}; ${replay}`);
      assert.doesNotMatch(run.stderr, /internal error/i, replay);
      assert.ok(!run.stderr.includes(CONFIG_SECRET), `${run.stderr}; ${replay}`);
    }
  });
});
