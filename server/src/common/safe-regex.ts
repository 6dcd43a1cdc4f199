/**
 * Regular expressions written in the workspace (Terraform's `replace(s,
 * "/re/", r)`, `regex()`, `regexall()`), run without the risk of a hang.
 *
 * JavaScript's engine backtracks: `/^(a+)+$/` on thirty `a`s and a `b` runs
 * for minutes, and nothing can interrupt it. Terraform uses Go's regexp,
 * RE2 syntax, which guarantees time linear in the text; `re2js` is a pure
 * JavaScript port of that engine, so patterns mean here what they mean to
 * Terraform (no backreferences, no lookaround; `(?i)`, `\pL`, `(?P<n>…)`).
 *
 * Linear is not yet bounded: a long pattern on a long text, or a pattern
 * that matches often, still multiplies up. So every search is charged, before
 * it runs, its worst case (program size × text left to scan) against the
 * session's work budget; a search that would overdraw it is not run, and
 * the caller gets a reason instead of a value (the evaluator turns it into
 * an unknown value, on which rules stay silent). Patterns longer than
 * `MAX_PATTERN_LENGTH`, or compiling to more than `MAX_PROGRAM_SIZE`
 * instructions, are refused the same way.
 */
import { RE2JS, type Matcher } from 're2js';

/** Longest pattern compiled. Compiling costs about a microsecond per instruction, and `x{1000}` is 1000 of them. */
const MAX_PATTERN_LENGTH = 256;
/** Largest compiled program run. Real `replace()` patterns compile to a few dozen instructions. */
export const MAX_PROGRAM_SIZE = 10_000;
/**
 * Work units (instruction × character) one session may spend. The slowest
 * unit measured, a Unicode class in the NFA with captures, is about 60 ns,
 * so a session costs at most about a quarter of a second.
 */
const REGEX_WORK_BUDGET = 1 << 22;

export type RegexResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** One match: the text of the whole match and of each capture group (undefined when the group took no part). */
export interface RegexMatch {
  readonly text: string;
  readonly groups: readonly (string | undefined)[];
}

export interface RegexMatches {
  /** Name of each capture group, in order (undefined for unnamed ones). */
  readonly groupNames: readonly (string | undefined)[];
  readonly matches: readonly RegexMatch[];
}

interface Compiled {
  readonly regex: RE2JS;
  readonly size: number;
  readonly groupNames: readonly (string | undefined)[];
}

class WorkBudgetExhausted extends Error {}

/**
 * Patterns and a work budget shared by the searches of one unit of work
 * (the evaluation of one Terraform module): compiled patterns are reused,
 * and the budget bounds all searches together.
 */
export class RegexSession {
  private remaining: number;
  private readonly compiled = new Map<string, Compiled | string>();

  constructor(workBudget: number = REGEX_WORK_BUDGET) {
    this.remaining = workBudget;
  }

  /** Go's `Regexp.ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}` and `$$` in `template`. */
  replaceAll(pattern: string, subject: string, template: string): RegexResult<string> {
    return this.run(pattern, (compiled) => {
      const matcher = compiled.regex.matcher(subject);
      let out = '';
      let lastMatchEnd = 0;
      let searchPos = 0;
      while (searchPos <= subject.length) {
        const spans = this.find(compiled, matcher, subject, searchPos);
        if (!spans) break;
        const [start, end] = spans as [number, number];
        out += subject.slice(lastMatchEnd, start);
        // No replacement for an empty match right after another match (Go's rule, so `a*` does not replace twice).
        if (end > lastMatchEnd || start === 0) {
          this.charge(template.length);
          out += expandTemplate(template, subject, spans, compiled.groupNames);
        }
        lastMatchEnd = end;
        const width = characterWidth(subject, searchPos);
        if (searchPos + width > end) searchPos += width;
        else if (searchPos + 1 > end) searchPos++;
        else searchPos = end;
      }
      return out + subject.slice(lastMatchEnd);
    });
  }

  /** The first match (Go's `FindStringSubmatchIndex`), or none. */
  firstMatch(pattern: string, subject: string): RegexResult<RegexMatches> {
    return this.run(pattern, (compiled) => {
      const spans = this.find(compiled, compiled.regex.matcher(subject), subject, 0);
      return { groupNames: compiled.groupNames, matches: spans ? [matchOf(subject, spans)] : [] };
    });
  }

