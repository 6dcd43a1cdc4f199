/**
 * `--format json`: a small, versioned document for scripts. Paths are
 * relative to the current directory with forward slashes (absolute for a
 * file outside it); lines and columns are 1-based, `endColumn` exclusive
 * (as in SARIF). `version` changes only when a field changes meaning or
 * disappears; new fields may be added. Version 2: paths became relative to
 * the current directory instead of the one scanned directory, since several
 * directories may be scanned.
 */
import type { Severity } from '../../rules/types';
import { toLocation, type CliReport } from '../report';

export const JSON_REPORT_VERSION = 2;

export interface JsonReport {
  readonly version: typeof JSON_REPORT_VERSION;
  readonly findings: readonly JsonFinding[];
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  /** Live cluster checks that failed (what, which cluster, how to fix). */
  readonly liveFaults?: readonly string[];
  /** Rules that failed with an internal error; present only when there are some. */
  readonly ruleFailures?: readonly { readonly ruleId: string; readonly error: string }[];
}

export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly related: readonly JsonRelated[];
}

export interface JsonRelated {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export function toJsonReport(report: CliReport): JsonReport {
  const findings = report.findings.map((f): JsonFinding => {
    const loc = toLocation(report.displayBaseUri, f.span);
    return {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      path: loc.path,
      line: loc.line,
      column: loc.column,
      endLine: loc.endLine,
      endColumn: loc.endColumn,
      related: f.related.map((r): JsonRelated => {
        const rel = toLocation(report.displayBaseUri, r.span);
        return { path: rel.path, line: rel.line, column: rel.column, message: r.message };
      }),
    };
  });
  return {
    version: JSON_REPORT_VERSION,
    findings,
    skipped: report.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    ...(report.liveFaults && report.liveFaults.length > 0 ? { liveFaults: report.liveFaults } : {}),
    ...(report.failures.length > 0 ? { ruleFailures: report.failures.map((f) => ({ ruleId: f.ruleId, error: f.error })) } : {}),
  };
}

export function formatJson(report: CliReport): string {
  return JSON.stringify(toJsonReport(report), null, 2) + '\n';
}
