/**
 * The words without which a file cannot have facts, per format: a weaker
 * form of each format's pre-filter (`prefilter.ts`) that needs only to know
 * which words occur, so that it can be answered by streaming a file too
 * large to read whole.
 *
 * It decides what happens to a file over the size limit. Such a file is
 * not read into the index; it used to be reported as "skipped for size"
 * whatever it held, so a repository's 3 MB `package-lock.json` or
 * `ATTRIBUTION.md` showed up as if something had been left unchecked. Now,
 * per format:
 * - JSON, YAML, templates, shell scripts, Markdown: the word test runs on
 *   the file's bytes (streamed, never held whole); a file without the words
 *   provably has no facts and no reported problem, and is passed over in
 *   silence, as the pre-filter passes over a small one. A file with them is
 *   reported as before: it may hold facts that were not read.
 * - Terraform and tfvars: always reported. They have no pre-filter (a
 *   directory is one module, and every `.tf` file's syntax errors are
 *   reported), so no word proves a file irrelevant.
 *
 * Safety: for every format the test is implied by the pre-filter, i.e.
 * whenever `PIPELINES[kind].mayHaveFacts(uri, text)` is true, so is
 * `mayHaveFacts(found)` for the words of `text`
 * (`test/facts/prefilter.test.ts` checks this over the fixture corpus). The
 * words are ASCII, so searching the bytes decoded as Latin-1 finds every
 * occurrence the UTF-8 text has (case-insensitive words: Latin-1 letters
 * never fold to ASCII ones).
 */
import type { FormatKind } from '../../../shared/formats';
import { isKustomizationFile } from './kustomize';

export interface WordTest {
  /** The words looked for; those in `caseInsensitive` in lower case, matched in any case. */
  readonly words: readonly string[];
  readonly caseInsensitive: readonly string[];
  /** Given the words that occur (as listed), whether the file may have facts. */
  readonly mayHaveFacts: (found: ReadonlySet<string>) => boolean;
}

const JSON_WORDS: WordTest = {
  // `jsonMayHaveFacts`: one of these (any case), or both `kind` and `apiVersion`.
  caseInsensitive: ['statement', 'principal', 'sts:assumerole', '\\u'],
  words: ['kind', 'apiVersion'],
  mayHaveFacts: (found) => ['statement', 'principal', 'sts:assumerole', '\\u'].some((w) => found.has(w)) || (found.has('kind') && found.has('apiVersion')),
};

const YAML_WORDS: WordTest = {
  // `yamlMayHaveFacts` outside kustomizations: `serviceAccount`, an escape (a backslash), an explicit key (`?`), or a `kind` key.
  caseInsensitive: [],
  words: ['serviceAccount', '\\', '?', 'kind'],
  mayHaveFacts: (found) => found.size > 0,
};

const TEMPLATE_WORDS: WordTest = { caseInsensitive: [], words: ['Statement'], mayHaveFacts: (found) => found.has('Statement') };

const SHELL_WORDS: WordTest = { caseInsensitive: [], words: ['aws', 'iam'], mayHaveFacts: (found) => found.has('aws') && found.has('iam') };

/** `markdownMayHaveFacts`: a fenced block is needed. */
const MARKDOWN_WORDS: WordTest = { caseInsensitive: [], words: ['```', '~~~'], mayHaveFacts: (found) => found.size > 0 };

/** The word test of a file of this kind, or undefined when none can prove it irrelevant (it is then reported). */
export function wordTestFor(uri: string, kind: FormatKind): WordTest | undefined {
  switch (kind) {
    case 'json':
      return JSON_WORDS;
    case 'yaml':
      return isKustomizationFile(uri) ? undefined : YAML_WORDS;
    case 'template':
      return TEMPLATE_WORDS;
    case 'shell':
      return SHELL_WORDS;
    case 'markdown':
      return MARKDOWN_WORDS;
    case 'terraform':
    case 'tfvars':
      return undefined;
  }
}

/** The words of `test` that occur in `text` (Latin-1 or UTF-16 text alike: the words are ASCII). */
export function wordsIn(test: WordTest, text: string): Set<string> {
  const found = new Set<string>();
  for (const w of test.words) if (text.includes(w)) found.add(w);
  if (test.caseInsensitive.length > 0) {
    const lower = text.toLowerCase();
    for (const w of test.caseInsensitive) if (lower.includes(w)) found.add(w);
  }
  return found;
}
