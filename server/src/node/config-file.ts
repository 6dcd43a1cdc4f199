/**
 * Reading `.irsa-lint.json` (and `--config`) with the guards of every other
 * workspace read (`readTextFile`): a regular file, opened without blocking,
 * checked on its descriptor, size-capped, and, for the file at a workspace
 * root, inside that workspace once links are resolved. It used to be read
 * with a plain `readFileSync`: a committed symlink to `/dev/stdin` or a FIFO
 * hung a CI job, one to `/dev/zero` filled memory, and one to a file
 * outside the repository had its keys printed as unknown rule ids.
 */
import * as fs from 'node:fs';
import { readTextFile, type ReadResult } from './host';

/** A rule configuration is a few dozen lines; 64 KB leaves room for comments and nothing else. */
const MAX_CONFIG_FILE_KB = 64;

export type ConfigRead = ReadResult | { readonly ok: false; readonly absent: true };

/**
 * Reads a configuration file. With `root`, a file whose real path is outside
 * it is refused (a repository's own file may not lead elsewhere); without,
 * the user named the file and may keep it anywhere. A missing file (or a
 * link to nothing) is `absent`, not an error: most folders have none.
 */
export function readConfigFile(file: string, root?: string): ConfigRead {
  if (!fs.existsSync(file)) return { ok: false, absent: true };
  return readTextFile(file, { maxFileSizeKB: MAX_CONFIG_FILE_KB, ...(root !== undefined ? { root } : {}) });
}
