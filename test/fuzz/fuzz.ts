/**
 * The fuzzer: a seeded PRNG, the corpus (every rule fixture, the example
 * and fixture workspaces, and the regressions the fuzzer found), and the
 * mutations: truncation, byte flips, repetition, deep nesting, key
 * shuffling, splicing in text from another file. A case is a seed: the
 * same seed always builds the same workspace, so any failure replays with
 * `IRSA_FUZZ_SEED=<seed> IRSA_FUZZ_CASES=1`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../../server/src/analysis';
import { Workspace } from '../../server/src/index/workspace';
import { parseFixture } from '../support/fixture';
import { allRuleFixtures } from '../support/rule-fixtures';

const REPO = path.join(__dirname, '..', '..', '..');

/** mulberry32: small, fast, and good enough to pick mutations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type CorpusWorkspace = ReadonlyMap<string, string>;

/** Every fixture workspace as URI → text: rule fixtures, example and fixture workspaces, fuzz regressions. */
export function loadCorpus(): { readonly name: string; readonly files: CorpusWorkspace }[] {
  const corpus: { name: string; files: CorpusWorkspace }[] = [];
  for (const { ruleId, file, text } of allRuleFixtures()) corpus.push({ name: `rules/${ruleId}/${file}`, files: parseFixture(text).files });
  for (const parent of [path.join(REPO, 'examples'), path.join(REPO, 'test', 'fixtures', 'workspaces')]) {
    for (const dir of fs.readdirSync(parent).sort()) {
      const root = path.join(parent, dir);
      if (!fs.statSync(root).isDirectory()) continue;
      const files = new Map<string, string>();
      for (const file of filesBelow(root)) files.set('file:///ws/' + path.relative(root, file).split(path.sep).map(encodeURIComponent).join('/'), fs.readFileSync(file, 'utf8'));
      corpus.push({ name: path.relative(REPO, root), files });
    }
  }
  return corpus;
}

