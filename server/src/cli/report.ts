/**
 * What one CLI run produced, in the shape every formatter reads: findings as
 * the engine reports them (0-based LSP ranges, file URIs) plus the scanned
 * root, so each formatter converts to paths relative to it and to the
 * 1-based lines and columns humans and CI tools expect.
 */
import type { Range, Span } from '../common/text';
import { relativeUri } from '../common/uri';
import type { Finding, Severity } from '../rules/types';

export interface SkippedEntry {
  /** Relative to the scanned directory, forward slashes. */
  readonly path: string;
  readonly reason: string;
}

export interface RuleFailure {
  readonly ruleId: string;
  readonly error: string;
}

export interface CliReport {
  /** `file://` URI of the scanned directory, without a trailing slash. */
  readonly rootUri: string;
  readonly findings: readonly Finding[];
  readonly skipped: readonly SkippedEntry[];
  /** Rules that threw (engine bugs); the other rules' findings are still complete. */
  readonly failures: readonly RuleFailure[];
  /** Files read and analysed. */
  readonly fileCount: number;
  /** Live checks that failed, one line each; the static findings are complete without them. */
  readonly liveFaults?: readonly string[];
  /**
   * For each finding (same order), the source line it is anchored on, with
   * white space trimmed: what SARIF fingerprints hash, so that they survive
   * edits elsewhere in the file.
   */
  readonly anchorLines?: readonly string[];
}

/**
 * A 1-based region. Columns count UTF-16 code units, as the engine does
 * (and as SARIF's default `columnKind`); `endColumn` is exclusive: the
 * column just after the last character, the SARIF convention.
 */
export interface Region {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface Location extends Region {
  /** Relative to the scanned directory, forward slashes, not encoded. */
  readonly path: string;
}

export function toRegion(range: Range): Region {
  return { line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

export function toLocation(rootUri: string, span: Span): Location {
  return { path: relativeUri(rootUri, span.uri), ...toRegion(span.range) };
}

export interface SeverityCounts {
  readonly error: number;
  readonly warning: number;
  readonly note: number;
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
