/**
 * The fenced code blocks of a Markdown file (``` or ~~~ fences, as
 * CommonMark reads them), with their language and their offsets in the
 * file. Nothing else of Markdown matters here: a runbook's IRSA
 * configuration is in its code blocks, and the formats' own parsers read
 * each block as a slice of the file, so every position they report is a
 * position in the `.md` file.
 *
 * Never throws; linear in the text.
 */

/** The syntax a block is read as; `undefined` languages are sniffed from the first line. */
export type BlockLanguage = 'json' | 'yaml' | 'shell' | 'hcl';

export interface FencedBlock {
  readonly language: BlockLanguage;
  /** Offset of the block's first content line (after the opening fence's line). */
  readonly start: number;
  /** Offset of the start of the closing fence's line: the content is `text.slice(start, end)`. */
  readonly end: number;
}

/** Info-string words (lower case) and the syntax they mean. */
const LANGUAGES: ReadonlyMap<string, BlockLanguage> = new Map([
  ['json', 'json'],
  ['yaml', 'yaml'],
  ['yml', 'yaml'],
  ['sh', 'shell'],
  ['bash', 'shell'],
  ['shell', 'shell'],
  ['zsh', 'shell'],
  ['console', 'shell'],
  ['shell-session', 'shell'],
  ['shellsession', 'shell'],
  ['terminal', 'shell'],
  ['hcl', 'hcl'],
  ['terraform', 'hcl'],
  ['tf', 'hcl'],
]);

const OPENING = /^( *)(`{3,}|~{3,})[ \t]*([^\s`{]*)/;

/**
 * Every closed fenced block whose language is one the engine reads: named
 * in the info string (`json`, `yaml`, `sh`, `hcl`, …, the first word, so
 * `yaml title="sa.yaml"` counts), or, for a block with none or an unknown
 * one, sniffed from its content (`{`, `apiVersion:`, a `kubectl ` line…). An unclosed fence runs
 * to the end of the file in CommonMark; such a block is skipped, as a file
 * cut short says nothing certain.
 */
export function fencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let lineStart = 0;
  let open: { readonly fence: string; readonly start: number; readonly info: string | undefined } | undefined;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    if (open) {
      const trimmed = line.trim();
      const fenceChar = open.fence[0]!;
      if (trimmed.length >= open.fence.length && trimmed === fenceChar.repeat(trimmed.length)) {
        const language = languageOf(open.info, text.slice(open.start, lineStart));
        if (language) blocks.push({ language, start: open.start, end: lineStart });
        open = undefined;
      }
    } else {
      const m = OPENING.exec(line);
      // A backtick fence's info string may not hold a backtick (that is inline code).
      if (m && !(m[2]!.startsWith('`') && line.slice(m[0].length).includes('`'))) {
        open = { fence: m[2]!, start: Math.min(lineEnd + 1, text.length), info: m[3] === '' ? undefined : m[3]!.toLowerCase() };
      }
    }
    lineStart = lineEnd + 1;
  }
  return blocks;
}

/**
 * Languages that are certainly something else: their blocks are not sniffed.
 * Any other info string (`t`, `text`, `console-output`, a typo) is: runbooks
 * tag blocks loosely.
 */
const OTHER_LANGUAGES: ReadonlySet<string> = new Set(['python', 'py', 'go', 'java', 'javascript', 'js', 'typescript', 'ts', 'ruby', 'rust', 'c', 'cpp', 'csharp', 'cs', 'php', 'sql', 'html', 'xml', 'css', 'dockerfile', 'makefile', 'mermaid', 'diff', 'powershell', 'ps1', 'toml', 'ini', 'properties', 'groovy', 'kotlin', 'scala', 'lua', 'r']);

function languageOf(info: string | undefined, content: string): BlockLanguage | undefined {
  const named = info !== undefined ? LANGUAGES.get(info) : undefined;
  if (named || (info !== undefined && OTHER_LANGUAGES.has(info))) return named;
  // The first line that is neither blank nor a `#` comment.
  const first = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(\S[^\n]*)/.exec(content)?.[1] ?? '';
  if (first.startsWith('{')) return 'json';
  if (/^(apiVersion|kind)\s*:/.test(first)) return 'yaml';
  if (/^(\$\s+)?(kubectl|aws|eksctl|cat)\s/m.test(content)) return 'shell';
  return undefined;
}
