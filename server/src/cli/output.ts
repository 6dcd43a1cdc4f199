/**
 * Decides what goes where, as data: the report (stdout or `--output`) and
 * notices on stderr, in the order they should appear. Keeping this pure
 * makes the stream rules testable without a terminal.
 */
import type { CliOptions, ColorChoice } from './args';
import { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK } from './errors';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatSkipped, formatSummary, formatText } from './format/text';
import type { CliReport } from './report';

export interface Terminal {
  /** Whether stdout and stderr are terminals (`stream.isTTY`). */
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface Write {
  /** `report` goes to `--output` when given, else stdout. */
  readonly to: 'report' | 'stderr';
  readonly text: string;
}

export function renderOutput(report: CliReport, options: Pick<CliOptions, 'format' | 'color' | 'outputPath'>, terminal: Terminal): Write[] {
  const writes: Write[] = [];
  const failures = [
    ...(report.notices ?? []).map((n): Write => ({ to: 'stderr', text: `irsa-lint: ${n}\n` })),
    ...(report.liveFaults ?? []).map((f): Write => ({ to: 'stderr', text: `irsa-lint: live check: ${f}\n` })),
    ...report.failures.map((f): Write => ({ to: 'stderr', text: `irsa-lint: rule ${f.ruleId} failed (a bug in irsa-lint; please report it): ${f.error}\n` })),
  ];
  if (options.format === 'json' || options.format === 'sarif') {
    // Machine formats carry skipped files and failures inside the document; failures also go to stderr for the log.
    writes.push({ to: 'report', text: options.format === 'json' ? formatJson(report) : formatSarif(report) });
    return [...writes, ...failures];
  }
  // Grouped layout only when a person is looking at the report; pipes and files get one line per finding.
  const interactive = options.outputPath === undefined && terminal.stdoutIsTTY;
  if (report.skipped.length > 0) writes.push({ to: 'stderr', text: formatSkipped(report.skipped) });
  const findings = formatText(report, { layout: interactive ? 'grouped' : 'plain', color: useColor(options.color, terminal.env, interactive) });
  if (interactive) {
    writes.push({ to: 'report', text: findings + (findings ? '\n' : '') + formatSummary(report, useColor(options.color, terminal.env, true)) });
  } else {
    if (findings) writes.push({ to: 'report', text: findings });
    // The summary stays off stdout so that a pipe sees findings and nothing else.
    writes.push({ to: 'stderr', text: formatSummary(report, useColor(options.color, terminal.env, terminal.stderrIsTTY)) });
  }
  return [...writes, ...failures];
}

/**
 * `--no-color`/`--color` win; then FORCE_COLOR (set and not `0`/`false`)
 * turns colour on and NO_COLOR (set and non-empty, https://no-color.org)
 * turns it off, FORCE_COLOR first as in Node itself; otherwise colour
 * follows whether the stream is a terminal (and not TERM=dumb).
 */
export function useColor(choice: ColorChoice, env: Terminal['env'], isTTY: boolean): boolean {
  if (choice !== 'auto') return choice === 'always';
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return isTTY && env['TERM'] !== 'dumb';
}

/**
 * 2 when a rule failed (the result is incomplete), else 1 when an
 * error-level finding remains (unless `--exit-zero`), else 0.
 */
export function exitCodeFor(report: CliReport, options: Pick<CliOptions, 'exitZero'> = { exitZero: false }): number {
  if (report.failures.length > 0) return EXIT_FAILURE;
  if (options.exitZero) return EXIT_OK;
  return report.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}
