/**
 * The workspace index. It is handed text (it does no IO), keeps what each
 * file yields, and rebuilds the model from those parts:
 *
 * - a file's format (`shared/formats.ts`) says how it is read: its pipeline
 *   (`formats/registry.ts`) parses it, then extracts its facts;
 * - file-scoped formats (JSON, YAML, templates, shell) are parsed and
 *   extracted when they are set;
 * - directory-scoped ones (`.tf`, `.tfvars`) are scanned when set (the
 *   Terraform pre-filter, `terraform/prefilter.ts`); a *directory* (a
 *   Terraform module) that matters, or that local module calls link to one
 *   that does, has its files parsed and is re-extracted lazily, from the
 *   cached syntax of its files, when the model is next built; the files of
 *   other directories keep their text only;
 * - the model (links between facts) is rebuilt when anything changed;
 * - a Markdown runbook is an island: its facts are not part of the
 *   workspace's model but a model of their own (`islands()`), so that an
 *   example in a README is never linked to the configuration the workspace
 *   deploys, nor to another README's example (`facts/markdown.ts`).
 *
 * Nothing is re-parsed that did not change.
 *
 * Each file's parse and extraction (and each module's extraction) runs
 * under a time budget and the nesting limit of `common/budget.ts`; a file
 * over a limit yields no facts and is listed by `limitedFiles()`, and the
 * rest of the workspace is analysed as if it were not there.
 */
import { classifyFileName, type FormatKind } from '../../../shared/formats';
import { Deadline, FILE_BUDGET_MS, LimitExceeded, WALL_CLOCK, withDeadline, type Clock } from '../common/budget';
import { LineIndex, type TextChange } from '../common/text';
import { basenameUri, dirnameUri } from '../common/uri';
import type { FileInput } from '../facts/files';
import { NO_FACTS, type Facts } from '../facts/types';
import type { JsonSetAside } from '../facts/prefilter';
import type { DirectoryPipeline, FilePipeline } from '../formats/pipeline';
import { extractFile, PIPELINES } from '../formats/registry';
import type { ModuleDirectories, TerraformFile } from '../terraform/module';
import { localModuleTargets } from '../terraform/local-modules';
import { sameScan, type TerraformScan } from '../terraform/prefilter';
import { WorkspaceModel } from './model';

/**
 * Which files the engine reads, by the format registry (`classifyFileName`
 * for a bare file name). Undefined: not ours (skip it).
 */
export function classifyFile(uri: string): FormatKind | undefined {
  return classifyFileName(basenameUri(uri));
}

/**
 * A Terraform directory's extraction budget is its files' together, up to
 * this many files' worth (30 s by default): dense10k's 1,033-file directory
 * extracts in about 3 s, and a runaway still ends.
 */
const MAX_DIRECTORY_BUDGET_FILES = 15;

/** Directories never worth reading. */
export const IGNORED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.terraform', '.git', '.hg', '.svn', '.terragrunt-cache', '.idea', '.vscode-test']);

interface FileEntry {
  readonly kind: FormatKind;
  /** Undefined for a file the pre-filter set aside: it has no facts, and nothing of it is kept but its existence. */
  readonly text?: string;
  readonly lines?: LineIndex;
  /** File-scoped formats: the file's facts. */
  readonly facts?: Facts;
  /** Directory-scoped formats (Terraform and tfvars): see `DirectoryMember`. */
  readonly directory?: DirectoryMember;
  /** Set when the file went over a limit: why it was skipped. */
  readonly limited?: string;
  /**
   * For a file the pre-filter set aside: the role names it writes in role
   * ARNs (`…:role/<name>`), which is all `role-unused` needs of it.
   */
  readonly roleNames?: readonly string[];
  /**
   * For a file set aside while the editor types in it: the text it was set
   * aside with and the pre-filter's guard, so that the next edit is judged
   * instead of the text (`FilePipeline.incremental`). Kept only for edits:
   * files read from disk keep no text.
   */
  readonly edited?: { readonly text: string; readonly guard: JsonSetAside };
}

