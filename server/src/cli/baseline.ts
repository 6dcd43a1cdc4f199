/**
 * Baselines, for adopting irsa-lint in a repository that already has
 * findings: `--write-baseline FILE` records today's findings, `--baseline
 * FILE` stops reporting them, so CI fails only on new ones. A finding is
 * recorded by rule id, path (relative to the baseline file's directory, so
 * the file works from any current directory) and a fingerprint of the
 * source line it points at: lines moving up or down do not change it, and
 * neither does a message that names a line elsewhere. Identical entries
 * count: two recorded findings excuse two, not a third.
 *
 * `--baseline F --write-baseline F` rewrites F with the entries that still
 * match and nothing new: the baseline only ever shrinks as findings are fixed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToUri } from '../common/uri';
import type { Finding } from '../rules/types';
import { CliError } from './errors';
import { findingHash, relativePath } from './report';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly ruleId: string;
  /** Relative to the baseline file's directory, forward slashes. */
  readonly path: string;
  readonly fingerprint: string;
}

export interface BaselineDocument {
  readonly version: typeof BASELINE_VERSION;
  readonly tool: 'irsa-lint';
  readonly findings: readonly BaselineEntry[];
}

/** The entries of `findings` (with the source lines they are anchored on) for a baseline file at `file`. */
export function baselineEntries(findings: readonly Finding[], anchorLines: readonly string[], file: string): BaselineEntry[] {
  const dirUri = pathToUri(path.dirname(file));
  return findings.map((f, i) => {
    const shown = relativePath(dirUri, f.span.uri);
    return { ruleId: f.ruleId, path: shown, fingerprint: findingHash(f.ruleId, shown, anchorLines[i] ?? '') };
  });
}

export interface BaselineMatch {
  /** For each finding: whether the baseline excuses it. */
  readonly excused: readonly boolean[];
  /** Entries that matched no finding (fixed since, or moved to another file). */
  readonly unmatched: number;
}

/** Matches findings (by their entries, same order) against the baseline's, each entry excusing one finding. */
export function matchBaseline(entries: readonly BaselineEntry[], baseline: readonly BaselineEntry[]): BaselineMatch {
  const counts = new Map<string, number>();
  for (const e of baseline) counts.set(keyOf(e), (counts.get(keyOf(e)) ?? 0) + 1);
  const excused = entries.map((e) => {
    const left = counts.get(keyOf(e)) ?? 0;
    if (left === 0) return false;
    counts.set(keyOf(e), left - 1);
    return true;
  });
  return { excused, unmatched: [...counts.values()].reduce((a, b) => a + b, 0) };
}

/** Reads a baseline file; anything but a baseline this version wrote is a `CliError` (CI must not pass on a typo). */
export function readBaseline(file: string, shown: string): BaselineEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read baseline ${shown} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new CliError(`baseline ${shown} is not JSON; write one with --write-baseline ${shown}`);
  }
  const findings = isObject(doc) && doc['version'] === BASELINE_VERSION ? doc['findings'] : undefined;
  if (!Array.isArray(findings) || !findings.every(isEntry)) throw new CliError(`baseline ${shown} is not an irsa-lint baseline (version ${BASELINE_VERSION}); write one with --write-baseline ${shown}`);
  return findings;
}

/** Writes the entries sorted, one per line, so that a baseline's diff in review shows what changed. */
export function writeBaseline(file: string, shown: string, entries: readonly BaselineEntry[]): void {
  const sorted = [...entries].sort((a, b) => compare(a.path, b.path) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint));
  const lines = sorted.map((e) => `    ${JSON.stringify({ ruleId: e.ruleId, path: e.path, fingerprint: e.fingerprint })}`);
  const text = `{\n  "version": ${BASELINE_VERSION},\n  "tool": "irsa-lint",\n  "findings": [${lines.length > 0 ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new CliError(`cannot write baseline ${shown} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function keyOf(e: BaselineEntry): string {
  return `${e.ruleId}\0${e.path}\0${e.fingerprint}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown): value is BaselineEntry {
  return isObject(value) && typeof value['ruleId'] === 'string' && typeof value['path'] === 'string' && typeof value['fingerprint'] === 'string';
}
