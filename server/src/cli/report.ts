/**
 * What one CLI run produced, in the shape every formatter reads: findings as
 * the engine reports them (0-based LSP ranges, file URIs) plus the scanned
 * root, so each formatter converts to paths relative to it and to the
 * 1-based lines and columns humans and CI tools expect.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Range, Span } from '../common/text';
import type { Fix } from '../edit/types';
import { isUnder, uriToPath } from '../common/uri';
import type { Finding, Severity } from '../rules/types';
import type { Root } from './targets';

export interface SkippedEntry {
  /** As shown: relative to the current directory (`displayBaseUri`), forward slashes. */
  readonly path: string;
  /** The file's URI, when it names a file (SARIF locates it under its root). */
  readonly uri?: string;
  readonly reason: string;
}

export interface RuleFailure {
  readonly ruleId: string;
  readonly error: string;
}

export interface CliReport {
  /** The analysed directories, in argument order (SARIF names files relative to their root). */
  readonly roots: readonly Pick<Root, 'uri'>[];
  /** `file://` URI of the directory text and JSON paths are relative to: the current directory. */
  readonly displayBaseUri: string;
  readonly findings: readonly Finding[];
  readonly skipped: readonly SkippedEntry[];
  /** Rules that threw (engine bugs); the other rules' findings are still complete. */
  readonly failures: readonly RuleFailure[];
  /** Files read and analysed. */
  readonly fileCount: number;
  /** Live checks that failed, one line each; the static findings are complete without them. */
  readonly liveFaults?: readonly string[];
  /** What the run left out or wrote besides the findings (`--quiet`, baselines), one line each, for stderr. */
  readonly notices?: readonly string[];
  /**
   * For each finding (same order), the source line it is anchored on, with
   * white space trimmed: what SARIF fingerprints hash, so that they survive
   * edits elsewhere in the file.
   */
  readonly anchorLines?: readonly string[];
  /**
   * For each finding (same order), the fix `--fix` would apply to it, when
   * it has one (`isCertainFix`) that edits only files under the roots;
   * computed for SARIF only.
   */
  readonly certainFixes?: readonly (Fix | undefined)[];
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
  /** Relative to the base directory, forward slashes, not encoded; absolute when outside it. */
  readonly path: string;
}

export function toRegion(range: Range): Region {
  return { line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

export function toLocation(baseUri: string, span: Span): Location {
  return { path: relativePath(baseUri, span.uri), ...toRegion(span.range) };
}

/**
 * `uri` relative to the directory `baseUri`, with forward slashes: what a
 * terminal or an editor opens from there. A file outside it (a root given
 * outside the current directory) keeps its absolute path, which opens as
 * well and reads better than a ladder of `../`.
 */
export function relativePath(baseUri: string, uri: string): string {
  const file = uriToPath(uri);
  const relative = path.relative(uriToPath(baseUri), file);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return file.split(path.sep).join('/');
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

/** The root a file was read from: the innermost root containing it (roots do not nest, so the only one). */
export function rootOf(roots: CliReport['roots'], uri: string): number {
  const index = roots.findIndex((root) => isUnder(uri, root.uri));
  return index >= 0 ? index : 0;
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

/**
 * The identity of a finding that survives lines moving: the first 32 hex
 * digits of SHA-256 over the rule id, the file's path and the trimmed
 * source line the finding is anchored on, NUL-separated. Neither line
 * numbers nor the message take part (messages cite `file:line` of the
 * other side of a cross-file finding). SARIF fingerprints and baselines use it.
 */
export function findingHash(ruleId: string, filePath: string, anchorLine: string): string {
  return createHash('sha256').update(`${ruleId}\0${filePath}\0${anchorLine}`).digest('hex').slice(0, 32);
}
