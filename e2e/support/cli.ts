/** The CLI's view of a folder: what every editor must show for it too. */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './paths';

export interface CliFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly path: string;
  readonly line: number;
}

/** The findings `irsa-lint --format json` reports for `dir` (paths relative to it). */
export function cliFindings(dir: string): readonly CliFinding[] {
  // Run from inside `dir`: JSON paths are relative to the current directory.
  const out = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '.', '--format', 'json', '--exit-zero', '--no-live'], { cwd: dir, encoding: 'utf8' });
  return (JSON.parse(out) as { findings: CliFinding[] }).findings;
}
