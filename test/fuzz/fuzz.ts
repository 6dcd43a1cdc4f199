/**
 * The fuzzer: a seeded PRNG, the corpus (every rule fixture, the example
 * and fixture workspaces, and the regressions the fuzzer found), and the
 * mutations: truncation, byte flips, repetition, deep nesting, key
 * shuffling, splicing in text from another file. A case is a seed: the
 * same seed always builds the same workspace, so any failure replays with
 * `IRSA_FUZZ_SEED=<seed> IRSA_FUZZ_CASES=1`.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

export type Mutation = 'truncate' | 'flip' | 'repeat' | 'nest' | 'shuffle' | 'splice' | 'wildcards' | 'regex' | 'flow';
export const MUTATIONS: readonly Mutation[] = ['truncate', 'flip', 'repeat', 'nest', 'shuffle', 'splice', 'wildcards', 'regex', 'flow'];

/**
 * Shapes that cost a backtracking engine exponential time (issue #12): IAM
 * wildcards with many stars, which the wildcard matcher meets in `sub`,
 * `Action` and Fargate selectors, and Terraform regular expressions.
 */
const WILDCARD_RUNS = ['*a', '*?', '**', '?*a*', '*-*:*'];
const SLOW_PATTERNS = ['/^(a+)+$/', '/(a|aa)*b/', '/(a*)*$/', '/^(\\\\w+\\\\s?)*$/', '/(.*a){12}/', '/(?i)(x+x+)+y/', '/(a)\\\\1/', '/(?=a)/'];

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
    case 'wildcards': {
      // Into a quoted value (a sub, an Action, a namespace), a run of up to 40 wildcards.
      const quotes = [...text.matchAll(/"(system:serviceaccount:|sts:|[a-z0-9-]+)/g)];
      const quote = quotes.length > 0 ? pick(quotes) : undefined;
      const i = quote ? quote.index + quote[0].length : at(text.length);
      return text.slice(0, i) + pick(WILDCARD_RUNS).repeat(1 + at(40)) + text.slice(i);
    }
    case 'regex': {
      // A string literal becomes a replace()/regex() over a long subject with a pattern that backtracks in JavaScript.
      const subject = 'a'.repeat(10 + at(60)) + (random() < 0.5 ? 'b' : '');
      const call = random() < 0.7 ? `replace("${subject}", "${pick(SLOW_PATTERNS)}", "x")` : `regex("${pick(SLOW_PATTERNS).slice(1, -1)}", "${subject}")`;
      const literals = [...text.matchAll(/= "([^"$\\\n]*)"/g)];
      if (literals.length === 0) return `${text}\nlocals {\n  fuzz = ${call}\n}\n`;
      const literal = pick(literals);
      return text.slice(0, literal.index + 2) + `"\${${call}}"` + text.slice(literal.index + literal[0].length);
    }
    case 'flow': {
      // A long flow collection: what made `yaml` spend seconds and hundreds of megabytes before the node cap.
      const item = pick(['a', '1', '"x"', '{a: b}', '[a]', '*x', 'a: b']);
      const list = `[${Array.from({ length: 1 + at(random() < 0.2 ? 200_000 : 2000) }, () => item).join(', ')}]`;
      const i = at(text.length);
      return text.slice(0, i) + list + text.slice(i);
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

/** A secret that a configuration trick plants: no message may show it. */
export const CONFIG_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/**
 * What a cloned repository can make of `.irsa-lint.json` (git stores
 * symbolic links), and the exit status the CLI owes each: 2 with a reason
 * for a file it cannot use, 0 or 1 (the findings decide) for a valid one.
 */
export const CONFIG_TRICKS: readonly { readonly name: string; readonly status: number; readonly make: (file: string, random: () => number) => void }[] = [
  { name: 'FIFO', status: 2, make: (file) => assert.equal(spawnSync('mkfifo', [file]).status, 0) },
  { name: 'link to /dev/zero', status: 2, make: (file) => fs.symlinkSync('/dev/zero', file) },
  { name: 'link to /dev/stdin', status: 2, make: (file) => fs.symlinkSync('/dev/stdin', file) },
  { name: 'link out of the workspace', status: 2, make: (file) => fs.symlinkSync('/etc/hostname', file) },
  { name: 'a directory', status: 2, make: (file) => fs.mkdirSync(file) },
  { name: 'huge', status: 2, make: (file) => fs.writeFileSync(file, `{"rules": {}, "x": "${'x'.repeat(1 << 20)}"}`) },
  // Under the size limit, and thousands of levels deep: the JSON parser recurses per level.
  { name: 'deep', status: 2, make: (file) => fs.writeFileSync(file, `{"rules": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`) },
  { name: 'secret keys', status: 2, make: (file) => fs.writeFileSync(file, JSON.stringify({ rules: { [`aws_secret_access_key=${CONFIG_SECRET}`]: 'off', 'trust-missing-aud': CONFIG_SECRET } })) },
  { name: 'binary', status: 2, make: (file, random) => fs.writeFileSync(file, Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256)))) },
  { name: 'valid', status: 1, make: (file) => fs.writeFileSync(file, '{ "rules": { "trust-missing-aud": "off" } }') },
];

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
