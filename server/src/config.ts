/**
 * Rule configuration: `.irsa-lint.json` at the workspace root and the
 * `irsa.rules` editor setting share one shape, `{ "<rule-id>": "off" |
 * "note" | "warning" | "error" }`. Parsing is pure; the CLI and the server
 * read the file.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { checkBracketNesting, LimitExceeded } from './common/budget';
import type { SeveritySetting } from './rules/types';

export const CONFIG_FILE_NAME = '.irsa-lint.json';

export type RuleSettings = Readonly<Record<string, SeveritySetting>>;

export interface Config {
  readonly rules: RuleSettings;
}

const SEVERITIES: ReadonlySet<string> = new Set(['off', 'note', 'warning', 'error']);

/** Validates rule settings from any source; unknown ids and values are reported, not fatal. */
export function validateRuleSettings(raw: unknown, knownRuleIds: ReadonlySet<string>): { rules: RuleSettings; errors: string[] } {
  const errors: string[] = [];
  const rules: Record<string, SeveritySetting> = {};
  if (raw === undefined || raw === null) return { rules, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { rules, errors: ['"rules" must be an object mapping rule ids to off|note|warning|error.'] };
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!knownRuleIds.has(id)) {
      errors.push(`Unknown rule id ${shownKey(id)}.`);
      continue;
    }
    if (typeof value !== 'string' || !SEVERITIES.has(value)) {
      errors.push(`Rule "${id}": expected off, note, warning or error, got ${shownValue(value)}.`);
      continue;
    }
    rules[id] = value as SeveritySetting;
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
  return { config: { rules }, errors: [...errors, ...ruleErrors.map((e) => `${CONFIG_FILE_NAME}: ${e}`)] };
}

/** Later sources win: file settings, then editor settings. */
export function mergeRuleSettings(...sources: readonly RuleSettings[]): RuleSettings {
  return Object.assign({}, ...sources) as RuleSettings;
}
