/**
 * What the command line names, turned into what to analyse and what to
 * report. Directories are roots, analysed together as one workspace (the
 * infrastructure repository's roles and the GitOps repository's
 * ServiceAccounts link across them). Files are what to report on, which is
 * what pre-commit and lint-staged pass: they are analysed inside their
 * workspace (the given directories, else the enclosing one), because a
 * ServiceAccount is only right or wrong against the role it names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToUri } from '../common/uri';
import { CONFIG_FILE_NAME } from '../config';
import { CliError } from './errors';

export interface Root {
  /** Absolute. */
  readonly path: string;
  /** `file://` URI, without a trailing slash. */
  readonly uri: string;
}

export interface Targets {
  /** Directories to analyse, in argument order, none inside another. */
  readonly roots: readonly Root[];
  /** When files were named: their URIs. Only findings in them are reported. */
  readonly files?: ReadonlySet<string>;
}

/**
 * Marks of a workspace's top for a file named alone: the nearest ancestor
 * with one of these is where its ServiceAccounts and roles live.
 */
const WORKSPACE_MARKERS = [CONFIG_FILE_NAME, '.git'];

/** Resolves the arguments (default `.`) against `cwd`; a missing path is a `CliError`. */
export function resolveTargets(args: readonly string[], cwd: string): Targets {
  const directories: string[] = [];
  const files: string[] = [];
  for (const arg of args.length > 0 ? args : ['.']) {
    const absolute = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CliError(code === 'ENOENT' ? `no such file or directory: ${arg}` : `cannot read ${arg} (${code ?? (e as Error).message})`);
    }
    if (stat.isDirectory()) {
      // The walk reports unreadable subdirectories as skipped; an unreadable root would pass as "0 files, no problems".
      try {
        fs.readdirSync(absolute);
      } catch (e) {
        throw new CliError(`cannot read directory ${arg} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      directories.push(absolute);
    } else if (stat.isFile()) files.push(absolute);
    else throw new CliError(`not a file or directory: ${arg}`);
  }
  for (const file of files) {
    if (directories.length > 0 && !directories.some((d) => isInside(file, d))) {
      throw new CliError(`${path.relative(cwd, file) || file} is not inside any of the directories given (${directories.map((d) => path.relative(cwd, d) || '.').join(', ')})`);
    }
  }
  const rootPaths = directories.length > 0 ? directories : files.map((f) => enclosingWorkspace(f, cwd));
  const roots = outermost(rootPaths).map((p): Root => ({ path: p, uri: pathToUri(p) }));
  return files.length > 0 ? { roots, files: new Set(files.map(pathToUri)) } : { roots };
}

/**
 * The nearest ancestor of `file` holding `.irsa-lint.json` or `.git`;
 * without one, the current directory if the file is inside it, else the
 * file's own directory.
 */
export function enclosingWorkspace(file: string, cwd: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (WORKSPACE_MARKERS.some((marker) => fs.existsSync(path.join(dir, marker)))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  return isInside(file, cwd) ? path.resolve(cwd) : path.dirname(file);
}

/** Without duplicates and without directories inside another one given (they are read with it). */
function outermost(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((p) => !unique.some((other) => other !== p && isInside(p, other)));
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}
