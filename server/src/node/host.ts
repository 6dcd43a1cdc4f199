/**
 * The Node side of the engine, shared by the CLI and the language server:
 * where the wasm grammars are, and reading a workspace from disk. This is
 * the only place below `lsp/` and `cli/` that does IO.
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { classifyFileName } from '../../../shared/formats';
import { initHclParser } from '../parse/hcl';
import { pathToUri } from '../common/uri';
import { wordTestFor, wordsIn } from '../facts/prefilter-words';
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

/** A file the walk found. */
export interface WalkedFile {
  readonly path: string;
  /** Its URI, `pathToUri(path)`, built from its directory's. */
  readonly uri: string;
  /**
   * No symbolic link lies between the root and the file: the walk met every
   * directory on the way and the file itself as real ones, so the file is
   * inside the root by construction (`readWalkedFile` then only refuses a
   * file turned into a link since).
   */
  readonly direct: boolean;
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
  for (const file of walkWorkspaceFiles(root, options)) yield file.path;
}

interface WalkDirectory {
  readonly path: string;
  /** Its real path, when the walk knows it (a directory met as a real one below a known one); else resolved when it is read. */
  readonly real: string | undefined;
  readonly uri: string;
  readonly direct: boolean;
}

/**
 * `walkWorkspace` with each file's URI and whether it was reached without a
 * link. The cost is the floor's (one `readdir` with file types per
 * directory): a directory's real path is its parent's plus its name unless
 * it was reached through a link, so `realpath` (an `lstat` per path
 * component) runs for links only, and URIs are built by appending a name to
 * the directory's URI when the name needs no escaping.
 */
export function* walkWorkspaceFiles(root: string, options: WalkOptions = {}): Generator<WalkedFile> {
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
  const fileLinks: { readonly path: string; readonly uri: string; readonly target: string }[] = [];
  const stack: WalkDirectory[] = [{ path: top, real: realRoot, uri: pathToUri(top), direct: true }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let real = dir.real;
    if (real === undefined) {
      try {
        real = fs.realpathSync(dir.path);
      } catch {
        continue;
      }
    }
    if (visited.has(real)) continue;
    visited.add(real);
    const entries = readDirectory(dir.path, options);
    if (!entries) continue;
    for (const { entry, name, utf8 } of entries) {
      const full = joinName(dir.path, name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      const link = entry.isSymbolicLink();
      let target: string | undefined;
      if (link) {
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
      if (!utf8) {
        options.onSkip?.({ path: full, reason: NOT_UTF8_NAME });
        continue;
      }
      const uri = childUri(dir.uri, name, full);
      if (isDir) stack.push({ path: full, real: link ? undefined : joinName(real, name), uri, direct: dir.direct && !link });
      else if (target !== undefined) fileLinks.push({ path: full, uri, target });
      else {
        filesMet.add(joinName(real, name));
        yield { path: full, uri, direct: dir.direct };
      }
    }
  }
  for (const link of fileLinks) {
    if (filesMet.has(link.target)) continue;
    filesMet.add(link.target);
    yield { path: link.path, uri: link.uri, direct: false };
  }
}

interface NamedEntry {
  readonly entry: fs.Dirent;
  readonly name: string;
  /** Whether the name's bytes are valid UTF-8 (`name` is then exactly them). */
  readonly utf8: boolean;
}

/**
 * A directory's entries in the walk's order (names descending: the stack
 * then yields them ascending), or undefined when it cannot be read (said
 * through `onSkip`; a directory gone since it was listed is passed over in
 * silence). Names come as strings; a name holding U+FFFD may be a lossy
 * decoding, so only then is the directory listed again as bytes to tell.
 */
function readDirectory(dir: string, options: WalkOptions): NamedEntry[] | undefined {
  let named: NamedEntry[];
  try {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.name.includes('\uFFFD'))) {
      named = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }).map((entry) => {
        const name = entry.name.toString('utf8');
        return { entry: entry as unknown as fs.Dirent, name, utf8: Buffer.from(name, 'utf8').equals(entry.name) };
      });
    } else named = entries.map((entry) => ({ entry, name: entry.name, utf8: true }));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Gone (or no longer a directory) since its parent was listed: the walk used to find that out from `realpath`, silently.
    if (code !== 'ENOENT' && code !== 'ENOTDIR') options.onSkip?.({ path: dir, reason: `unreadable directory (${code ?? 'error'})` });
    return undefined;
  }
  named.sort((a, b) => (a.name < b.name ? 1 : -1));
  return named;
}

