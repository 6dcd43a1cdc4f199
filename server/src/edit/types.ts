/**
 * What a fix is: plain edits to workspace files, with the promises every
 * fix keeps. Rules build fixes from their findings (`rules/types.ts`); the
 * "create role" assist builds one from a position. Neither knows the
 * protocol: the language server turns fixes into code actions, the CLI
 * writes them, tests apply them and analyse again.
 *
 * What every fix promises (and `test/support/fixes.ts` checks):
 * - it edits the source in its own syntax, keeping the user's quoting,
 *   formatting and indentation;
 * - applied, the finding is gone and no new finding appears;
 * - it is idempotent: once applied, it is no longer offered;
 * - it never widens who may assume a role without saying so: such a fix sets
 *   `widens` and says it in its title, and is never preferred.
 */
import type { LineIndex, Range } from '../common/text';
import type { WorkspaceModel } from '../index/model';

export interface TextEdit {
  readonly range: Range;
  /**
   * The replacement. In a fix with `snippet: true` it may hold tab stops
   * (`$1`, `${1:placeholder}`, `$0`); `\$`, `\}` and `\\` escape.
   */
  readonly newText: string;
}

export type FileChange =
  /** Edits to an existing workspace file, all against its current text. */
  | { readonly kind: 'edit'; readonly uri: string; readonly edits: readonly TextEdit[] }
  /** A new file with this content; never overwrites one that exists. */
  | { readonly kind: 'create'; readonly uri: string; readonly text: string };

export interface Fix {
  /** What the user reads in the lightbulb menu: imperative, with the values it writes. */
  readonly title: string;
  readonly changes: readonly FileChange[];
  /**
   * The fix Ctrl+. and "fix all" apply. At most one per finding, and only a
   * fix that repairs without guessing: when two sides could be corrected, the
   * one the user must choose is not preferred.
   */
  readonly preferred?: boolean;
  /** Admits principals the policy did not admit before: the title must say so; never preferred. */
  readonly widens?: boolean;
  /** `newText` holds snippet tab stops (see `TextEdit`). */
  readonly snippet?: boolean;
}

/** What a fix may read: the model the finding came from and the files' text. */
export interface FixContext {
  readonly model: WorkspaceModel;
  /** The model the facts of a file are in, when it is not `model`: a Markdown runbook's own (`Workspace.modelFor`). */
  readonly modelFor?: (uri: string) => WorkspaceModel;
  /** Whether a file exists in the workspace: a fix never creates one over it, even when its text is not kept. */
  exists(uri: string): boolean;
  /** The text of a file that may have facts (undefined for one the index set aside unparsed: no finding is there to fix). */
  text(uri: string): string | undefined;
  lines(uri: string): LineIndex | undefined;
}
