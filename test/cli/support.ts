/**
 * Helpers for the CLI tests: run the bundled `dist/cli.js` as users do, and
 * make throw-away workspaces from the committed `cli-*` fixtures.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

/** From out/test/cli/ back to the repository. */
const REPO = path.join(__dirname, '..', '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const WORKSPACES = path.join(REPO, 'test', 'fixtures', 'workspaces');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI with stdout and stderr as pipes (so not a terminal) and a
 * colour-neutral environment. The timeout turns a hang into a failure.
 *
 * Without `cwd`, a first argument that names a directory (a fixture name or
 * a scratch workspace) is run from inside that directory as `.`, the way
 * people run irsa-lint from their repository's root, so that the paths it
 * prints (relative to the current directory) are the workspace's own.
 * Give `cwd` to run it exactly as written.
 */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'NODE_OPTIONS']) if (!options.env || !(name in options.env)) delete env[name];
  let cwd = options.cwd ?? WORKSPACES;
  const first = args[0];
  if (options.cwd === undefined && first !== undefined && !first.startsWith('-') && isDirectory(path.resolve(cwd, first))) {
    cwd = path.resolve(cwd, first);
    args = ['.', ...args.slice(1)];
  }
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The lines of `stdout` as `path:line:col severity rule-id`, without messages. */
export function findingHeads(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' ').slice(0, 3).join(' '));
}

const temporaryDirectories: string[] = [];
after(() => {
  for (const dir of temporaryDirectories) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A temporary copy of a fixture workspace (or an empty one), plus extra
 * files; removed when the test file ends.
 */
export function scratchWorkspace(fixture: string | undefined, extraFiles: Readonly<Record<string, string | Buffer>> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-lint-cli-'));
  temporaryDirectories.push(dir);
  if (fixture !== undefined) fs.cpSync(path.join(WORKSPACES, fixture), dir, { recursive: true });
  for (const [name, content] of Object.entries(extraFiles)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}
