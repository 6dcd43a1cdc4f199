/**
 * The file formats IRSA Lint reads: one entry per format, and every list of
 * file names derives from it: the index's classification
 * (`classifyFile`), the workspace walk, the server's file watchers, the
 * VS Code client's document selector and the extension's activation events
 * (package.json is static: `test/package-json.test.ts` holds it to
 * `ACTIVATION_EVENTS`).
 *
 * Adding a format touches four files, plus fixtures:
 * 1. an entry here: its kind, the file names it reads, the VS Code
 *    languages to synchronise while editing, and whether a workspace holding
 *    such files starts the extension;
 * 2. its parser in `server/src/parse/` (text → syntax; never throws on bad
 *    input, only `LimitExceeded` over a limit);
 * 3. its extractor in `server/src/facts/` (syntax → facts);
 * 4. its pipeline in `server/src/formats/registry.ts`, which the compiler
 *    demands (that table is keyed by every kind), with the syntax its parse
 *    step yields;
 * then fixtures under `test/fixtures/`, sample names in
 * `test/formats.test.ts`, and, when it activates the extension,
 * package.json's `activationEvents` (the test says which line is missing).
 *
 * Architecture invariant: no imports. The client bundles this file, and
 * every layer of the server may read it.
 */

/** The extension's own configuration file, at a workspace folder's root. */
export const CONFIG_FILE_NAME = '.irsa-lint.json';

export interface FileFormat {
  readonly kind: string;
  /** File names the engine reads, in lower case (names compare case-insensitively). */
  readonly names: readonly string[];
  /** File name endings the engine reads, in lower case, with their dot. */
  readonly endings: readonly string[];
  /**
   * VS Code language ids whose documents the client sends the server while
   * they are edited (the editor's text then wins over the disk's).
   */
  readonly languages: readonly string[];
  /**
   * Also synchronise documents by file name, whatever their language id:
   * Terraform files have none without a Terraform extension installed.
   */
  readonly syncByName: boolean;
  /** When the extension starts for this format (package.json `activationEvents`). */
  readonly activation: {
    /** `onLanguage:` events: opening such a document starts it. */
    readonly languages: readonly string[];
    /**
     * `workspaceContains:` globs: a workspace holding such a file starts it
     * at once. They need not be the names read: narrower for JSON and YAML,
     * which almost every repository has; any `.tfvars` for Terraform.
     */
    readonly workspaceContains: readonly string[];
  };
}

export const FORMATS = [
  {
    kind: 'terraform',
    names: [],
    endings: ['.tf'],
    languages: ['terraform'],
    syncByName: true,
    activation: { languages: ['terraform'], workspaceContains: ['**/*.tf'] },
  },
  {
    kind: 'tfvars',
    // Only the variable files Terraform loads by itself: `-var-file` ones are unknowable.
    names: ['terraform.tfvars'],
    endings: ['.auto.tfvars'],
    languages: [],
    syncByName: true,
    activation: { languages: [], workspaceContains: ['**/*.tfvars'] },
  },
  {
    kind: 'json',
    names: [],
    endings: ['.json'],
    languages: ['json', 'jsonc'],
    syncByName: false,
    activation: { languages: ['json'], workspaceContains: [`**/${CONFIG_FILE_NAME}`, '**/*{trust,assume}*.json'] },
  },
  {
    // Terraform templatefile() targets: `trust.json.tpl`, `trust.tftpl`.
    kind: 'template',
    names: [],
    endings: ['.tpl', '.tftpl'],
    // Not synchronised while edited (as before the registry): saved changes reach the server through the watcher.
    languages: [],
    syncByName: false,
    activation: { languages: [], workspaceContains: [] },
  },
  {
    kind: 'yaml',
    names: [],
    endings: ['.yaml', '.yml'],
    languages: ['yaml'],
    syncByName: false,
    activation: {
      languages: ['yaml'],
      workspaceContains: ['**/{kustomization,Chart}.{yaml,yml}', '**/*{serviceaccount,service-account,eksctl}*.{yaml,yml}'],
    },
  },
  {
    // Scripts that create roles with the AWS CLI link a role name to a trust policy file.
    kind: 'shell',
    names: [],
    endings: ['.sh', '.bash'],
    // As templates: seen when saved.
    languages: [],
    syncByName: false,
    activation: { languages: [], workspaceContains: [] },
  },
  {
    // Runbooks and READMEs: their fenced json/yaml/sh blocks (`irsa.markdown.enabled`).
    kind: 'markdown',
    names: [],
    endings: ['.md', '.markdown'],
    // Synchronised while edited, as a runbook's findings move with its text; a Markdown file alone never starts the extension.
    languages: ['markdown'],
    syncByName: false,
    activation: { languages: [], workspaceContains: [] },
  },
] as const satisfies readonly FileFormat[];

export type FormatKind = (typeof FORMATS)[number]['kind'];

/** The format of a file, by its name alone (no directory); undefined: not a file the engine reads. */
export function classifyFileName(fileName: string): FormatKind | undefined {
  const name = fileName.toLowerCase();
  const format = FORMATS.find((f: FileFormat) => f.names.includes(name) || f.endings.some((ending) => name.endsWith(ending)));
  return format?.kind;
}

/**
 * Globs matching every name a format reads, below any directory: one for
 * its endings, one per exact name. Case-sensitive where the client's globs
 * are, unlike `classifyFileName` (a `MAIN.TF` is read but not watched).
 */
function globsOf(format: FileFormat): string[] {
  const endings = format.endings.map((e) => e.slice(1));
  const byEnding = endings.length === 0 ? [] : endings.length === 1 ? [`**/*.${endings[0]}`] : [`**/*.{${endings.join(',')}}`];
  return [...byEnding, ...format.names.map((n) => `**/${n}`)];
}

/**
 * What the server asks the client to watch (besides deletions of anything):
 * every format's files, and the configuration file by name, because not
 * every client's `*` matches a leading dot.
 */
export const WATCHED_FILE_GLOBS: readonly string[] = [...FORMATS.flatMap(globsOf), `**/${CONFIG_FILE_NAME}`];

/** A VS Code document filter, as `vscode-languageclient` takes it. */
export type DocumentFilter = { readonly scheme: 'file'; readonly language: string } | { readonly scheme: 'file'; readonly pattern: string };

/**
 * The documents the VS Code client synchronises with the server: `file:`
 * ones only (the server analyses files on disk), by language, and by name
 * for the formats that may have no language id.
 */
export const DOCUMENT_SELECTOR: readonly DocumentFilter[] = [
  ...unique(FORMATS.flatMap((f: FileFormat) => f.languages)).map((language) => ({ scheme: 'file' as const, language })),
  ...FORMATS.filter((f: FileFormat) => f.syncByName).flatMap((f) => globsOf(f).map((pattern) => ({ scheme: 'file' as const, pattern }))),
];

/** package.json `activationEvents` (in any order). */
export const ACTIVATION_EVENTS: readonly string[] = [
  ...FORMATS.flatMap((f: FileFormat) => f.activation.workspaceContains.map((glob) => `workspaceContains:${glob}`)),
  ...FORMATS.flatMap((f: FileFormat) => f.activation.languages.map((language) => `onLanguage:${language}`)),
];

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