/**
 * A Terraform file as its directory's member. Its text stays in the entry
 * whether or not the directory is read: the index does no IO, and an edit
 * elsewhere (a token typed into a neighbour, a local module call added in
 * another directory) can make the directory matter, and then the file is
 * parsed from that text; `role-unused` also counts a role's name in every
 * file's text (`analysis.ts`). Only the syntax and the line index are left
 * out while the directory is not read.
 */
interface DirectoryMember {
  readonly pipeline: DirectoryPipeline;
  /** What the pre-filter found in the text. */
  readonly scan: TerraformScan;
  /** The parsed file, kept for its directory's extraction: present while the directory is read, absent otherwise. */
  readonly syntax?: TerraformFile;
  /** Local module targets the parser found and the scan did not (a file that matters because the scan could not read a source): links too. */
  readonly extraTargets?: readonly string[];
}

export interface WorkspaceOptions {
  /** Time budget per file, in ms; `FILE_BUDGET_MS` by default. */
  readonly fileBudgetMs?: number;
  /** What the budget is measured with: the wall clock by default (tests count work instead, to be deterministic). */
  readonly clock?: Clock;
  /** False reads every Terraform directory, whatever the pre-filter says (`test/terraform/prefilter.test.ts` compares both). True by default. */
  readonly terraformPrefilter?: boolean;
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
  /** Each runbook's own model, by its facts (which keep their identity while the file is unchanged). */
  private readonly islandModels = new WeakMap<Facts, WorkspaceModel>();
  private previousModel: WorkspaceModel | undefined;
  private generation = 0;
  private readonly fileBudgetMs: number;
  private readonly clock: Clock;
  private readonly terraformPrefilter: boolean;
  /** Terraform module directory → why its extraction went over a limit. */
  private readonly limitedModules = new Map<string, string>();
  /** Terraform module directory → the other directories its last extraction read (local modules: callers and callees). */
  private readonly moduleReads = new Map<string, Set<string>>();
  /** The files whose entry is `limited`: `limitedFiles()` runs after every analysis and must not walk every file. */
  private readonly limitedUris = new Set<string>();
  /**
   * The Terraform directories that are read (parsed and extracted): those
   * with a file the pre-filter says matters, and those local module calls
   * link to them, transitively. As of the last model.
   */
  private relevant = new Set<string>();
  /** Set when a file's scan changed (set, removed, or parsed with links the scan missed): `relevant` is recomputed before the next model. */
  private relevanceStale = false;

  constructor(options: WorkspaceOptions = {}) {
    this.fileBudgetMs = options.fileBudgetMs ?? FILE_BUDGET_MS;
    this.clock = options.clock ?? WALL_CLOCK;
    this.terraformPrefilter = options.terraformPrefilter ?? true;
  }

