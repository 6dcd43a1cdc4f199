/**
 * `npm run fuzz`: the fuzzer for as long as you like. Runs
 * `IRSA_FUZZ_CASES` cases (default 20 000) from `IRSA_FUZZ_SEED` (default:
 * random), in-process through the parsers and every rule; prints progress,
 * and for each failing case its seed, mutations and error. A failure found
 * here becomes a file in test/fixtures/fuzz/ (the CI run replays those
 * first) and a fix.
 */
import { performance } from 'node:perf_hooks';
import { initParsers } from '../server/src/node/host';
import { baseSeed, buildCase, caseCount, checkCase, loadCorpus } from '../test/fuzz/fuzz';

async function main(): Promise<void> {
  await initParsers();
  const corpus = loadCorpus();
  const seed = baseSeed();
  const cases = caseCount('IRSA_FUZZ_CASES', 20_000);
  console.log(`fuzz: ${cases} cases from base seed ${seed}, corpus of ${corpus.length} workspaces`);
  const started = performance.now();
  let failures = 0;
  let slowest = { ms: 0, seed: 0 };
  for (let i = 0; i < cases; i++) {
    const caseSeed = (seed + i) >>> 0;
    const fuzzCase = buildCase(caseSeed, corpus);
    const caseStarted = performance.now();
    try {
      checkCase(fuzzCase);
    } catch (e) {
      failures++;
      console.log(`FAIL seed ${caseSeed}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const ms = performance.now() - caseStarted;
    if (ms > slowest.ms) slowest = { ms, seed: caseSeed };
    if ((i + 1) % 1000 === 0) console.log(`  ${i + 1} cases, ${failures} failures, ${Math.round((performance.now() - started) / 1000)} s`);
  }
  console.log(`fuzz: ${cases} cases, ${failures} failures, ${Math.round((performance.now() - started) / 1000)} s; slowest case ${Math.round(slowest.ms)} ms (seed ${slowest.seed})`);
  process.exitCode = failures > 0 ? 1 : 0;
}

void main();