  /** Every match, left to right, without overlaps (Go's `FindAllStringSubmatchIndex`). */
  allMatches(pattern: string, subject: string): RegexResult<RegexMatches> {
    return this.run(pattern, (compiled) => {
      const matcher = compiled.regex.matcher(subject);
      const matches: RegexMatch[] = [];
      let previousEnd = -1;
      for (let pos = 0; pos <= subject.length; ) {
        const spans = this.find(compiled, matcher, subject, pos);
        if (!spans) break;
        const [start, end] = spans as [number, number];
        // An empty match right after the previous match is not one (Go's rule).
        const accept = !(end === pos && start === previousEnd);
        pos = end === pos ? pos + Math.max(1, characterWidth(subject, pos)) : end;
        previousEnd = end;
        if (accept) matches.push(matchOf(subject, spans));
      }
      return { groupNames: compiled.groupNames, matches };
    });
  }

  private run<T>(pattern: string, search: (compiled: Compiled) => T): RegexResult<T> {
    const compiled = this.compile(pattern);
    if (typeof compiled === 'string') return { ok: false, reason: compiled };
    try {
      return { ok: true, value: search(compiled) };
    } catch (e) {
      if (e instanceof WorkBudgetExhausted) return { ok: false, reason: 'regular expression work limit reached' };
      throw e;
    }
  }

  private compile(pattern: string): Compiled | string {
    let compiled = this.compiled.get(pattern);
    if (compiled === undefined) {
      compiled = compilePattern(pattern);
      this.compiled.set(pattern, compiled);
    }
    return compiled;
  }

  private charge(units: number): void {
    if (units > this.remaining) throw new WorkBudgetExhausted();
    this.remaining -= units;
  }

  /** One search from `pos`, charged its worst case first: the start and end offsets of the match and of each group (−1 when a group took no part). */
  private find(compiled: Compiled, matcher: Matcher, subject: string, pos: number): number[] | undefined {
    this.charge(compiled.size * (subject.length - pos + 1));
    if (!matcher.find(pos)) return undefined;
    const spans: number[] = [];
    for (let group = 0; group <= compiled.groupNames.length; group++) spans.push(matcher.start(group), matcher.end(group));
    return spans;
  }
}

function compilePattern(pattern: string): Compiled | string {
  if (pattern.length > MAX_PATTERN_LENGTH) return `regular expression longer than ${MAX_PATTERN_LENGTH} characters`;
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern);
  } catch {
    // Backreferences, lookaround and plain syntax errors: Terraform rejects them too.
    return 'regular expression not understood (RE2 syntax)';
  }
  const size = regex.programSize();
  if (size > MAX_PROGRAM_SIZE) return 'regular expression too large to evaluate';
  const groupNames: (string | undefined)[] = new Array<string | undefined>(regex.groupCount()).fill(undefined);
  for (const [name, index] of Object.entries(regex.namedGroups())) groupNames[index - 1] = name;
  return { regex, size, groupNames };
}

function matchOf(subject: string, spans: readonly number[]): RegexMatch {
  const groups: (string | undefined)[] = [];
  for (let i = 2; i < spans.length; i += 2) groups.push(spans[i]! >= 0 ? subject.slice(spans[i], spans[i + 1]) : undefined);
  return { text: subject.slice(spans[0], spans[1]), groups };
}

/** UTF-16 units of the character at `pos` (0 at the end): a match never splits a surrogate pair. */
function characterWidth(text: string, pos: number): number {
  if (pos >= text.length) return 0;
  const code = text.charCodeAt(pos);
  return code >= 0xd800 && code <= 0xdbff && pos + 1 < text.length ? 2 : 1;
}

/**
 * Go's `Regexp.Expand`: `$$` is `$`; `$name` takes the longest run of
 * letters, digits and `_` (so `$1x` is the group named `1x`, empty), and
 * `${name}` ends at the brace; a number names a group by index; a reference
 * to no group is empty; a `$` not followed by a name is kept.
 */
export function expandTemplate(template: string, subject: string, spans: readonly number[], groupNames: readonly (string | undefined)[]): string {
  let out = '';
  let rest = template;
  for (let dollar = rest.indexOf('$'); dollar >= 0; dollar = rest.indexOf('$')) {
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const reference = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(rest);
    if (!reference) {
      out += '$';
      continue;
    }
    rest = rest.slice(reference[0].length);
    const name = reference[1] ?? reference[2]!;
    const group = /^(0|[1-9]\d{0,7})$/.test(name) ? Number(name) : groupNames.indexOf(name) + 1;
    if (group > 0 || name === '0') {
      const start = spans[2 * group];
      if (start !== undefined && start >= 0) out += subject.slice(start, spans[2 * group + 1]);
    }
  }
  return out + rest;
}
