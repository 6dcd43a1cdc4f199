/**
 * The editor settings of the `irsa` section: the one typed definition the
 * VS Code client and the language server share (as vscode-eslint's
 * `$shared/settings.ts`). A setting flows package.json (its schema) → this
 * type → client → server (pulled with `workspace/configuration`), never
 * through a server global; `test/package-json.test.ts` holds the schema to
 * these defaults.
 *
 * Architecture invariant: nothing here imports server or client code, or
 * does IO. The client bundles this file; the server validates what the
 * client sends against it (`server/src/config.ts`).
 */

/** The configuration section: `irsa.rules`, `irsa.maxFileSizeKB`, `irsa.trustPolicyMaxLength`, `irsa.clusters`, `irsa.live.*`, `irsa.markdown.enabled`, `irsa.trace.server`. */
export const SETTINGS_SECTION = 'irsa';

/** What a rule can be set to, mildest first: the `irsa.rules` schema's enum and `.irsa-lint.json`'s values. */
export const RULE_SEVERITY_SETTINGS = ['off', 'note', 'warning', 'error'] as const;
export type SeveritySetting = (typeof RULE_SEVERITY_SETTINGS)[number];

/** Rule id → severity: the shape of `irsa.rules` and of `.irsa-lint.json`'s `rules`. */
export type RuleSettings = Readonly<Record<string, SeveritySetting>>;

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
  /**
   * IAM's role trust policy quota of the accounts the workspace deploys to,
   * in characters without white space (`trust-policy-size`). A
   * `.irsa-lint.json` that sets it wins: the quota belongs to the accounts,
   * which the repository knows better than the editor.
   */
  readonly trustPolicyMaxLength: number;
  /** Clusters to check live, besides those the workspace and the kubeconfig name. */
  readonly clusters: readonly ClusterSetting[];
  readonly live: LiveSettings;
  readonly markdown: MarkdownSettings;
  /** Protocol tracing in the client's output channel; vscode-languageclient reads it, the server ignores it. */
  readonly trace: { readonly server: TraceSetting };
}

/**
 * Markdown runbooks and READMEs: their fenced json/yaml/sh blocks are read
 * as sources, each file on its own. On by default: teams copy IRSA
 * configuration from runbooks, and placeholders in them are unknown values,
 * never errors. `.irsa-lint.json` `{"markdown": {"enabled": false}}` turns
 * it off for a folder too (either one turns it off).
 */
export interface MarkdownSettings {
  readonly enabled: boolean;
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
  /**
   * Kubeconfig contexts whose ServiceAccounts are read live (issue #16).
   * Empty: the current context. Kubernetes is asked under the same
   * conditions as AWS (trusted workspace, live checks on).
   */
  readonly kubernetesContexts: readonly string[];
}

/**
 * IAM's default "Role trust policy length" quota (IAM User Guide, "IAM and
 * AWS STS quotas"; Service Quotas code L-C07B4B0D), raisable on request.
 */
export const DEFAULT_TRUST_POLICY_MAX_LENGTH = 2048;

export const DEFAULT_SETTINGS: IrsaSettings = {
  rules: {},
  maxFileSizeKB: 2048,
  trustPolicyMaxLength: DEFAULT_TRUST_POLICY_MAX_LENGTH,
  clusters: [],
  live: { timeoutSeconds: 5, cacheMinutes: 10, kubernetesContexts: [] },
  markdown: { enabled: true },
  trace: { server: 'off' },
};
