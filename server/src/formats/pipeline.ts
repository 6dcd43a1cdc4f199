/**
 * The one shape in which every file format becomes facts: parse (text →
 * syntax) then extract (syntax → facts). Most formats are extracted file by
 * file; Terraform is extracted per directory, because a module is read as
 * one (a file's values depend on its neighbours' variables and locals), so
 * the shape says where the extract step runs: `scope`.
 *
 * The index runs pipelines; it owns the time budget and the last line of
 * defence (`index/workspace.ts`). A pipeline never does IO.
 */
import type { FileInput } from '../facts/files';
import type { TextChange } from '../common/text';
import type { JsonSetAside } from '../facts/prefilter';
import type { Facts } from '../facts/types';
import type { ModuleDirectories, TerraformFile } from '../terraform/module';
import type { TerraformScan } from '../terraform/prefilter';

export type FormatPipeline<S> = FilePipeline<S> | DirectoryPipeline;

/**
 * A format whose files stand alone: each is parsed and extracted when it is
 * set, and its syntax is not kept.
 */
export interface FilePipeline<S> {
  readonly scope: 'file';
  /**
   * The pre-filter (`facts/prefilter.ts`): false when the raw text provably
   * yields no facts and no reported problem, so the file is neither parsed
   * nor kept. Cheap: it runs on every file of the workspace.
   */
  readonly mayHaveFacts: (uri: string, text: string) => boolean;
  /**
   * Optional, where the pre-filter itself costs (a strict-JSON scan of a
   * large template): the verdict with a guard, and whether an edit keeps a
   * set-aside text set aside, judged from the edit and the guard alone.
   */
  readonly incremental?: IncrementalPrefilter;
  /**
   * Text → syntax (or a value). Never throws on bad input: syntax errors are
   * part of the syntax. Throws `LimitExceeded` over a limit (nesting, time).
   */
  readonly parse: (file: FileInput) => S;
  readonly extract: (syntax: S, file: FileInput) => Facts;
}

/**
 * A format read as a directory: each file is scanned when it is set; a
 * directory the scans say matters (`scan`) has its files parsed and their
 * syntax kept, and is extracted (lazily, when the model is next built) from
 * the syntax of every directory-scoped file in it, whatever its format: a
 * Terraform module is its `.tf` and `.tfvars` files together.
 *
 * Only Terraform is read this way, so the syntax is Terraform's; a second
 * such format would make this generic.
 */
export interface DirectoryPipeline {
  readonly scope: 'directory';
  /**
   * The pre-filter (`terraform/prefilter.ts`): whether the raw text makes its
   * directory matter, and the directories it links to by local module calls.
   * Cheap: it runs on every file.
   */
  readonly scan: (uri: string, text: string) => TerraformScan;
  /** As `FilePipeline.parse`. */
  readonly parse: (file: FileInput) => TerraformFile;
  /** Stands for a file skipped over a limit: still a member of its directory, contributing nothing. */
  readonly skipped: (file: FileInput) => TerraformFile;
  /**
   * The directory's files, sorted by URI → the directory's facts. `directories`
   * is the workspace's other directories, for local module calls (a directory
   * is read with its callers' inputs, and reads its callees' outputs).
   */
  readonly extract: (directoryUri: string, files: readonly TerraformFile[], directories?: ModuleDirectories) => Facts;
}

/** See `FilePipeline.incremental`; JSON's (`facts/prefilter.ts`) is the only one. */
export interface IncrementalPrefilter {
  readonly verdict: (text: string) => { readonly mayHaveFacts: boolean; readonly setAside?: JsonSetAside };
  readonly editKeeps: (change: TextChange, newText: string, guard: JsonSetAside) => JsonSetAside | undefined;
}