/** `path.join(dir, name)` for a normalized directory and a plain name, without normalizing again. */
function joinName(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** Characters `pathToFileURL` never escapes: a name of only these is appended to its directory's URI as it is. */
const URI_SAFE_NAME = /^[A-Za-z0-9._-]+$/;

function childUri(dirUri: string, name: string, full: string): string {
  if (!URI_SAFE_NAME.test(name)) return pathToUri(full);
  return dirUri.endsWith('/') ? dirUri + name : dirUri + '/' + name;
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

export type ReadResult =
  | { readonly ok: true; readonly text: string }
  /** `tooLarge`: over the size limit (the only refusal a caller may overrule, see `loadWorkspace`). */
  | { readonly ok: false; readonly reason: string; readonly tooLarge?: boolean };

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
  if (root !== undefined && !isInside(realpathOrSelf(file), typeof root === 'string' ? realpathOrSelf(root) : root.realPath)) return { ok: false, reason: OUTSIDE_LINK };
  return readOpened(file, maxFileSizeKB, 0);
}

/** Where the platform has it, `O_NOFOLLOW`: opening a path whose last component is a symbolic link fails (ELOOP). */
const NO_FOLLOW = fs.constants.O_NOFOLLOW as number | undefined;

/**
 * Reads a file the walk found below `root`. A file reached without links
 * (`direct`) is inside the root by the walk's own account, so its real path
 * is not resolved again (that cost an `lstat` per path component per file);
 * it is opened with `O_NOFOLLOW`, so that one replaced by a symbolic link
 * since the walk is not followed blindly: it is then checked as
 * `readTextFile` checks any file. So is a file the walk reached through a link.
 */
export function readWalkedFile(file: WalkedFile, root: WorkspaceRoot, maxFileSizeKB = DEFAULT_MAX_FILE_SIZE_KB): ReadResult {
  if (!file.direct || NO_FOLLOW === undefined) return readTextFile(file.path, { maxFileSizeKB, root });
  const read = readOpened(file.path, maxFileSizeKB, NO_FOLLOW);
  return !read.ok && read.reason === 'unreadable (ELOOP)' ? readTextFile(file.path, { maxFileSizeKB, root }) : read;
}

function readOpened(file: string, maxFileSizeKB: number, extraFlags: number): ReadResult {
  const limit = maxFileSizeKB * 1024;
  let buffer: Buffer;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | extraFlags);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stat.size > limit) return { ok: false, reason: `larger than the ${maxFileSizeKB} KB size limit`, tooLarge: true };
    // Not zero-filled: only the bytes read are kept.
    buffer = Buffer.allocUnsafe(Math.min(stat.size, limit) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length > limit) return { ok: false, reason: `larger than the ${maxFileSizeKB} KB size limit`, tooLarge: true };
    buffer = buffer.subarray(0, length);
  } catch (e) {
    return { ok: false, reason: `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return decodeText(buffer);
}

/**
 * The text of a file's bytes: binary content (a NUL in the first 8 KB) and
 * anything but strict UTF-8 are refused. Decoded as
 * `new TextDecoder('utf-8', { fatal: true })` decodes (one leading byte
 * order mark dropped), then one more leading U+FEFF dropped; validated and
 * decoded natively, one pass each (`isUtf8`, `toString`).
 */
export function decodeText(buffer: Buffer): ReadResult {
  if (buffer.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary content' };
  // Terraform, kubectl and IAM all read UTF-8 only; a lossy decode would turn a byte into U+FFFD and a
  // misleading syntax error. Latin-1 and UTF-16 files are not ours to judge: skip them with the reason.
  if (!isUtf8(buffer)) return { ok: false, reason: 'not UTF-8 text' };
  const bom = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  let text = buffer.toString('utf8', bom);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

/** An over-size file is streamed to prove it irrelevant only up to this many times the size limit; beyond, it is reported unread. */
const OVERSIZE_SCAN_FACTOR = 8;
const OVERSIZE_CHUNK = 1024 * 1024;

/**
 * Whether a file the walk found, refused for its size, provably has no
 * facts: its format's word test (`facts/prefilter-words.ts`, which says
 * per format why) fails on its bytes, read in chunks and never held whole.
 * Such a file is not reported as skipped, as a small file the pre-filter
 * sets aside is not. False (report it) for Terraform, for binary content,
 * for a file too large even to stream, and on any error.
 */
export function overSizeWithoutFacts(file: WalkedFile, maxFileSizeKB = DEFAULT_MAX_FILE_SIZE_KB): boolean {
  const kind = classifyFileName(path.basename(file.path));
  const test = kind && wordTestFor(file.uri, kind);
  if (!test) return false;
  const longest = Math.max(...test.words.map((w) => w.length), ...test.caseInsensitive.map((w) => w.length));
  let fd: number | undefined;
  try {
    fd = fs.openSync(file.path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (file.direct ? (NO_FOLLOW ?? 0) : 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > maxFileSizeKB * 1024 * OVERSIZE_SCAN_FACTOR) return false;
    const buffer = Buffer.allocUnsafe(OVERSIZE_CHUNK);
    const found = new Set<string>();
    let carry = '';
    for (let first = true; ; first = false) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      // Binary content is reported as it always was.
      if (first && buffer.subarray(0, Math.min(n, 8192)).includes(0)) return false;
      // Latin-1: one character per byte, so the ASCII words are found whatever the encoding of the rest.
      const text = carry + buffer.toString('latin1', 0, n);
      for (const w of wordsIn(test, text)) found.add(w);
      if (test.mayHaveFacts(found)) return false;
      carry = text.slice(Math.max(0, text.length - longest + 1));
    }
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Loads every file below `root` into the workspace. Returns the files skipped, with reasons. */
export function loadWorkspace(workspace: Workspace, root: string, options: WalkOptions = {}): SkippedFile[] {
  const skipped: SkippedFile[] = [];
  const onSkip = (s: SkippedFile): void => {
    skipped.push(s);
    options.onSkip?.(s);
  };
  const resolvedRoot = new WorkspaceRoot(root);
  for (const file of walkWorkspaceFiles(root, { ...options, onSkip })) {
    const result = readWalkedFile(file, resolvedRoot, options.maxFileSizeKB);
    if (result.ok) workspace.setFile(file.uri, result.text);
    else if (!(result.tooLarge && overSizeWithoutFacts(file, options.maxFileSizeKB))) onSkip({ path: file.path, reason: result.reason });
  }
  return skipped;
}
