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

// Re-exported: the server and the CLI read them from here, beside what validates them.
export type { RuleSettings } from '../../shared/settings';
export { CONFIG_FILE_NAME };

export interface Config {
  readonly rules: RuleSettings;
  /** `markdown.enabled`: false turns off the analysis of Markdown runbooks for the folder; undefined when not set. */
  readonly markdown?: boolean;
}

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
    if (e instanceof LimitExceeded) return { config: { rules: {} }, errors: [`${CONFIG_FILE_NAME}: ${e.reason}.`] };
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
    return { config: { rules: {} }, errors: [...errors, `${CONFIG_FILE_NAME}: expected an object like {"rules": {"trust-missing-aud": "off"}}.`] };
  }
  const { rules, errors: ruleErrors } = validateRuleSettings((raw as { rules?: unknown }).rules, knownRuleIds);
  const { markdown, error: markdownError } = validateMarkdown((raw as { markdown?: unknown }).markdown);
  const allErrors = [...errors, ...ruleErrors, ...(markdownError ? [markdownError] : [])].map((e) => (e.startsWith(CONFIG_FILE_NAME) ? e : `${CONFIG_FILE_NAME}: ${e}`));
  return { config: { rules, ...(markdown !== undefined ? { markdown } : {}) }, errors: allErrors };
}

/** `"markdown": {"enabled": true|false}` of `.irsa-lint.json`. */
function validateMarkdown(raw: unknown): { markdown?: boolean; error?: string } {
  if (raw === undefined || raw === null) return {};
  if (isPlainObject(raw) && Object.keys(raw).every((k) => k === 'enabled') && (raw.enabled === undefined || typeof raw.enabled === 'boolean')) {
    return typeof raw.enabled === 'boolean' ? { markdown: raw.enabled } : {};
  }
  return { error: '"markdown" must be {"enabled": true} or {"enabled": false}.' };
}

/** How `.irsa-lint.json` changes to set a rule's severity: created, or edited in place. */
export type ConfigFileChange = { readonly kind: 'create'; readonly text: string } | { readonly kind: 'edit'; readonly edits: readonly TextEdit[] };

/**
 * Sets `rules.<ruleId>` in a configuration file's text (undefined: there is
 * no file yet), keeping its comments and layout. Undefined when the file is
 * not an object with an object `rules` (or none): a broken file is the
 * user's to mend, not ours to overwrite.
 */
export function setRuleSeverity(text: string | undefined, ruleId: string, severity: SeveritySetting): ConfigFileChange | undefined {
  if (text === undefined) return { kind: 'create', text: `${JSON.stringify({ rules: { [ruleId]: severity } }, null, 2)}\n` };
  try {
    checkBracketNesting(text);
  } catch {
    return undefined;
  }
  const errors: ParseError[] = [];
  const raw: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !isPlainObject(raw) || (raw.rules !== undefined && !isPlainObject(raw.rules))) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = new LineIndex(text);
  const edits = modify(text, ['rules', ruleId], severity, { formattingOptions: { insertSpaces: true, tabSize: 2, eol } });
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
  const live: LiveSettings = { ...(enabled !== undefined ? { enabled } : {}), timeoutSeconds: positive('timeoutSeconds'), cacheMinutes: positive('cacheMinutes') };

  let markdownEnabled = DEFAULT_SETTINGS.markdown.enabled;
  const rawMarkdown = isPlainObject(raw.markdown) ? raw.markdown.enabled : undefined;
  if (rawMarkdown !== undefined && rawMarkdown !== null) {
    if (typeof rawMarkdown === 'boolean') markdownEnabled = rawMarkdown;
    else errors.push(`${SETTINGS_SECTION}.markdown.enabled must be true or false, got ${JSON.stringify(rawMarkdown)}.`);
  }

  return { settings: { rules, maxFileSizeKB, clusters, live, markdown: { enabled: markdownEnabled }, trace: { server: traceServer } }, errors };
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
