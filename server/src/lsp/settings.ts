/**
 * Where rule severities come from, lowest precedence first: the rule's
 * default, `.irsa-lint.json` at a workspace folder's root, the editor's
 * `irsa.rules`. Editor settings are pulled with `workspace/configuration`
 * (or taken from `didChangeConfiguration` for clients that cannot be asked);
 * configuration files are read from disk when the scan starts and when the
 * file watcher reports them.
 */
import { MessageType, ShowMessageNotification, type ClientCapabilities, type Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, type IrsaSettings } from '../../../shared/settings';
import { uriToPath } from '../common/uri';
import { CONFIG_FILE_NAME, mergeRuleSettings, parseConfig, resolveIgnores, validateSettings, type Config, type Ignore, type RuleSettings } from '../config';
import { readConfigFile } from '../node/config-file';
import { RULE_IDS } from '../rules/registry';
import type { Folder } from './folders';
import type { Logger } from './log';

export interface EditorSettingsChange {
  readonly rulesChanged: boolean;
  readonly maxFileSizeChanged: boolean;
  /** `irsa.clusters` or `irsa.live.*` changed. */
  readonly liveChanged?: boolean;
}

export class SettingsStore {
  private editor: IrsaSettings = DEFAULT_SETTINGS;
  /** Folder URI → its `.irsa-lint.json`; absent when it has none. */
  private readonly folderConfigs = new Map<string, Config>();

  constructor(
    private readonly connection: Connection,
    private readonly log: Logger,
  ) {}

  get maxFileSizeKB(): number {
    return this.editor.maxFileSizeKB;
  }

  get clusters(): IrsaSettings['clusters'] {
    return this.editor.clusters;
  }

  get live(): IrsaSettings['live'] {
    return this.editor.live;
  }

  /** Whether the editor's `irsa.rules` sets this rule (then it wins over `.irsa-lint.json`). */
  editorSetsRule(ruleId: string): boolean {
    return this.editor.rules[ruleId] !== undefined;
  }

  /** The effective rule settings for files of `folderUri` (undefined: files outside every folder). */
  rulesFor(folderUri: string | undefined): RuleSettings {
    const fromFile = folderUri !== undefined ? this.folderConfigs.get(folderUri)?.rules : undefined;
    return fromFile ? mergeRuleSettings(fromFile, this.editor.rules) : this.editor.rules;
  }

  /** Whether Markdown runbooks of `folderUri` are analysed: unless the editor setting or the folder's file turns it off. */
  markdownFor(folderUri: string | undefined): boolean {
    return this.editor.markdown.enabled && !(folderUri !== undefined && this.folderConfigs.get(folderUri)?.markdown === false);
  }

  /** Every folder's `ignore` entries, their files resolved against the folder. */
  ignores(): Ignore[] {
    return [...this.folderConfigs].flatMap(([folderUri, config]) => resolveIgnores(folderUri, config.ignore));
  }

  /**
   * IAM's role trust policy quota for files of `folderUri`: the folder's
   * `.irsa-lint.json` when it sets one (the quota is the accounts', which
   * the repository knows), else `irsa.trustPolicyMaxLength`.
   */
  trustPolicyMaxLengthFor(folderUri: string | undefined): number {
    return (folderUri !== undefined ? this.folderConfigs.get(folderUri)?.trustPolicyMaxLength : undefined) ?? this.editor.trustPolicyMaxLength;
  }

  /**
   * Pulls the `irsa` section when the client answers `workspace/configuration`;
   * otherwise uses what `didChangeConfiguration` pushed (`pushed.irsa`).
   */
  async refreshEditorSettings(capabilities: ClientCapabilities, pushed?: unknown): Promise<EditorSettingsChange> {
    let raw: unknown;
    if (capabilities.workspace?.configuration) raw = await this.connection.workspace.getConfiguration(SETTINGS_SECTION);
    else if (typeof pushed === 'object' && pushed !== null) raw = (pushed as Record<string, unknown>)[SETTINGS_SECTION];
    else return { rulesChanged: false, maxFileSizeChanged: false };
    const { settings, errors } = validateSettings(raw, RULE_IDS);
    for (const error of errors) this.log.warn(`Settings: ${error} Using the default for it.`);
    const previous = this.editor;
    this.editor = settings;
    return {
      // What is analysed changed: the rules, the trust policy quota, or whether runbooks are.
      rulesChanged:
        stableKey(previous.rules) !== stableKey(settings.rules) || previous.trustPolicyMaxLength !== settings.trustPolicyMaxLength || previous.markdown.enabled !== settings.markdown.enabled,
      maxFileSizeChanged: previous.maxFileSizeKB !== settings.maxFileSizeKB,
      liveChanged: JSON.stringify([previous.clusters, previous.live]) !== JSON.stringify([settings.clusters, settings.live]),
    };
  }

  /**
   * (Re-)reads a folder's `.irsa-lint.json`. A broken file is reported to the
   * user and in the log; whatever parts of it are valid still apply, the rest
   * falls back to defaults. Returns whether the folder's rules, `markdown` or `ignore`
   * entries changed.
   */
  loadFolderConfig(folder: Folder): boolean {
    const previous = this.folderConfigs.get(folder.uri);
    const next = this.readFolderConfig(folder);
    if (next) this.folderConfigs.set(folder.uri, next);
    else this.folderConfigs.delete(folder.uri);
    return (
      stableKey(previous?.rules ?? {}) !== stableKey(next?.rules ?? {}) ||
      JSON.stringify(previous?.ignore ?? []) !== JSON.stringify(next?.ignore ?? []) ||
      previous?.trustPolicyMaxLength !== next?.trustPolicyMaxLength ||
      (previous?.markdown === false) !== (next?.markdown === false)
    );
  }

  forgetFolder(folder: Folder): void {
    this.folderConfigs.delete(folder.uri);
  }

  private readFolderConfig(folder: Folder): Config | undefined {
    const file = uriToPath(`${folder.uri}/${CONFIG_FILE_NAME}`);
    const read = readConfigFile(file, uriToPath(folder.uri));
    if (!read.ok) {
      if ('absent' in read) return undefined;
      this.reportConfigProblem(file, [`${CONFIG_FILE_NAME}: ${read.reason}.`]);
      return undefined;
    }
    const { config, errors } = parseConfig(read.text, RULE_IDS);
    if (errors.length > 0) this.reportConfigProblem(file, errors);
    else this.log.info(`Read rule settings from ${file}.`);
    return config;
  }

  private reportConfigProblem(file: string, reported: readonly string[]): void {
    const errors = [...new Set(reported)]; // the JSON parser may report one mistake twice
    for (const error of errors) this.log.warn(`${file}: ${error}`);
    const more = errors.length > 1 ? ` ${errors.length - 1} more in the IRSA output.` : '';
    // A notification: `connection.window.showWarningMessage` sends `window/showMessageRequest`, which waits for an answer.
    this.connection
      .sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `IRSA: invalid settings in ${file}. ${errors[0] ?? ''}${more} Valid settings still apply; the rest use their defaults.`,
      })
      .catch(() => undefined);
  }
}

/** A key that is equal for equal settings, whatever the order they were written in. */
export function stableKey(rules: RuleSettings): string {
  return JSON.stringify(Object.entries(rules).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
