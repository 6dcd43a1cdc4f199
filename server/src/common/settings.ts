/**
 * The editor settings of the `irsa` section: the one typed definition the
 * VS Code client and the language server share (as vscode-eslint does). A
 * setting flows package.json (its schema) → this type → client → server
 * (pulled with `workspace/configuration`), never through a server global.
 *
 * The client bundles this file, so it imports types only: no engine code
 * may ride along into the extension host.
 */
import type { RuleSettings } from '../config';
import type { SeveritySetting } from '../rules/types';

/** The configuration section: `irsa.rules`, `irsa.maxFileSizeKB`, `irsa.trace.server`. */
export const SETTINGS_SECTION = 'irsa';

export const RULE_SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'note', 'warning', 'error'];

export const TRACE_SETTINGS = ['off', 'messages', 'verbose'] as const;
export type TraceSetting = (typeof TRACE_SETTINGS)[number];

export interface IrsaSettings {
  /** Rule id → severity. Wins over `.irsa-lint.json`, which wins over the rule's default. */
  readonly rules: RuleSettings;
  /**
   * Files larger than this are not read by the workspace scan: they are
   * generated or vendored, and parsing them would stall the first analysis.
   * Open documents are analysed whatever their size.
   */
  readonly maxFileSizeKB: number;
  /** Protocol tracing in the client's output channel; vscode-languageclient reads it, the server ignores it. */
  readonly trace: { readonly server: TraceSetting };
}

export const DEFAULT_SETTINGS: IrsaSettings = {
  rules: {},
  maxFileSizeKB: 2048,
  trace: { server: 'off' },
};

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
        if (!knownRuleIds.has(id)) errors.push(`${SETTINGS_SECTION}.rules: unknown rule id "${id}".`);
        else if (!isSeveritySetting(value)) errors.push(`${SETTINGS_SECTION}.rules["${id}"]: expected ${RULE_SEVERITY_SETTINGS.join(', ')}, got ${JSON.stringify(value)}.`);
        else rules[id] = value;
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

  return { settings: { rules, maxFileSizeKB, trace: { server: traceServer } }, errors };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeveritySetting(value: unknown): value is SeveritySetting {
  return typeof value === 'string' && (RULE_SEVERITY_SETTINGS as readonly string[]).includes(value);
}

function isTraceSetting(value: unknown): value is TraceSetting {
  return typeof value === 'string' && (TRACE_SETTINGS as readonly string[]).includes(value);
}
