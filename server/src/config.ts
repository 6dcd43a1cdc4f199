/**
 * Configuration, validated: `.irsa-lint.json` at a workspace folder's root
 * and the editor's `irsa` settings. Rule settings share one shape in both,
 * `{ "<rule-id>": "off" | "note" | "warning" | "error" }`. The types and
 * defaults are in `shared/settings.ts` (the client shares them); parsing and
 * validation are pure, and the CLI and the server read the files.
 */
import { modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { CONFIG_FILE_NAME } from '../../shared/formats';
import { DEFAULT_SETTINGS, RULE_SEVERITY_SETTINGS, SETTINGS_SECTION, TRACE_SETTINGS, type ClusterSetting, type IrsaSettings, type LiveSettings, type RuleSettings, type SeveritySetting, type TraceSetting } from '../../shared/settings';
import { checkBracketNesting, LimitExceeded } from './common/budget';
import { LineIndex } from './common/text';
import type { TextEdit } from './edit/types';
import { closestMatch } from './common/strings';
import { resolveRelativeUri } from './common/uri';

// Re-exported: the server and the CLI read them from here, beside what validates them.
export type { RuleSettings } from '../../shared/settings';
export { CONFIG_FILE_NAME };

export interface Config {
  readonly rules: RuleSettings;
  readonly ignore: readonly IgnoreEntry[];
  /** IAM's role trust policy quota of the repository's accounts, when the file sets it (`trust-policy-size`). */
  readonly trustPolicyMaxLength?: number;
  /** `markdown.enabled`: false turns off the analysis of Markdown runbooks for the folder; undefined when not set. */
  readonly markdown?: boolean;
}

/** `trustPolicyMaxLength` from a file or a setting: a whole number of characters, at least 1. */
function toTrustPolicyMaxLength(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/**
 * An `ignore` entry of `.irsa-lint.json`: one rule silenced in one file, or
 * at one place in it. It is the suppression comment of files that cannot
 * hold one (JSON), written by the editor's "Ignore … here" action.
 */
export interface IgnoreEntry {
  /** The file, relative to the folder of the configuration file, with `/` separators. */
  readonly file: string;
  readonly rule: string;
  /**
   * A JSON Pointer (RFC 6901) into the file, such as `/Statement/0/Condition`:
   * findings located at or below it are ignored. Absent: the whole file.
   */
  readonly at?: string;
}

/** An `ignore` entry resolved for the analysis: its file as a URI. */
export interface Ignore {
  readonly uri: string;
  readonly ruleId: string;
  readonly at?: string;
}

const NO_CONFIG: Config = { rules: {}, ignore: [] };

/** Validates rule settings from any source; unknown ids and values are reported, not fatal. */
function validateRuleSettings(raw: unknown, knownRuleIds: ReadonlySet<string>): { rules: RuleSettings; errors: string[] } {
  const errors: string[] = [];
  const rules: Record<string, SeveritySetting> = {};
  if (raw === undefined || raw === null) return { rules, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { rules, errors: ['"rules" must be an object mapping rule ids to off|note|warning|error.'] };
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!knownRuleIds.has(id)) {
      errors.push(`Unknown rule id ${shownKey(id)}${didYouMean(id, knownRuleIds)}.`);
      continue;
    }
    const severity = toSeveritySetting(value);
    if (severity === undefined) {
      errors.push(`Rule "${id}": expected off, note, warning or error, got ${shownValue(value)}.`);
      continue;
    }
    rules[id] = severity;
  }
  return { rules, errors };
}

/**
 * A key or value from a configuration file is shown in a message only when
 * it looks like what belongs there (a rule id, a severity): the file may be
 * something else entirely, and whatever it holds (a token, a password) must
 * not reach a terminal, a CI log or an editor notification.
 */
function shownKey(key: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(key) ? `"${key}"` : `(a key of ${key.length} characters, not shown)`;
}

function shownValue(value: unknown): string {
  if (typeof value === 'string') return /^[A-Za-z_-]{0,20}$/.test(value) ? JSON.stringify(value) : `a string of ${value.length} characters`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

export function parseConfig(text: string, knownRuleIds: ReadonlySet<string>): { config: Config; errors: string[] } {
  // jsonc-parser recurses per level: a file nested thousands deep would overflow the stack.
  try {
    checkBracketNesting(text);
  } catch (e) {
    if (e instanceof LimitExceeded) return { config: NO_CONFIG, errors: [`${CONFIG_FILE_NAME}: ${e.reason}.`] };
    throw e;
  }
  const parseErrors: ParseError[] = [];
  const raw: unknown = parse(text, parseErrors, { allowTrailingComma: true });
  // jsonc-parser can report one error twice at the same place.
  const errors = [...new Map(parseErrors.map((e) => [`${e.offset}:${e.error}`, e])).values()].map((e) => {
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    const column = e.offset - before.lastIndexOf('\n');
    return `${CONFIG_FILE_NAME}:${line}:${column}: ${printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}.`;
  });
  if (raw === undefined || typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config: NO_CONFIG, errors: [...errors, `${CONFIG_FILE_NAME}: expected an object like {"rules": {"trust-missing-aud": "off"}}.`] };
  }
  const { rules, errors: ruleErrors } = validateRuleSettings((raw as { rules?: unknown }).rules, knownRuleIds);
  const { ignore, errors: ignoreErrors } = validateIgnoreEntries((raw as { ignore?: unknown }).ignore, knownRuleIds);
  const rawLength = (raw as { trustPolicyMaxLength?: unknown }).trustPolicyMaxLength;
  const trustPolicyMaxLength = toTrustPolicyMaxLength(rawLength);
  if (rawLength !== undefined && trustPolicyMaxLength === undefined) ruleErrors.push(`"trustPolicyMaxLength": expected a whole number of characters (2048 is IAM's default quota), got ${shownValue(rawLength)}.`);
  const { markdown, error: markdownError } = validateMarkdown((raw as { markdown?: unknown }).markdown);
  const ownErrors = [...ruleErrors, ...ignoreErrors, ...(markdownError ? [markdownError] : [])].map((e) => `${CONFIG_FILE_NAME}: ${e}`);
  const config: Config = { rules, ignore, ...(trustPolicyMaxLength !== undefined ? { trustPolicyMaxLength } : {}), ...(markdown !== undefined ? { markdown } : {}) };
  return { config, errors: [...errors, ...ownErrors] };
}

/** `"markdown": {"enabled": true|false}` of `.irsa-lint.json`. */
function validateMarkdown(raw: unknown): { markdown?: boolean; error?: string } {
  if (raw === undefined || raw === null) return {};
  if (isPlainObject(raw) && Object.keys(raw).every((k) => k === 'enabled') && (raw.enabled === undefined || typeof raw.enabled === 'boolean')) {
    return typeof raw.enabled === 'boolean' ? { markdown: raw.enabled } : {};
  }
  return { error: '"markdown" must be {"enabled": true} or {"enabled": false}.' };
}

const IGNORE_ENTRY_KEYS: ReadonlySet<string> = new Set(['file', 'rule', 'at']);
const IGNORE_SHAPE = '{"file": "path/relative/to/this/file.json", "rule": "<rule-id>", "at"?: "/JSON/pointer"}';

/**
 * `ignore` entries; a bad entry is reported and skipped, the others apply.
 * File names are not echoed (the file may not be what it claims to be).
 */
function validateIgnoreEntries(raw: unknown, knownRuleIds: ReadonlySet<string>): { ignore: IgnoreEntry[]; errors: string[] } {
  const ignore: IgnoreEntry[] = [];
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { ignore, errors };
  if (!Array.isArray(raw)) return { ignore, errors: [`"ignore" must be a list of ${IGNORE_SHAPE}.`] };
  raw.forEach((entry: unknown, i) => {
    const checked = validateIgnoreEntry(entry, knownRuleIds);
    if (typeof checked === 'string') errors.push(`ignore[${i}]${checked}`);
    else ignore.push(checked);
  });
  return { ignore, errors };
}

/** The entry, or what is wrong with it (a message to put after its index). */
function validateIgnoreEntry(entry: unknown, knownRuleIds: ReadonlySet<string>): IgnoreEntry | string {
  if (!isPlainObject(entry)) return ` must be ${IGNORE_SHAPE}.`;
  const unknownKey = Object.keys(entry).find((k) => !IGNORE_ENTRY_KEYS.has(k));
  if (unknownKey !== undefined) return `: unknown key ${shownKey(unknownKey)}; expected file, rule and at.`;
  const { file, rule, at } = entry;
  if (typeof file !== 'string' || !isRelativeFile(file)) return `.file must be a path relative to the folder of ${CONFIG_FILE_NAME}, with / separators and no "..".`;
  if (typeof rule !== 'string') return '.rule: expected a rule id.';
  if (!knownRuleIds.has(rule)) return `.rule: unknown rule id ${shownKey(rule)}${didYouMean(rule, knownRuleIds)}.`;
  if (at !== undefined && (typeof at !== 'string' || (at !== '' && !at.startsWith('/')))) return '.at must be a JSON Pointer such as "/Statement/0", or absent for the whole file.';
  return { file: file.replace(/^\.\//, ''), rule, ...(typeof at === 'string' && at !== '' ? { at } : {}) };
}

function isRelativeFile(file: string): boolean {
  if (file === '' || file.startsWith('/') || file.includes('\\') || /^[A-Za-z]:/.test(file)) return false;
  return file.split('/').every((segment) => segment !== '..' && segment !== '');
}

/** `ignore` entries of the configuration file in `folderUri`, with their files as URIs. */
export function resolveIgnores(folderUri: string, entries: readonly IgnoreEntry[]): Ignore[] {
  return entries.flatMap(({ file, rule, at }) => {
    const uri = resolveRelativeUri(folderUri, file);
    return uri === undefined ? [] : [{ uri, ruleId: rule, ...(at !== undefined ? { at } : {}) }];
  });
}

/** The JSON Pointer (RFC 6901) of a path of keys and indexes. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** How `.irsa-lint.json` changes for an editor action: created, or edited in place. */
export type ConfigFileChange = { readonly kind: 'create'; readonly text: string } | { readonly kind: 'edit'; readonly edits: readonly TextEdit[] };

/**
 * Sets `rules.<ruleId>` in a configuration file's text (undefined: there is
 * no file yet), keeping its comments and layout. Undefined when the file is
 * not an object with an object `rules` (or none): a broken file is the
 * user's to mend, not ours to overwrite.
 */
export function setRuleSeverity(text: string | undefined, ruleId: string, severity: SeveritySetting): ConfigFileChange | undefined {
  if (text === undefined) return { kind: 'create', text: `${JSON.stringify({ rules: { [ruleId]: severity } }, null, 2)}\n` };
  return editConfig(text, (raw) => raw.rules === undefined || isPlainObject(raw.rules), ['rules', ruleId], severity, false);
}

/**
 * Adds an `ignore` entry to a configuration file's text (undefined: no file
 * yet), keeping its comments and layout. Undefined when the file is broken
 * or its `ignore` is not a list, for the same reason.
 */
export function addIgnoreEntry(text: string | undefined, entry: IgnoreEntry): ConfigFileChange | undefined {
  if (text === undefined) return { kind: 'create', text: `${JSON.stringify({ ignore: [entry] }, null, 2)}\n` };
  return editConfig(text, (raw) => raw.ignore === undefined || Array.isArray(raw.ignore), ['ignore', -1], entry, true);
}

/** One `modify` of a configuration file that parses cleanly into an object `fits` accepts. */
function editConfig(text: string, fits: (raw: Record<string, unknown>) => boolean, at: (string | number)[], value: unknown, isArrayInsertion: boolean): ConfigFileChange | undefined {
  try {
    checkBracketNesting(text);
  } catch {
    return undefined;
  }
  const errors: ParseError[] = [];
  const raw: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !isPlainObject(raw) || !fits(raw)) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = new LineIndex(text);
  const edits = modify(text, at, value, { isArrayInsertion, formattingOptions: { insertSpaces: true, tabSize: 2, eol } });
  return { kind: 'edit', edits: edits.map((e) => ({ range: lines.range(e.offset, e.offset + e.length), newText: e.content })) };
}

/** Later sources win: file settings, then editor settings. */
export function mergeRuleSettings(...sources: readonly RuleSettings[]): RuleSettings {
  return Object.assign({}, ...sources) as RuleSettings;
}

/**
 * Turns whatever the client sent for the `irsa` section into settings. Bad
 * values are reported and replaced by their defaults, one by one, so that a
 * typo in one setting does not discard the others. `null`/`undefined` (a
 * client without the section) means all defaults.
 */
export function validateSettings(raw: unknown, knownRuleIds: ReadonlySet<string>): { settings: IrsaSettings; errors: string[] } {
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { settings: DEFAULT_SETTINGS, errors };
  if (!isPlainObject(raw)) return { settings: DEFAULT_SETTINGS, errors: [`"${SETTINGS_SECTION}" must be an object, got ${JSON.stringify(raw)}.`] };

  const rules: Record<string, SeveritySetting> = {};
  if (raw.rules !== undefined && raw.rules !== null) {
    if (!isPlainObject(raw.rules)) errors.push(`${SETTINGS_SECTION}.rules must map rule ids to ${RULE_SEVERITY_SETTINGS.join('|')}.`);
    else {
      for (const [id, value] of Object.entries(raw.rules)) {
        const severity = toSeveritySetting(value);
        if (!knownRuleIds.has(id)) errors.push(`${SETTINGS_SECTION}.rules: unknown rule id "${id}"${didYouMean(id, knownRuleIds)}.`);
        else if (severity === undefined) errors.push(`${SETTINGS_SECTION}.rules["${id}"]: expected ${RULE_SEVERITY_SETTINGS.join(', ')}, got ${JSON.stringify(value)}.`);
        else rules[id] = severity;
      }
    }
  }

  let maxFileSizeKB = DEFAULT_SETTINGS.maxFileSizeKB;
  if (raw.maxFileSizeKB !== undefined && raw.maxFileSizeKB !== null) {
    if (typeof raw.maxFileSizeKB === 'number' && Number.isFinite(raw.maxFileSizeKB) && raw.maxFileSizeKB > 0) maxFileSizeKB = raw.maxFileSizeKB;
    else errors.push(`${SETTINGS_SECTION}.maxFileSizeKB must be a positive number, got ${JSON.stringify(raw.maxFileSizeKB)}.`);
  }

  let trustPolicyMaxLength = DEFAULT_SETTINGS.trustPolicyMaxLength;
  if (raw.trustPolicyMaxLength !== undefined && raw.trustPolicyMaxLength !== null) {
    const length = toTrustPolicyMaxLength(raw.trustPolicyMaxLength);
    if (length !== undefined) trustPolicyMaxLength = length;
    else errors.push(`${SETTINGS_SECTION}.trustPolicyMaxLength must be a whole number of characters, got ${JSON.stringify(raw.trustPolicyMaxLength)}.`);
  }

  let traceServer: TraceSetting = DEFAULT_SETTINGS.trace.server;
  const rawTrace = isPlainObject(raw.trace) ? raw.trace.server : undefined;
  if (rawTrace !== undefined && rawTrace !== null) {
    if (isTraceSetting(rawTrace)) traceServer = rawTrace;
    else errors.push(`${SETTINGS_SECTION}.trace.server: expected ${TRACE_SETTINGS.join(', ')}, got ${JSON.stringify(rawTrace)}.`);
  }

  const clusters: ClusterSetting[] = [];
  if (raw.clusters !== undefined && raw.clusters !== null) {
    if (!Array.isArray(raw.clusters)) errors.push(`${SETTINGS_SECTION}.clusters must be a list of {name, region, profile?}.`);
    else {
      raw.clusters.forEach((c: unknown, i) => {
        if (isPlainObject(c) && typeof c.name === 'string' && c.name !== '' && typeof c.region === 'string' && c.region !== '' && (c.profile === undefined || typeof c.profile === 'string')) {
          clusters.push({ name: c.name, region: c.region, ...(typeof c.profile === 'string' && c.profile !== '' ? { profile: c.profile } : {}) });
        } else errors.push(`${SETTINGS_SECTION}.clusters[${i}] must be {"name": …, "region": …, "profile"?: …}, got ${JSON.stringify(c)}.`);
      });
    }
  }

  const rawLive = isPlainObject(raw.live) ? raw.live : {};
  let enabled: boolean | undefined;
  if (rawLive.enabled !== undefined && rawLive.enabled !== null) {
    if (typeof rawLive.enabled === 'boolean') enabled = rawLive.enabled;
    else errors.push(`${SETTINGS_SECTION}.live.enabled must be true or false, got ${JSON.stringify(rawLive.enabled)}.`);
  }
  const positive = (key: 'timeoutSeconds' | 'cacheMinutes'): number => {
    const v = rawLive[key];
    if (v === undefined || v === null) return DEFAULT_SETTINGS.live[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
    errors.push(`${SETTINGS_SECTION}.live.${key} must be a positive number, got ${JSON.stringify(v)}.`);
    return DEFAULT_SETTINGS.live[key];
  };
  const kubernetesContexts: string[] = [];
  const rawContexts = rawLive.kubernetesContexts;
  if (rawContexts !== undefined && rawContexts !== null) {
    if (Array.isArray(rawContexts) && rawContexts.every((c): c is string => typeof c === 'string' && c.trim() !== '' && c.length <= 253)) kubernetesContexts.push(...new Set(rawContexts));
    else errors.push(`${SETTINGS_SECTION}.live.kubernetesContexts must be a list of kubeconfig context names, got ${JSON.stringify(rawContexts)}.`);
  }
  const live: LiveSettings = { ...(enabled !== undefined ? { enabled } : {}), timeoutSeconds: positive('timeoutSeconds'), cacheMinutes: positive('cacheMinutes'), kubernetesContexts };

  let markdownEnabled = DEFAULT_SETTINGS.markdown.enabled;
  const rawMarkdown = isPlainObject(raw.markdown) ? raw.markdown.enabled : undefined;
  if (rawMarkdown !== undefined && rawMarkdown !== null) {
    if (typeof rawMarkdown === 'boolean') markdownEnabled = rawMarkdown;
    else errors.push(`${SETTINGS_SECTION}.markdown.enabled must be true or false, got ${JSON.stringify(rawMarkdown)}.`);
  }

  return { settings: { rules, maxFileSizeKB, trustPolicyMaxLength, clusters, live, markdown: { enabled: markdownEnabled }, trace: { server: traceServer } }, errors };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A severity setting from a file, a setting or the command line; `warn` is
 * taken for `warning`, as ESLint and others spell it.
 */
export function toSeveritySetting(value: unknown): SeveritySetting | undefined {
  if (value === 'warn') return 'warning';
  return RULE_SEVERITY_SETTINGS.find((s) => s === value);
}

/** `; did you mean "x"?` for an unknown rule id close to a known one, else nothing. */
export function didYouMean(id: string, knownRuleIds: ReadonlySet<string>): string {
  const match = /^[A-Za-z0-9_.-]{1,64}$/.test(id) ? closestMatch(id, knownRuleIds) : undefined;
  return match !== undefined ? `; did you mean "${match}"?` : '';
}

function isTraceSetting(value: unknown): value is TraceSetting {
  return typeof value === 'string' && (TRACE_SETTINGS as readonly string[]).includes(value);
}