  /**
   * Sets (or replaces) a file's text. Returns false when the text is
   * unchanged, so callers can skip re-analysis.
   */
  setFile(uri: string, text: string, change?: TextChange): boolean {
    const kind = classifyFile(uri);
    if (!kind) return false;
    const previous = this.files.get(uri);
    const pipeline = PIPELINES[kind];
    const setAside = pipeline.scope === 'file' ? this.setAside(pipeline, uri, text, previous, change) : undefined;
    if (setAside) {
      // Provably no facts (`facts/prefilter.ts`): not parsed, nothing kept. No facts before either: nothing changed for the analysis.
      const roleNames = roleNamesInArns(text);
      const kept = { ...(roleNames.length > 0 ? { roleNames } : {}), ...(setAside.edited ? { edited: setAside.edited } : {}) };
      if (previous && previous.text === undefined && sameNames(previous.roleNames, roleNames)) {
        if (previous.edited || setAside.edited) this.files.set(uri, { kind, facts: NO_FACTS, ...kept });
        return false;
      }
      if (previous?.facts && !isIsland(kind)) this.changedParts.push(previous.facts);
      this.files.set(uri, { kind, facts: NO_FACTS, ...kept });
      this.limitedUris.delete(uri);
      this.invalidate();
      return true;
    }
    if (previous && previous.text === text) return false;
    let entry: FileEntry;
    if (pipeline.scope === 'file') {
      const lines = new LineIndex(text);
      const deadline = new Deadline(this.fileBudgetMs, this.clock);
      const file: FileInput = { uri, lines, deadline };
      const facts = safeExtract(uri, lines, () => extractFile(kind, file) ?? NO_FACTS, deadline);
      entry = facts.kind === 'limited' ? { kind, text, lines, facts: NO_FACTS, limited: facts.reason } : { kind, text, lines, facts: facts.facts };
      if (!isIsland(kind)) {
        if (previous?.facts) this.changedParts.push(previous.facts);
        this.changedParts.push(entry.facts!);
      }
    } else {
      // Scanned only: parsed when the model is next built, if its directory is read then (`readDirectories`).
      const scan = pipeline.scan(uri, text);
      entry = { kind, text, directory: { pipeline, scan } };
      if (!sameScan(previous?.directory?.scan, scan) || previous?.directory?.extraTargets !== undefined) this.relevanceStale = true;
      const dir = dirnameUri(uri);
      let set = this.moduleFiles.get(dir);
      if (!set) this.moduleFiles.set(dir, (set = new Set()));
      set.add(uri);
      this.dirtyModules.add(dir);
    }
    this.files.set(uri, entry);
    if (entry.limited !== undefined) this.limitedUris.add(uri);
    else this.limitedUris.delete(uri);
    this.invalidate();
    return true;
  }

  /**
   * Whether the pre-filter sets `text` aside, and for an editor's edit what
   * to keep so that the next edit is judged without rescanning the text.
   * Undefined: the file may have facts.
   */
  private setAside(pipeline: Pick<FilePipeline<unknown>, 'mayHaveFacts' | 'incremental'>, uri: string, text: string, previous: FileEntry | undefined, change: TextChange | undefined): { readonly edited?: FileEntry['edited'] } | undefined {
    const incremental = pipeline.incremental;
    if (!incremental) return pipeline.mayHaveFacts(uri, text) ? undefined : {};
    // The edit is of the very text the guard was taken from (the same string): judge the edit alone.
    const kept = change && previous?.edited && previous.edited.text === change.previous ? incremental.editKeeps(change, text, previous.edited.guard) : undefined;
    if (kept) return { edited: { text, guard: kept } };
    const verdict = incremental.verdict(text);
    if (verdict.mayHaveFacts) return undefined;
    return change && verdict.setAside ? { edited: { text, guard: verdict.setAside } } : {};
  }

