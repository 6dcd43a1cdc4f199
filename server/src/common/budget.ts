/**
 * Limits on the work one file may cost. JavaScript cannot pre-empt a
 * synchronous parse, so the budget is enforced cooperatively: the parsers
 * and converters call `Deadline.check()` as they go (tree-sitter through its
 * progress callback), and every structure the engine recurses over is
 * bounded in depth before recursion starts. A file over a limit throws
 * `LimitExceeded`, which the workspace catches: the file yields no facts,
 * is listed as skipped with the reason, and the rest is analysed.
 */

/**
 * Time one file may take to parse and extract, in milliseconds. The largest
 * file the scan reads by default (2 MB, `irsa.maxFileSizeKB`) parses in
 * about 0.6 s on a slow CI core (tree-sitter, ~0.3 s per MB of .tf); 2 s
 * leaves room for a loaded machine while keeping the worst single stall of
 * the server well below what makes an editor user think it hung.
 */
export const FILE_BUDGET_MS = 2000;

/**
 * Deepest nesting of brackets (JSON, YAML flow collections) or expressions
 * (HCL) the engine reads. IAM trust policies nest 5 levels, Kubernetes
 * objects rarely 15; the recursive parsers we depend on overflow the stack
 * at a few thousand levels. A file nested deeper is not configuration.
 */
export const MAX_NESTING_DEPTH = 200;

export class LimitExceeded extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'LimitExceeded';
  }
}

/** Milliseconds from an arbitrary origin, only ever compared with each other. */
export type Clock = () => number;

export const WALL_CLOCK: Clock = () => performance.now();

export class Deadline {
  private readonly end: number;
  private calls = 0;

  /** `clock` is the wall clock except in tests, which make a budget run out deterministically. */
  constructor(
    readonly budgetMs: number = FILE_BUDGET_MS,
    private readonly clock: Clock = WALL_CLOCK,
    /** What the budget is for, completing "the … ms budget for …". */
    private readonly scope: string = 'one file',
  ) {
    this.end = clock() + budgetMs;
  }

  get expired(): boolean {
    return this.clock() > this.end;
  }

  /** Throws `LimitExceeded` once the budget is spent; cheap enough to call per node (reads the clock every 64 calls). */
  check(): void {
    if ((++this.calls & 63) === 0 && this.expired) throw new LimitExceeded(this.message());
  }

  message(): string {
    return `analysis took longer than the ${this.budgetMs} ms budget for ${this.scope}`;
  }
}

/** A deadline that never expires, for callers without a budget. */
export const NO_DEADLINE: Deadline = new Deadline(Number.POSITIVE_INFINITY);

let current: Deadline = NO_DEADLINE;

/**
 * Runs `work` with `deadline` as the current one: the deadline of the file
 * (or Terraform module) being analysed, for code deep inside an extraction
 * (the Terraform evaluator, a YAML heredoc's parser) that is not handed it.
 * Analysis is synchronous, so the current deadline is exactly the one of
 * the file whose work is on the stack; threading it through every
 * extractor signature instead would touch every one of them.
 */
export function withDeadline<T>(deadline: Deadline, work: () => T): T {
  const outer = current;
  current = deadline;
  try {
    return work();
  } finally {
    current = outer;
  }
}

/** The deadline of the work in progress (`withDeadline`), else one that never expires. */
export function currentDeadline(): Deadline {
  return current;
}

/**
 * Throws `LimitExceeded` when brackets outside quoted strings nest deeper
 * than `MAX_NESTING_DEPTH`. Exact for JSON. For YAML (`yaml: true`: single
 * quotes too, and a quote ends at the line's end so that an apostrophe in a
 * plain scalar cannot hide the rest of the file) it is an estimate, which
 * errs only on files no one writes by hand.
 */
export function checkBracketNesting(text: string, yaml = false): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== '') {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote || (yaml && ch === '\n')) quote = '';
      continue;
    }
    if (ch === '"' || (yaml && ch === "'")) quote = ch;
    else if (ch === '[' || ch === '{') {
      if (++depth > MAX_NESTING_DEPTH) throw new LimitExceeded(`nested more than ${MAX_NESTING_DEPTH} levels deep`);
    } else if ((ch === ']' || ch === '}') && depth > 0) depth--;
  }
}

/**
 * YAML block nesting, estimated per line: the indentation plus two columns
 * for each indicator (`- `, `? `, `: `) on the line, the ways a line opens
 * a deeper level. `yaml` recurses per level; near the stack's end V8 can
 * even abort compiling a regular expression (a crash no `catch` sees), so
 * the check runs before the parser does. Real files stay far below: 200
 * levels of two-space indentation is 400 columns.
 */
export function checkYamlBlockNesting(text: string): void {
  const limit = 2 * MAX_NESTING_DEPTH;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let estimate = 0;
    let i = lineStart;
    while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
    estimate = i - lineStart;
    for (; i < lineEnd && estimate <= limit; i++) {
      const ch = text[i];
      if ((ch === '-' || ch === '?' || ch === ':') && (i + 1 === lineEnd || text[i + 1] === ' ') && (i === lineStart || text[i - 1] === ' ' || ch === ':')) estimate += 2;
    }
    if (estimate > limit) throw new LimitExceeded(`nested more than ${MAX_NESTING_DEPTH} levels deep`);
    lineStart = lineEnd + 1;
  }
}
