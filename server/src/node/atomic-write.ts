/**
 * How `--fix` writes: every file or none, and never half a file.
 *
 * Writing in place loses bytes when the disk (or `ulimit -f`) fills up: the
 * file is left cut mid-expression. And a run that stops at its second file
 * has already rewritten the first. So the new text of every file is first
 * written to a temporary file beside it (same directory, so the rename
 * below cannot cross file systems), with the original's mode, and synced to
 * disk; only when all of them are written does each replace its original by
 * `rename`, which is atomic: a reader sees the old file or the new one.
 * A failure before the renames leaves every original untouched; one during
 * them (rare: a rename needs no space) is reported file by file.
 *
 * A file is refused before any fix is computed for it (`refusalToWrite`)
 * when writing it would do something else than change that one file: a
 * symbolic link (the write would land on its target), a second hard link
 * (a rename splits it from its other names, an in-place write changes a
 * file that may be outside the workspace), a file outside the scanned
 * directory, or one its owner made read-only (root could write it anyway,
 * but the mode says "do not change me").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { realpathOrSelf } from './host';

export interface PlannedWrite {
  readonly file: string;
  /** How the file is named in messages (relative to the scanned directory). */
  readonly shown: string;
  /** The text the fixes were computed from (without a byte order mark). */
  readonly before: string;
  readonly after: string;
}

export type WriteOutcome = { readonly ok: true; readonly written: readonly string[] } | { readonly ok: false; readonly message: string; readonly written: readonly string[]; readonly unchanged: readonly string[] };

/** Why `--fix` must not rewrite `file` (below the scanned `root`, whose real path is `realRoot`), or undefined when it may. */
export function refusalToWrite(file: string, root: string, realRoot: string): string | undefined {
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return 'outside the scanned directory';
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (e) {
    return `cannot be read again (${errorCode(e)})`;
  }
  if (stat.isSymbolicLink()) return 'a symbolic link (irsa-lint writes only the file itself)';
  if (!stat.isFile()) return 'not a regular file';
  if (realpathOrSelf(file) !== path.join(realRoot, relative)) return 'reached through a symbolic link to a directory';
  if (stat.nlink > 1) return `it has ${stat.nlink} hard links, and a write would change or split the file under its other names`;
  if ((stat.mode & 0o222) === 0) return 'read-only (no write permission)';
  try {
    fs.accessSync(file, fs.constants.W_OK);
    // The temporary file and the rename need the directory too.
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
  } catch (e) {
    return `not writable (${errorCode(e)})`;
  }
  return undefined;
}

/**
 * Writes every planned file or none (see the module comment). A file whose
 * bytes changed since they were read is not overwritten: that fails the
 * whole write, as the fixes were computed from the old text.
 */
export function writeFilesAtomically(writes: readonly PlannedWrite[]): WriteOutcome {
  const staged: { readonly write: PlannedWrite; readonly temporary: string }[] = [];
  const all = writes.map((w) => w.shown);
  const removeStaged = (): void => {
    for (const { temporary } of staged) fs.rmSync(temporary, { force: true });
  };
  for (const write of writes) {
    const result = stage(write);
    if (!result.ok) {
      removeStaged();
      return { ok: false, message: `${write.shown}: ${result.reason}`, written: [], unchanged: all };
    }
    staged.push({ write, temporary: result.temporary });
  }
  const written: string[] = [];
  for (const [i, { write, temporary }] of staged.entries()) {
    try {
      fs.renameSync(temporary, write.file);
      written.push(write.shown);
    } catch (e) {
      for (const rest of staged.slice(i)) fs.rmSync(rest.temporary, { force: true });
      return { ok: false, message: `${write.shown}: cannot replace it (${errorCode(e)})`, written, unchanged: all.filter((s) => !written.includes(s)) };
    }
  }
  for (const dir of new Set(writes.map((w) => path.dirname(w.file)))) syncDirectory(dir);
  return { ok: true, written };
}

/** Writes `write`'s new text to a synced temporary file beside it. */
function stage(write: PlannedWrite): { readonly ok: true; readonly temporary: string } | { readonly ok: false; readonly reason: string } {
  let raw: Buffer;
  let stat: fs.Stats;
  try {
    raw = fs.readFileSync(write.file);
    stat = fs.statSync(write.file);
  } catch (e) {
    return { ok: false, reason: `cannot read it again to fix it (${errorCode(e)})` };
  }
  const text = raw.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  if (text.slice(bom.length) !== write.before) return { ok: false, reason: 'changed while irsa-lint was fixing it; run again' };
  const temporary = path.join(path.dirname(write.file), `.${path.basename(write.file)}.irsa-lint-${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, stat.mode & 0o7777);
    fs.writeFileSync(fd, bom + write.after);
    // The mode asked of openSync is filtered by the umask; the original's is kept exactly.
    fs.fchmodSync(fd, stat.mode & 0o7777);
    if (process.getuid?.() === 0 && (stat.uid !== 0 || stat.gid !== 0)) fs.fchownSync(fd, stat.uid, stat.gid);
    fs.fsyncSync(fd);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    return { ok: false, reason: `cannot write it (${errorCode(e)})` };
  }
  fs.closeSync(fd);
  return { ok: true, temporary };
}

/** Makes the renames themselves durable; a file system that cannot sync a directory loses nothing by it. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, fs.constants.O_RDONLY);
    fs.fsyncSync(fd);
  } catch {
    // Not every file system allows it; the rename is atomic either way.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