  removeFile(uri: string): boolean {
    const entry = this.files.get(uri);
    if (!entry) return false;
    this.files.delete(uri);
    this.limitedUris.delete(uri);
    if (entry.facts && !isIsland(entry.kind)) this.changedParts.push(entry.facts);
    if (entry.directory) {
      const dir = dirnameUri(uri);
      const set = this.moduleFiles.get(dir);
      set?.delete(uri);
      // Its tokens or links may have been what made directories matter.
      this.relevanceStale = true;
      if (set && set.size === 0) {
        // Its callers read its outputs, its callees its inputs: they change with it (`forgetDirectory`).
        this.forgetDirectory(dir);
        this.relevant.delete(dir);
        this.moduleFiles.delete(dir);
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

  /** Whether the file is in the workspace, whether or not its text is kept. */
  has(uri: string): boolean {
    return this.files.has(uri);
  }

  /** The text of a file that may have facts; undefined for one the pre-filter set aside (see `has`). */
  text(uri: string): string | undefined {
    return this.files.get(uri)?.text;
  }

  /** For a file the pre-filter set aside: the role names its role ARNs spell (`…:role/<name>`); undefined for other files. */
  roleNamesInArns(uri: string): readonly string[] | undefined {
    const entry = this.files.get(uri);
    return entry?.text === undefined ? (entry?.roleNames ?? []) : undefined;
  }

  /** A file's line index; for a Terraform file of a directory that is not read, built on demand (and not kept). */
  lines(uri: string): LineIndex | undefined {
    const entry = this.files.get(uri);
    if (entry?.lines) return entry.lines;
    return entry?.directory && entry.text !== undefined ? new LineIndex(entry.text) : undefined;
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
    for (const uri of this.limitedUris) {
      const reason = this.files.get(uri)?.limited;
      if (reason !== undefined) limited.push({ uri, reason });
    }
    for (const [dir, reason] of this.limitedModules) limited.push({ uri: dir, reason: `Terraform module: ${reason}` });
    return limited.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  /**
   * Whether a Terraform directory is read (the pre-filter: it matters, or a
   * local module call links it to one that does). Brings the set up to date
   * first; false for a directory without Terraform files.
   */
  readsTerraformDirectory(dirUri: string): boolean {
    this.readDirectories();
    return this.relevant.has(dirUri);
  }

  /** Increases on every change: a cheap way for callers to know the model moved on. */
  get version(): number {
    return this.generation;
  }

  model(): WorkspaceModel {
    if (this.cachedModel) return this.cachedModel;
    this.readDirectories();
    const directories = this.moduleDirectories();
    for (const dir of this.dirtyWithLinkedModules()) {
      const uris = this.moduleFiles.get(dir);
      if (!uris || !this.relevant.has(dir)) continue;
      const files = this.directoryFiles(dir);
      const members = [...uris].sort().flatMap((uri) => this.files.get(uri)?.directory ?? []);
      // Every directory-scoped file of a directory is extracted together (a Terraform module: .tf and .tfvars), by one extract step.
      const extract = members[0]?.pipeline.extract;
      if (!extract) continue;
      const read = new Set<string>();
      const recording: ModuleDirectories = { files: (d) => (read.add(d), directories.files(d)), callers: (d) => directories.callers(d) };
      // A directory is read as one, so its budget is its files' (a platform's 1,000-file module is no runaway), up to
      // MAX_DIRECTORY_BUDGET_FILES files' worth: the server must not stall for minutes on one directory.
      const budgetFiles = Math.min(MAX_DIRECTORY_BUDGET_FILES, Math.max(1, files.length));
      const budget = new Deadline(this.fileBudgetMs * budgetFiles, this.clock, files.length > 1 ? `a Terraform directory of ${files.length} files` : 'one file');
      const extracted = safeExtract(files[0]?.uri ?? dir, files[0]?.lines, () => extract(dir, files, recording), budget);
      read.delete(dir);
      if (read.size > 0) this.moduleReads.set(dir, read);
      else this.moduleReads.delete(dir);
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
    for (const entry of this.files.values()) if (entry.facts && entry.facts !== NO_FACTS && !isIsland(entry.kind)) parts.push(entry.facts);
    for (const facts of this.moduleFacts.values()) parts.push(facts);
    this.cachedModel = new WorkspaceModel(parts, this.previousModel, this.changedParts);
    this.changedParts = [];
    this.previousModel = this.cachedModel;
    return this.cachedModel;
  }

  /**
   * The runbooks with facts, each with the model of its facts alone, in URI
   * order. A model is rebuilt only when its file changed.
   */
  islands(): { readonly uri: string; readonly model: WorkspaceModel }[] {
    const out: { uri: string; model: WorkspaceModel }[] = [];
    for (const [uri, entry] of this.files) {
      if (!isIsland(entry.kind) || !entry.facts || entry.facts === NO_FACTS) continue;
      out.push({ uri, model: this.islandModel(entry.facts) });
    }
    return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  /** The model a file's facts are in: its own for a runbook, else the workspace's. */
  modelFor(uri: string): WorkspaceModel {
    const entry = this.files.get(uri);
    return entry && isIsland(entry.kind) && entry.facts && entry.facts !== NO_FACTS ? this.islandModel(entry.facts) : this.model();
  }

  private islandModel(facts: Facts): WorkspaceModel {
    let model = this.islandModels.get(facts);
    if (!model) this.islandModels.set(facts, (model = new WorkspaceModel([facts])));
    return model;
  }

  /**
   * Brings the set of directories that are read up to date, and parses the
   * files not parsed yet of those to extract: the changed ones, and those
   * that have just come to matter. A directory that no longer does is
   * forgotten (its facts, its syntax). Repeated while a parse finds local
   * module links the scan did not, which can link more directories.
   */
  private readDirectories(): void {
    do {
      if (this.relevanceStale) {
        this.relevanceStale = false;
        const next = this.relevantDirectories();
        for (const dir of this.relevant) if (!next.has(dir)) this.forgetDirectory(dir);
        for (const dir of next) if (!this.relevant.has(dir)) this.dirtyModules.add(dir);
        this.relevant = next;
      }
      for (const dir of this.dirtyModules) if (this.relevant.has(dir)) this.parseDirectory(dir);
    } while (this.relevanceStale);
  }

  /** The directories with a file that matters, and every directory local module calls link to them (either direction, transitively). */
  private relevantDirectories(): Set<string> {
    const links = new Map<string, string[]>();
    const link = (a: string, b: string): void => {
      if (!this.moduleFiles.has(b)) return;
      for (const [from, to] of [[a, b], [b, a]] as const) {
        let list = links.get(from);
        if (!list) links.set(from, (list = []));
        list.push(to);
      }
    };
    const relevant = new Set<string>();
    for (const [dir, uris] of this.moduleFiles) {
      for (const uri of uris) {
        const member = this.files.get(uri)?.directory;
        if (!member) continue;
        if (member.scan.matters || !this.terraformPrefilter) relevant.add(dir);
        for (const target of member.scan.targets) link(dir, target);
        for (const target of member.extraTargets ?? []) link(dir, target);
      }
    }
    const queue = [...relevant];
    for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
      for (const next of links.get(dir) ?? []) {
        if (relevant.has(next)) continue;
        relevant.add(next);
        queue.push(next);
      }
    }
    return relevant;
  }

  /** Parses the files of a directory that is read and not parsed yet (each under its own budget). */
  private parseDirectory(dir: string): void {
    for (const uri of this.moduleFiles.get(dir) ?? []) {
      const entry = this.files.get(uri);
      const member = entry?.directory;
      if (!entry || !member || member.syntax || entry.text === undefined) continue;
      const lines = new LineIndex(entry.text);
      const file: FileInput = { uri, lines, deadline: new Deadline(this.fileBudgetMs, this.clock) };
      const parsed = safeParse(member.pipeline, file);
      const syntax = parsed.kind === 'limited' ? member.pipeline.skipped(file) : parsed.syntax;
      // Only a file that matters by itself (an unreadable source makes it matter) adds links from its syntax: its directory is
      // read whatever else changes, so a fresh workspace finds the same links. Other files: the scan finds a superset of the parser's.
      const extraTargets = member.scan.matters ? localModuleTargets(dir, [syntax]).filter((t) => !member.scan.targets.includes(t)) : [];
      this.files.set(uri, {
        kind: entry.kind,
        text: entry.text,
        lines,
        directory: { ...member, syntax, ...(extraTargets.length > 0 ? { extraTargets } : {}) },
        ...(parsed.kind === 'limited' ? { limited: parsed.reason } : {}),
      });
      if (parsed.kind === 'limited') this.limitedUris.add(uri);
      else this.limitedUris.delete(uri);
      if (extraTargets.some((t) => this.moduleFiles.has(t) && !this.relevant.has(t))) this.relevanceStale = true;
    }
  }

  /** A directory that is no longer read: its facts leave the model, its files keep their text only, and what read it is extracted again. */
  private forgetDirectory(dir: string): void {
    const facts = this.moduleFacts.get(dir);
    if (facts) this.changedParts.push(facts);
    this.moduleFacts.delete(dir);
    this.limitedModules.delete(dir);
    this.moduleReads.delete(dir);
    this.dirtyModules.delete(dir);
    for (const [reader, read] of this.moduleReads) if (read.has(dir)) this.dirtyModules.add(reader);
    for (const uri of this.moduleFiles.get(dir) ?? []) {
      const entry = this.files.get(uri);
      const member = entry?.directory;
      if (entry && member) this.files.set(uri, { kind: entry.kind, ...(entry.text !== undefined ? { text: entry.text } : {}), directory: { pipeline: member.pipeline, scan: member.scan } });
      this.limitedUris.delete(uri);
    }
  }

  /** A directory's parsed Terraform files, sorted by URI. */
  private directoryFiles(dir: string): TerraformFile[] {
    const uris = this.moduleFiles.get(dir);
    if (!uris) return [];
    return [...uris].sort().flatMap((uri) => this.files.get(uri)?.directory?.syntax ?? []);
  }

  /** The Terraform directories as local module calls see them: files by directory, and who calls whom. */
  private moduleDirectories(): ModuleDirectories {
    let callers: Map<string, string[]> | undefined;
    const callersOf = (dir: string): readonly string[] => {
      if (!callers) {
        callers = new Map();
        for (const caller of this.moduleFiles.keys()) {
          if (!this.relevant.has(caller)) continue;
          for (const target of localModuleTargets(caller, this.directoryFiles(caller))) {
            let list = callers.get(target);
            if (!list) callers.set(target, (list = []));
            list.push(caller);
          }
        }
      }
      return callers.get(dir) ?? [];
    };
    return { files: (dir) => (this.moduleFiles.has(dir) && this.relevant.has(dir) ? this.directoryFiles(dir) : undefined), callers: callersOf };
  }

  /**
   * The directories to re-extract: the changed ones, the ones whose last
   * extraction read a changed one's files (a caller reads its callee's
   * outputs, a callee its callers' inputs), and the local modules a changed
   * one calls now (a new call gives the callee a new instance). One level is
   * enough: an extraction depends on files, and only the changed ones moved.
   */
  private dirtyWithLinkedModules(): Set<string> {
    const dirty = new Set(this.dirtyModules);
    for (const dir of this.dirtyModules) {
      for (const target of localModuleTargets(dir, this.directoryFiles(dir))) if (this.relevant.has(target)) dirty.add(target);
      for (const [reader, read] of this.moduleReads) if (read.has(dir) && this.relevant.has(reader)) dirty.add(reader);
    }
    return dirty;
  }

  private invalidate(): void {
    this.cachedModel = undefined;
    this.generation++;
  }
}

/** Formats whose files are analysed each on its own, apart from the workspace: Markdown runbooks. */
function isIsland(kind: FormatKind): boolean {
  return kind === 'markdown';
}

type Limited = { readonly kind: 'limited'; readonly reason: string };

/**
 * The parse step of a directory-scoped format, under the file's limits (the
 * time budget checked again at the end, as in `safeExtract`). A parse step
 * throws nothing else: the Terraform one turns a failure of the parser into
 * a problem of the file.
 */
function safeParse(pipeline: DirectoryPipeline, file: FileInput): { readonly kind: 'parsed'; readonly syntax: TerraformFile } | Limited {
  try {
    const syntax = pipeline.parse(file);
    return file.deadline.expired ? { kind: 'limited', reason: file.deadline.message() } : { kind: 'parsed', syntax };
  } catch (e) {
    if (e instanceof LimitExceeded) return { kind: 'limited', reason: e.reason };
    throw e;
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

const ROLE_NAME_CHAR = /[\w+=,.@/-]/;

/** The names in the role ARNs a text writes: `arn:aws:iam::1:role/team/x` → `x`. At most 64, each once. */
function roleNamesInArns(text: string): string[] {
  const names = new Set<string>();
  for (let at = text.indexOf(':role/'); at >= 0 && names.size < 64; at = text.indexOf(':role/', at + 6)) {
    let end = at + 6;
    while (end < text.length && end - at < 600 && ROLE_NAME_CHAR.test(text[end]!)) end++;
    const name = text.slice(at + 6, end).split('/').pop() ?? '';
    if (name !== '') names.add(name);
  }
  return [...names];
}

function sameNames(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return (a ?? []).length === b.length && b.every((name, i) => a?.[i] === name);
}
