/**
 * The Node side of the engine, shared by the CLI and the language server:
 * where the wasm grammars are, and reading a workspace from disk. This is
 * the only place below `lsp/` and `cli/` that does IO.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initHclParser } from '../parse/hcl';
import { pathToUri } from '../common/uri';
import { classifyFile, IGNORED_DIRECTORIES, type Workspace } from '../index/workspace';

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const GRAMMAR_WASM = 'tree-sitter-terraform.wasm';

/**
 * In the bundle the wasm files sit beside the script (esbuild copies them);
 * when running from compiled sources they are in node_modules.
 */
export function locateWasm(): { runtimeWasm: string; grammarWasm: string } {
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
 */
export function* walkWorkspace(root: string, options: WalkOptions = {}): Generator<string> {
  const visited = new Set<string>();
  const stack = [path.resolve(root)];
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
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      options.onSkip?.({ path: dir, reason: `unreadable directory (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const stat = fs.statSync(full);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (!IGNORED_DIRECTORIES.has(entry.name)) stack.push(full);
      } else if (isFile && classifyFile(pathToUri(full))) {
        yield full;
      }
    }
  }
}

export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** Reads a file as UTF-8 text, refusing binary and over-size files. */
export function readTextFile(file: string, maxFileSizeKB = DEFAULT_MAX_FILE_SIZE_KB): ReadResult {
  let buffer: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.size > maxFileSizeKB * 1024) return { ok: false, reason: `larger than the ${maxFileSizeKB} KB size limit` };
    buffer = fs.readFileSync(file);
  } catch (e) {
    return { ok: false, reason: `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  if (buffer.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary content' };
  let text = buffer.toString('utf8');
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
  for (const file of walkWorkspace(root, { ...options, onSkip })) {
    const result = readTextFile(file, options.maxFileSizeKB);
    if (result.ok) workspace.setFile(pathToUri(file), result.text);
    else onSkip({ path: file, reason: result.reason });
  }
  return skipped;
}
