/**
 * The workspace index. It is handed text (it does no IO), keeps what each
 * file yields, and rebuilds the model from those parts:
 *
 * - JSON, YAML and shell files are parsed and extracted when they are set;
 * - `.tf` files are parsed when set, and their *directory* (a Terraform
 *   module) is re-extracted lazily, from the cached syntax of its files;
 * - the model (links between facts) is rebuilt when anything changed.
 *
 * Nothing is re-parsed that did not change.
 *
 * Each file's parse and extraction (and each module's extraction) runs
 * under a time budget and the nesting limit of `common/budget.ts`; a file
 * over a limit yields no facts and is listed by `limitedFiles()`, and the
 * rest of the workspace is analysed as if it were not there.
 */
import { Deadline, FILE_BUDGET_MS, LimitExceeded, WALL_CLOCK, withDeadline, type Clock } from '../common/budget';
import { LineIndex } from '../common/text';
import { basenameUri, dirnameUri } from '../common/uri';
import { extractJsonFile, extractShellFile, extractTemplateFile, extractYamlFile } from '../facts/files';
import { NO_FACTS, type Facts } from '../facts/types';
import { parseHcl } from '../parse/hcl';
import { extractTerraformModule, type TerraformFile } from '../terraform/module';
import { WorkspaceModel } from './model';

export type FileKind = 'terraform' | 'tfvars' | 'json' | 'template' | 'yaml' | 'shell';

/** Which files the engine reads. Undefined: not ours (skip it). */
export function classifyFile(uri: string): FileKind | undefined {
  return classifyFileName(basenameUri(uri));
}

