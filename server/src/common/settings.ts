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

/** The configuration section: `irsa.rules`, `irsa.maxFileSizeKB`, `irsa.clusters`, `irsa.live.*`, `irsa.trace.server`. */
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
  /** Clusters to check live, besides those the workspace and the kubeconfig name. */
  readonly clusters: readonly ClusterSetting[];
  readonly live: LiveSettings;
  /** Protocol tracing in the client's output channel; vscode-languageclient reads it, the server ignores it. */
  readonly trace: { readonly server: TraceSetting };
}

export interface ClusterSetting {
  readonly name: string;
  readonly region: string;
  readonly profile?: string;
}

export interface LiveSettings {
  /**
   * Live checks call AWS with the user's credentials. Undefined: not set by
   * the client, and then only a client that says the workspace is trusted
   * gets them (VS Code sends `true`, its schema default, and the trust state).
   */
  readonly enabled?: boolean;
  readonly timeoutSeconds: number;
  readonly cacheMinutes: number;
}

/** The client's notification that the user trusted the workspace (VS Code Workspace Trust). */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'irsa/workspaceTrusted';
/** The client's request behind "IRSA: Refresh live clusters"; answers with the status. */
export const REFRESH_LIVE_REQUEST = 'irsa/refreshLiveClusters';
/** The server's live-check status, for the status bar item. */
export const LIVE_STATUS_NOTIFICATION = 'irsa/liveStatus';

export interface LiveStatus {
  readonly state: 'off' | 'checking' | 'ok' | 'failed';
  /** One line: "IRSA: live 2 clusters", "IRSA: live check failed (prod: no credentials)". */
  readonly text: string;
  readonly tooltip: string;
}

/** `initializationOptions` the VS Code client sends. */
export interface InitializationOptions {
  readonly workspaceTrusted?: boolean;
}

export const DEFAULT_SETTINGS: IrsaSettings = {
  rules: {},
  maxFileSizeKB: 2048,
  clusters: [],
  live: { timeoutSeconds: 5, cacheMinutes: 10 },
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

  return { settings: { rules, maxFileSizeKB, clusters, live, trace: { server: traceServer } }, errors };
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
