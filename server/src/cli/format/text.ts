/**
 * Human-readable output, in two layouts:
 *
 * - `plain` (pipes, files, CI logs): exactly one line per finding,
 *   `path:line:col severity rule-id message`, so grep, awk and editors'
 *   problem matchers can read it. Nothing else goes to the same stream.
 * - `grouped` (a terminal): findings under a bold file header with aligned
 *   columns and the related locations of cross-file findings, then a summary.
 *
 * Colour is a separate choice: the caller decides from the terminal, flags
 * and environment.
 */
import { inlineCodeAsQuotes } from '../../common/markdown';
import type { Finding, Severity } from '../../rules/types';
import { countBySeverity, toLocation, type CliReport, type SkippedEntry } from '../report';

export interface TextOptions {
  readonly layout: 'plain' | 'grouped';
  readonly color: boolean;
}

/** The findings: one line each (plain) or grouped by file. Empty when there are none. */
export function formatText(report: CliReport, options: TextOptions): string {
  return options.layout === 'plain' ? formatPlain(report, styles(options.color)) : formatGrouped(report, styles(options.color));
}

/** `✖ 3 problems (1 error, 2 warnings, 0 notes)` or `No problems found in 4 files.` */
export function formatSummary(report: CliReport, color: boolean): string {
  const s = styles(color);
  const counts = countBySeverity(report.findings);
  const total = report.findings.length;
  if (total === 0) return `No problems found in ${plural(report.fileCount, 'file')}.\n`;
  const text = `✖ ${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')})`;
  const paint = counts.error > 0 ? s.error : counts.warning > 0 ? s.warning : s.note;
  return s.bold(paint(text)) + '\n';
}

/** One `irsa-lint: skipped <path>: <reason>` line per file the engine did not read. */
export function formatSkipped(skipped: readonly SkippedEntry[]): string {
  return skipped.map((s) => `irsa-lint: skipped ${s.path}: ${s.reason}\n`).join('');
}

/** Colour here only when asked for (e.g. FORCE_COLOR in a CI log); it touches the severity word alone. */
function formatPlain(report: CliReport, s: Styles): string {
  return report.findings
    .map((f) => {
      const loc = toLocation(report.displayBaseUri, f.span);
      return `${loc.path}:${loc.line}:${loc.column} ${s[f.severity](f.severity)} ${f.ruleId} ${oneLine(f.message)}\n`;
    })
    .join('');
}

function formatGrouped(report: CliReport, s: Styles): string {
  // Findings arrive sorted by file, then position; keep the first-seen file order.
  const byPath = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const path = toLocation(report.displayBaseUri, f.span).path;
    const group = byPath.get(path);
    if (group) group.push(f);
    else byPath.set(path, [f]);
  }
  const blocks: string[] = [];
  for (const [path, findings] of byPath) {
    const rows = findings.map((f) => {
      const loc = toLocation(report.displayBaseUri, f.span);
      return { position: `${loc.line}:${loc.column}`, finding: f };
    });
    const positionWidth = Math.max(...rows.map((r) => r.position.length));
    const severityWidth = Math.max(...rows.map((r) => r.finding.severity.length));
    const ruleWidth = Math.max(...rows.map((r) => r.finding.ruleId.length));
    const lines = [s.underline(s.bold(path))];
    for (const { position, finding } of rows) {
      const severity = s[finding.severity](finding.severity.padEnd(severityWidth));
      lines.push(`  ${s.dim(position.padEnd(positionWidth))}  ${severity}  ${s.dim(finding.ruleId.padEnd(ruleWidth))}  ${oneLine(finding.message)}`);
      // The other side of a cross-file finding, where a terminal user can jump to it.
      const indent = ' '.repeat(2 + positionWidth + 2);
      for (const related of finding.related) {
        const r = toLocation(report.displayBaseUri, related.span);
        lines.push(s.dim(`${indent}↳ ${r.path}:${r.line}:${r.column} ${oneLine(related.message)}`));
      }
    }
    blocks.push(lines.join('\n') + '\n');
  }
  return blocks.join('\n');
}

/**
 * A message as a terminal or CI log shows it: plain text (`code` spans as
 * 'code', as editors without Markdown diagnostics show them), on one line
 * to keep the one-finding-per-line promise even if a message ever contains
 * a line break.
 */
function oneLine(markdown: string): string {
  return inlineCodeAsQuotes(markdown).replace(/\s*[\r\n]+\s*/g, ' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

type Paint = (text: string) => string;
type Styles = Record<Severity | 'bold' | 'dim' | 'underline', Paint>;

/** ANSI SGR codes, each closed by its own reset so nested styles survive. */
function styles(color: boolean): Styles {
  const sgr =
    (open: number, close: number): Paint =>
    (text) =>
      color ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return { bold: sgr(1, 22), dim: sgr(2, 22), underline: sgr(4, 24), error: sgr(31, 39), warning: sgr(33, 39), note: sgr(36, 39) };
}