function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesBelow(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

export type Mutation = 'truncate' | 'flip' | 'repeat' | 'nest' | 'shuffle' | 'splice';
export const MUTATIONS: readonly Mutation[] = ['truncate', 'flip', 'repeat', 'nest', 'shuffle', 'splice'];

/** Characters that matter to the three grammars, plus the ones that break decoders and line counting. */
const NASTY = ['{', '}', '[', ']', '(', ')', '"', "'", ':', ',', '=', '$', '%', '#', '/', '*', '\\', '\n', '\r', '\t', ' ', '-', '&', '<', '<<', '${', '%{', '\u0000', '\ufeff', '\ud800', '\u2028', 'é', '😀'];

export function mutate(text: string, mutation: Mutation, random: () => number, donor: string): string {
  const at = (n: number): number => Math.floor(random() * (n + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  switch (mutation) {
    case 'truncate':
      return text.slice(0, at(text.length));
    case 'flip': {
      let out = text;
      for (let n = 1 + at(8); n > 0; n--) {
        const i = at(out.length);
        out = out.slice(0, i) + pick(NASTY) + out.slice(i + (random() < 0.5 ? 1 : 0));
      }
      return out;
    }
    case 'repeat': {
      const start = at(text.length);
      const piece = text.slice(start, start + 1 + at(200));
      return text.slice(0, start) + piece.repeat(2 + at(random() < 0.2 ? 2000 : 20)) + text.slice(start);
    }
    case 'nest': {
      const depth = 1 + at(random() < 0.3 ? 5000 : 300);
      const [open, close] = pick([
        ['[', ']'],
        ['{"a":', '}'],
        ['{ a = ', ' }'],
        ['f(', ')'],
        ['- ', ''],
        ['a:\n' + ' ', ''],
      ] as const);
      const i = at(text.length);
      return text.slice(0, i) + open.repeat(depth) + (random() < 0.7 ? close.repeat(depth) : '') + text.slice(i);
    }
    case 'shuffle':
      return shuffleKeys(text, random);
    case 'splice': {
      const from = at(donor.length);
      const i = at(text.length);
      return text.slice(0, i) + donor.slice(from, from + at(400)) + text.slice(i);
    }
  }
}

/** JSON: reorder (and now and then duplicate) the keys of every object. Other text: swap runs of lines. */
function shuffleKeys(text: string, random: () => number): string {
  try {
    const value: unknown = JSON.parse(text);
    const shuffle = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(shuffle);
      if (v === null || typeof v !== 'object') return v;
      const entries = Object.entries(v).map(([k, x]) => [k, shuffle(x)] as const);
      for (let i = entries.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [entries[i], entries[j]] = [entries[j]!, entries[i]!];
      }
      return entries;
    };
    // Serialised by hand: JSON.stringify of an object cannot repeat a key.
    const write = (v: unknown): string => {
      if (Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')) {
        const parts = (v as [string, unknown][]).map(([k, x]) => `${JSON.stringify(k)}: ${write(x)}`);
        if (parts.length > 0 && random() < 0.3) parts.push(parts[Math.floor(random() * parts.length)]!);
        return `{${parts.join(',\n')}}`;
      }
      if (Array.isArray(v)) return `[${v.map(write).join(', ')}]`;
      return JSON.stringify(v);
    };
    return write(shuffle(value));
  } catch {
    const lines = text.split('\n');
    for (let n = Math.floor(random() * 6); n > 0; n--) {
      const i = Math.floor(random() * lines.length);
      const j = Math.floor(random() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
    return lines.join('\n');
  }
}

export interface FuzzCase {
  readonly seed: number;
  readonly corpusName: string;
  /** URI → text of the mutated workspace. */
  readonly files: ReadonlyMap<string, string>;
  readonly mutations: readonly string[];
}

/** The workspace case `seed` builds: one corpus entry, one to three of its files mutated one to three times. */
export function buildCase(seed: number, corpus: ReturnType<typeof loadCorpus>): FuzzCase {
  const random = prng(seed);
  const entry = corpus[Math.floor(random() * corpus.length)]!;
  const files = new Map(entry.files);
  const uris = [...files.keys()];
  const donorEntry = corpus[Math.floor(random() * corpus.length)]!;
  const donor = [...donorEntry.files.values()][0] ?? '';
  const mutations: string[] = [];
  for (let f = 1 + Math.floor(random() * 3); f > 0 && uris.length > 0; f--) {
    const uri = uris[Math.floor(random() * uris.length)]!;
    let text = files.get(uri)!;
    for (let m = 1 + Math.floor(random() * 3); m > 0; m--) {
      const mutation = MUTATIONS[Math.floor(random() * MUTATIONS.length)]!;
      text = mutate(text, mutation, random, donor);
      mutations.push(`${mutation} ${uri.replace(/^file:\/\/\/\w+\//, '')}`);
    }
    files.set(uri, text);
  }
  return { seed, corpusName: entry.name, files, mutations };
}

/** Longest a case may take in-process: a hang shows as a failure, not as a stuck CI job. */
export const CASE_TIME_LIMIT_MS = 10_000;

/**
 * Runs one case through the parsers and the whole analysis, as the server
 * does on an edit, and checks what must hold for any input: nothing
 * throws, no rule fails, no file hits an internal error, every finding
 * points inside its file, and the case ends in time.
 */
export function checkCase(fuzzCase: FuzzCase): void {
  const started = performance.now();
  const workspace = new Workspace();
  for (const [uri, text] of fuzzCase.files) workspace.setFile(uri, text);
  const { findings, failures } = analyze(workspace);
  const replay = `replay: IRSA_FUZZ_SEED=${fuzzCase.seed} IRSA_FUZZ_CASES=1 npm run fuzz (${fuzzCase.corpusName}: ${fuzzCase.mutations.join('; ')})`;
  assert.deepEqual(failures, [], `a rule threw; ${replay}`);
  for (const problem of workspace.model().problems) {
    assert.doesNotMatch(problem.message, /Internal error|parser failed|call stack/i, `${problem.span.uri}: ${problem.message}; ${replay}`);
  }
  for (const finding of findings) {
    const lines = workspace.lines(finding.span.uri);
    assert.ok(lines, `finding in a file the workspace does not hold: ${finding.span.uri}; ${replay}`);
    assert.ok(finding.span.range.start.line < lines.lineCount && finding.span.range.end.line < lines.lineCount, `finding outside its file; ${replay}`);
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed < CASE_TIME_LIMIT_MS, `case took ${Math.round(elapsed)} ms; ${replay}`);
}

/** The base seed of a run: `IRSA_FUZZ_SEED`, else a fresh one (printed by the callers). */
export function baseSeed(): number {
  const fromEnv = process.env['IRSA_FUZZ_SEED'];
  return fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : Math.floor(Math.random() * 2 ** 32);
}

export function caseCount(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