/** `classifyFile` by the file's name alone (what a directory listing gives, without building a URI). */
export function classifyFileName(fileName: string): FileKind | undefined {
  const name = fileName.toLowerCase();
  if (name.endsWith('.tf')) return 'terraform';
  // Only the variable files Terraform loads by itself: `-var-file` ones are unknowable.
  if (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars')) return 'tfvars';
  if (name.endsWith('.json')) return 'json';
  // Terraform templatefile() targets: `trust.json.tpl`, `trust.tftpl`.
  if (name.endsWith('.tpl') || name.endsWith('.tftpl')) return 'template';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  // Scripts that create roles with the AWS CLI link a role name to a trust policy file.
  if (name.endsWith('.sh') || name.endsWith('.bash')) return 'shell';
  return undefined;
}

/** Directories never worth reading. */
export const IGNORED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.terraform', '.git', '.hg', '.svn', '.terragrunt-cache', '.idea', '.vscode-test']);

interface FileEntry {
  readonly kind: FileKind;
  readonly text: string;
  readonly lines: LineIndex;
  /** JSON, YAML and shell: the file's facts. */
  readonly facts?: Facts;
  /** Terraform and tfvars: the parsed file, for its module's extraction. */
  readonly terraform?: TerraformFile;
  /** Set when the file went over a limit: why it was skipped. */
  readonly limited?: string;
}

export interface WorkspaceOptions {
  /** Time budget per file, in ms; `FILE_BUDGET_MS` by default. */
  readonly fileBudgetMs?: number;
  /** What the budget is measured with: the wall clock by default (tests count work instead, to be deterministic). */
  readonly clock?: Clock;
}

/** A file (or a Terraform module directory) the analysis skipped because it went over a limit. */
export interface LimitedFile {
  readonly uri: string;
  readonly reason: string;
}

export class Workspace {
  private readonly files = new Map<string, FileEntry>();
  /** Terraform directory → the URIs of its .tf/.tfvars files. */
  private readonly moduleFiles = new Map<string, Set<string>>();
  private readonly moduleFacts = new Map<string, Facts>();
  private readonly dirtyModules = new Set<string>();
  /** The facts of every part replaced, added or removed since the last model: what the next one must re-gather. */
  private changedParts: Facts[] = [];
  private cachedModel: WorkspaceModel | undefined;
  private previousModel: WorkspaceModel | undefined;
  private generation = 0;
  private readonly fileBudgetMs: number;
  private readonly clock: Clock;
  /** Terraform module directory → why its extraction went over a limit. */
  private readonly limitedModules = new Map<string, string>();

  constructor(options: WorkspaceOptions = {}) {
    this.fileBudgetMs = options.fileBudgetMs ?? FILE_BUDGET_MS;
    this.clock = options.clock ?? WALL_CLOCK;
  }

  /**
   * Sets (or replaces) a file's text. Returns false when the text is
   * unchanged, so callers can skip re-analysis.
   */
  setFile(uri: string, text: string): boolean {
    const kind = classifyFile(uri);
    if (!kind) return false;
    const previous = this.files.get(uri);
    if (previous && previous.text === text) return false;
    const lines = new LineIndex(text);
    const deadline = new Deadline(this.fileBudgetMs, this.clock);
    let entry: FileEntry;
    if (kind !== 'terraform' && kind !== 'tfvars') {
      const extract = (): Facts => {
        switch (kind) {
          case 'json':
            return extractJsonFile(uri, text, deadline, lines);
          case 'template':
            return extractTemplateFile(uri, text, deadline, lines);
          case 'yaml':
            return extractYamlFile(uri, text, deadline, lines);
          case 'shell':
            return extractShellFile(uri, dirnameUri(uri), text);
        }
      };
      const facts = safeExtract(uri, lines, extract, deadline);
      entry = facts.kind === 'limited' ? { kind, text, lines, facts: NO_FACTS, limited: facts.reason } : { kind, text, lines, facts: facts.facts };
      if (previous?.facts) this.changedParts.push(previous.facts);
      this.changedParts.push(entry.facts!);
    } else {
      const name = basenameUri(uri).toLowerCase();
      const hcl = safeParseHcl(text, deadline);
      const limited = hcl.kind === 'limited' ? hcl.reason : undefined;
      const parsed = hcl.kind === 'limited' ? { blocks: [], attributes: [], problems: [] } : hcl.hcl;
      entry = { kind, text, lines, terraform: { uri, lines, hcl: parsed, isTfvars: kind === 'tfvars', isAutoTfvars: name.endsWith('.auto.tfvars') }, ...(limited ? { limited } : {}) };
      const dir = dirnameUri(uri);
      let set = this.moduleFiles.get(dir);
      if (!set) this.moduleFiles.set(dir, (set = new Set()));
      set.add(uri);
      this.dirtyModules.add(dir);
    }
    this.files.set(uri, entry);
    this.invalidate();
    return true;
  }

  removeFile(uri: string): boolean {
    const entry = this.files.get(uri);
    if (!entry) return false;
    this.files.delete(uri);
    if (entry.facts) this.changedParts.push(entry.facts);
    if (entry.terraform) {
      const dir = dirnameUri(uri);
      const set = this.moduleFiles.get(dir);
      set?.delete(uri);
      if (set && set.size === 0) {
        const facts = this.moduleFacts.get(dir);
        if (facts) this.changedParts.push(facts);
        this.moduleFiles.delete(dir);
        this.moduleFacts.delete(dir);
        this.limitedModules.delete(dir);
        this.dirtyModules.delete(dir);
      } else this.dirtyModules.add(dir);
    }
    this.invalidate();
    return true;
  }

  /** Removes every file at or below a folder (a deleted directory). */
  removeFolder(folderUri: string): number {
    const prefix = folderUri.endsWith('/') ? folderUri : folderUri + '/';
    let removed = 0;
    for (const uri of [...this.files.keys()]) if (uri.startsWith(prefix) && this.removeFile(uri)) removed++;
    return removed;
  }

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  text(uri: string): string | undefined {
    return this.files.get(uri)?.text;
  }

  lines(uri: string): LineIndex | undefined {
    return this.files.get(uri)?.lines;
  }

  uris(): IterableIterator<string> {
    return this.files.keys();
  }

  get size(): number {
    return this.files.size;
  }

  /**
   * Files, and Terraform module directories, skipped because they went over
   * a limit (time budget, nesting), with the reason. Builds the model first.
   */
  limitedFiles(): LimitedFile[] {
    this.model();
    const limited: LimitedFile[] = [];
    for (const [uri, entry] of this.files) if (entry.limited !== undefined) limited.push({ uri, reason: entry.limited });
    for (const [dir, reason] of this.limitedModules) limited.push({ uri: dir, reason: `Terraform module: ${reason}` });
    return limited.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  /** Increases on every change: a cheap way for callers to know the model moved on. */
  get version(): number {
    return this.generation;
  }

  model(): WorkspaceModel {
    if (this.cachedModel) return this.cachedModel;
    for (const dir of this.dirtyModules) {
      const uris = this.moduleFiles.get(dir);
      if (!uris) continue;
      const files: TerraformFile[] = [];
      for (const uri of [...uris].sort()) {
        const t = this.files.get(uri)?.terraform;
        if (t) files.push(t);
      }
      const extracted = safeExtract(files[0]?.uri ?? dir, files[0]?.lines, () => extractTerraformModule(dir, files), new Deadline(this.fileBudgetMs, this.clock));
      const before = this.moduleFacts.get(dir);
      if (before) this.changedParts.push(before);
      if (extracted.kind === 'limited') {
        this.limitedModules.set(dir, extracted.reason);
        this.moduleFacts.set(dir, NO_FACTS);
      } else {
        this.limitedModules.delete(dir);
        this.moduleFacts.set(dir, extracted.facts);
      }
      this.changedParts.push(this.moduleFacts.get(dir)!);
    }
    this.dirtyModules.clear();
    const parts: Facts[] = [];
    for (const entry of this.files.values()) if (entry.facts) parts.push(entry.facts);
    for (const facts of this.moduleFacts.values()) parts.push(facts);
    this.cachedModel = new WorkspaceModel(parts, this.previousModel, this.changedParts);
    this.changedParts = [];
    this.previousModel = this.cachedModel;
    return this.cachedModel;
  }

  private invalidate(): void {
    this.cachedModel = undefined;
    this.generation++;
  }
}

type Limited = { readonly kind: 'limited'; readonly reason: string };

function safeParseHcl(text: string, deadline: Deadline): { readonly kind: 'parsed'; readonly hcl: TerraformFile['hcl'] } | Limited {
  try {
    const hcl = parseHcl(text, deadline);
    return deadline.expired ? { kind: 'limited', reason: deadline.message() } : { kind: 'parsed', hcl };
  } catch (e) {
    if (e instanceof LimitExceeded) return { kind: 'limited', reason: e.reason };
    return { kind: 'parsed', hcl: { blocks: [], attributes: [], problems: [{ start: 0, end: 0, message: `The Terraform parser failed: ${(e as Error).message}` }] } };
  }
}

/**
 * Extraction is written never to throw; this is the last line of defence,
 * so that a bug costs one file a diagnostic rather than the server its life.
 * A limit (nesting, or the time budget, checked again at the end because
 * not every step can check it as it goes) skips the file instead.
 */
function safeExtract(uri: string, lines: LineIndex | undefined, extract: () => Facts, deadline: Deadline): { readonly kind: 'extracted'; readonly facts: Facts } | Limited {
  try {
    const facts = withDeadline(deadline, extract);
    return deadline.expired ? { kind: 'limited', reason: deadline.message() } : { kind: 'extracted', facts };
  } catch (e) {
    if (e instanceof LimitExceeded) return { kind: 'limited', reason: e.reason };
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: lines ? lines.lineText(0).length : 0 } };
    return { kind: 'extracted', facts: { ...NO_FACTS, problems: [{ span: { uri, range }, message: `Internal error while reading this file (${(e as Error).message}); other files are still analysed.` }] } };
  }
}
