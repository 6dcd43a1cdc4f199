/**
 * The Node side of the engine, shared by the CLI and the language server:
 * where the wasm grammars are, and reading a workspace from disk. This is
 * the only place below `lsp/` and `cli/` that does IO.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyFileName } from '../../../shared/formats';
import { initHclParser } from '../parse/hcl';
import { pathToUri } from '../common/uri';
import { IGNORED_DIRECTORIES, type Workspace } from '../index/workspace';

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const GRAMMAR_WASM = 'tree-sitter-terraform.wasm';

/**
 * In the bundle the wasm files sit beside the script (esbuild copies them);
 * when running from compiled sources they are in node_modules.
 */
function locateWasm(): { runtimeWasm: string; grammarWasm: string } {
  const beside = (name: string): string | undefined => {
    const candidate = path.join(__dirname, name);
    return fs.existsSync(candidate) ? candidate : undefined;
  };
  const runtimeWasm = beside(RUNTIME_WASM) ?? require.resolve(`web-tree-sitter/${RUNTIME_WASM}`);
  const grammarWasm = beside(GRAMMAR_WASM) ?? path.join(path.dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), GRAMMAR_WASM);
  return { runtimeWasm, grammarWasm };
}

export async function initParsers(): Promise<void> {
  await initHclParser(locateWasm());
}

export const DEFAULT_MAX_FILE_SIZE_KB = 2048;

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface WalkOptions {
  readonly maxFileSizeKB?: number;
  /** Called with every skipped file (too large, binary, unreadable). */
  readonly onSkip?: (skipped: SkippedFile) => void;
}

/**
 * Every file below `root` the engine reads, depth first, skipping ignored
 * directories and following each real directory once (symlink loops end).
 * A symbolic link that leads out of `root` is not followed: scanning a
 * repository must not read `/etc` because someone committed `ln -s / x`.
 * A file reached both directly and through a symbolic link is read once,
 * through its own path: links to files come last, and only those whose
 * target the walk did not meet. A name that is not valid UTF-8 cannot be
 * named by a URI or a diagnostic: it is reported, not silently lost.
 */
export function* walkWorkspace(root: string, options: WalkOptions = {}): Generator<string> {
  const visited = new Set<string>();
  const top = path.resolve(root);
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(top);
  } catch {
    return;
  }
  /** Real paths of the regular files yielded. */
  const filesMet = new Set<string>();
  /** Links to files inside the workspace, with their targets: yielded at the end unless the target was met. */
  const fileLinks: { readonly path: string; readonly target: string }[] = [];
  const stack = [top];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      continue;
    }
    if (visited.has(real)) continue;
    visited.add(real);
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      options.onSkip?.({ path: dir, reason: `unreadable directory (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    const named = entries.map((entry) => ({ entry, name: entry.name.toString('utf8') }));
    named.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const { entry, name } of named) {
      const full = path.join(dir, name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let target: string | undefined;
      if (entry.isSymbolicLink()) {
        try {
          const stat = fs.statSync(full);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue; // dangling link
        }
        const wanted = isDir ? !IGNORED_DIRECTORIES.has(name) : isFile && classifyFileName(name) !== undefined;
        if (wanted) {
          target = realpathOrSelf(full);
          if (!isInside(target, realRoot)) {
            options.onSkip?.({ path: full, reason: OUTSIDE_LINK });
            continue;
          }
        }
      }
      const wanted = isDir ? !IGNORED_DIRECTORIES.has(name) : isFile && classifyFileName(name) !== undefined;
      if (!wanted) continue;
      if (!Buffer.from(name, 'utf8').equals(entry.name)) {
        options.onSkip?.({ path: full, reason: NOT_UTF8_NAME });
        continue;
      }
      if (isDir) stack.push(full);
      else if (target !== undefined) fileLinks.push({ path: full, target });
      else {
        filesMet.add(path.join(real, name));
        yield full;
      }
    }
  }
  for (const link of fileLinks) {
    if (filesMet.has(link.target)) continue;
    filesMet.add(link.target);
    yield link.path;
  }
}

const NOT_UTF8_NAME = 'its name is not valid UTF-8 (not read: a URI cannot name it)';
const OUTSIDE_LINK = 'symbolic link to a path outside the workspace (not followed)';

export function realpathOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

export interface ReadOptions {
  readonly maxFileSizeKB?: number;
  /** When given, a file whose real path (links resolved) is outside this directory is refused. */
  readonly root?: string | WorkspaceRoot;
}

/**
 * A workspace root with its real path resolved once, for reading many files
 * below it (a scan resolves the root once, as `walkWorkspace` does, instead
 * of once per file).
 */
export class WorkspaceRoot {
  readonly realPath: string;

  constructor(readonly path: string) {
    this.realPath = realpathOrSelf(path);
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a file as UTF-8 text, refusing what is not a regular file, binary
 * content, text that is not UTF-8, and over-size files. The file is opened
 * once and everything is checked on that descriptor: a file replaced by a
 * FIFO or a link to `/dev/zero` between the walk and the read (or named by
 * a watcher event) is refused instead of blocking the process or filling
 * its memory, and a file that grows while being read is cut at the limit.
 */
export function readTextFile(file: string, options: ReadOptions | number = {}): ReadResult {
  const { maxFileSizeKB = DEFAULT_MAX_FILE_SIZE_KB, root } = typeof options === 'number' ? { maxFileSizeKB: options } : options;
  const limit = maxFileSizeKB * 1024;
  if (root !== undefined && !isInside(realpathOrSelf(file), typeof root === 'string' ? realpathOrSelf(root) : root.realPath)) return { ok: false, reason: OUTSIDE_LINK };
  let buffer: Buffer;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stat.size > limit) return { ok: false, reason: `larger than the ${maxFileSizeKB} KB size limit` };
    buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length > limit) return { ok: false, reason: `larger than the ${maxFileSizeKB} KB size limit` };
    buffer = buffer.subarray(0, length);
  } catch (e) {
    return { ok: false, reason: `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  if (buffer.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary content' };
  let text: string;
  try {
    // Terraform, kubectl and IAM all read UTF-8 only; a lossy decode would turn a byte into U+FFFD and a
    // misleading syntax error. Latin-1 and UTF-16 files are not ours to judge: skip them with the reason.
    text = STRICT_UTF8.decode(buffer);
  } catch {
    return { ok: false, reason: 'not UTF-8 text' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

/** Loads every file below `root` into the workspace. Returns the files skipped, with reasons. */
export function loadWorkspace(workspace: Workspace, root: string, options: WalkOptions = {}): SkippedFile[] {
  const skipped: SkippedFile[] = [];
  const onSkip = (s: SkippedFile): void => {
    skipped.push(s);
    options.onSkip?.(s);
  };
  const resolvedRoot = new WorkspaceRoot(root);
  for (const file of walkWorkspace(root, { ...options, onSkip })) {
    const result = readTextFile(file, { maxFileSizeKB: options.maxFileSizeKB, root: resolvedRoot });
    if (result.ok) workspace.setFile(pathToUri(file), result.text);
    else onSkip({ path: file, reason: result.reason });
  }
  return skipped;
}
