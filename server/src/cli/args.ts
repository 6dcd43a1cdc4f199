/**
 * Command-line arguments, parsed by hand (no dependency): a small, strict
 * grammar where anything unknown is a usage error, so a typo in CI fails
 * loudly instead of silently changing what is checked.
 */
import { DEFAULT_MAX_FILE_SIZE_KB } from '../node/host';
import { toSeveritySetting } from '../config';
import type { SeveritySetting } from '../rules/types';

const OUTPUT_FORMATS = ['text', 'json', 'sarif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `auto` follows the terminal and the NO_COLOR / FORCE_COLOR conventions. */
export type ColorChoice = 'auto' | 'always' | 'never';

export interface CliOptions {
  /**
   * Directories and files, as given (resolved later; none means `.`).
   * Directories are analysed as one workspace; files limit the report to them.
   */
  readonly paths: readonly string[];
  readonly format: OutputFormat;
  /** An explicit config file; without it `<dir>/.irsa-lint.json` is used when present. */
  readonly configPath?: string;
  /** `--rule id=severity`, in order; they win over the config file. Ids are checked when run. */
  readonly ruleOverrides: readonly RuleOverride[];
  readonly maxFileSizeKB: number;
  /** Write the report here instead of stdout. */
  readonly outputPath?: string;
  readonly color: ColorChoice;
  /** Report error-level findings only. */
  readonly quiet: boolean;
  /** Exit 0 even when error-level findings are reported (still 2 on failures). */
  readonly exitZero: boolean;
  /** `--cluster NAME`, in order: clusters to check live (turns live checks on). */
  readonly clusters: readonly string[];
  /** For `--cluster` clusters and workspace clusters without a region. */
  readonly region?: string;
  /** A shared-config profile for the AWS calls. */
  readonly profile?: string;
  /** `--kube-context NAME`, in order: kubeconfig contexts whose ServiceAccounts are read live (default: the current one). */
  readonly kubeContexts: readonly string[];
  /** False with `--no-live`. */
  readonly live: boolean;
  /** False with `--no-markdown`: the fenced blocks of Markdown runbooks are not analysed. */
  readonly markdown: boolean;
  /** `--fix` writes the preferred fixes; `--fix-dry-run` prints them as a diff. */
  readonly fix: FixMode;
  /** `--baseline FILE`: findings recorded there are not reported. */
  readonly baselinePath?: string;
  /** `--write-baseline FILE`: record the findings there (with `--baseline`, only those still in it). */
  readonly writeBaselinePath?: string;
}

export type FixMode = 'off' | 'write' | 'dry-run';

export interface RuleOverride {
  readonly ruleId: string;
  readonly severity: SeveritySetting;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'list-rules' }
  | { readonly kind: 'usage-error'; readonly message: string };


/** Options that take a value, by every spelling, mapped to their canonical name. */
const VALUE_OPTIONS: Readonly<Record<string, string>> = {
  '--format': '--format',
  '-f': '--format',
  '--config': '--config',
  '-c': '--config',
  '--rule': '--rule',
  '--max-file-size-kb': '--max-file-size-kb',
  '--output': '--output',
  '-o': '--output',
  '--cluster': '--cluster',
  '--region': '--region',
  '--profile': '--profile',
  '--kube-context': '--kube-context',
  '--baseline': '--baseline',
  '--write-baseline': '--write-baseline',
};

const FLAG_OPTIONS: ReadonlySet<string> = new Set(['--help', '-h', '--version', '--quiet', '-q', '--no-color', '--color', '--exit-zero', '--no-live', '--no-markdown', '--fix', '--fix-dry-run', '--list-rules']);

/** Parses `argv` without the node and script paths (`process.argv.slice(2)`). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  let format: OutputFormat = 'text';
  let configPath: string | undefined;
  const ruleOverrides: RuleOverride[] = [];
  let maxFileSizeKB = DEFAULT_MAX_FILE_SIZE_KB;
  let outputPath: string | undefined;
  let color: ColorChoice = 'auto';
  let quiet = false;
  let exitZero = false;
  const clusters: string[] = [];
  let region: string | undefined;
  let profile: string | undefined;
  const kubeContexts: string[] = [];
  let live = true;
  let markdown = true;
  const fixFlags = new Set<string>();
  let help = false;
  let version = false;
  let listRules = false;
  let baselinePath: string | undefined;
  let writeBaselinePath: string | undefined;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    // `--name=value` and `--name value` are both accepted for value options.
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const spelled = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = VALUE_OPTIONS[spelled];
    if (name === undefined) {
      if (eq >= 0 || !FLAG_OPTIONS.has(arg)) return usageError(`unknown option '${spelled}'`);
      if (arg === '--help' || arg === '-h') help = true;
      else if (arg === '--version') version = true;
      else if (arg === '--list-rules') listRules = true;
      else if (arg === '--quiet' || arg === '-q') quiet = true;
      else if (arg === '--no-color') color = 'never';
      else if (arg === '--color') color = 'always';
      else if (arg === '--exit-zero') exitZero = true;
      else if (arg === '--no-live') live = false;
      else if (arg === '--no-markdown') markdown = false;
      else if (arg === '--fix' || arg === '--fix-dry-run') fixFlags.add(arg);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) return usageError(`option '${spelled}' needs a value`);
      value = next;
      i++;
    }
    switch (name) {
      case '--format': {
        const f = OUTPUT_FORMATS.find((candidate) => candidate === value);
        if (!f) return usageError(`unknown format '${value}' (expected ${OUTPUT_FORMATS.join(', ')})`);
        format = f;
        break;
      }
      case '--config':
        if (value === '') return usageError(`option '--config' needs a file name`);
        configPath = value;
        break;
      case '--rule': {
        const override = parseRuleOverride(value);
        if (typeof override === 'string') return usageError(override);
        ruleOverrides.push(override);
        break;
      }
      case '--max-file-size-kb': {
        if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
          return usageError(`option '--max-file-size-kb' expects a positive whole number of kilobytes, got '${value}'`);
        }
        maxFileSizeKB = Number(value);
        break;
      }
      case '--output':
        if (value === '') return usageError(`option '--output' needs a file name`);
        outputPath = value;
        break;
      case '--cluster':
        if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(value)) return usageError(`option '--cluster' expects an EKS cluster name, got '${value}'`);
        clusters.push(value);
        break;
      case '--region':
        if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) return usageError(`option '--region' expects an AWS region such as eu-west-1, got '${value}'`);
        region = value;
        break;
      case '--profile':
        if (value === '') return usageError(`option '--profile' needs a profile name`);
        profile = value;
        break;
      case '--kube-context':
        if (value === '' || value.length > 253 || /[\s\0]/.test(value)) return usageError(`option '--kube-context' expects a kubeconfig context name, got '${value}'`);
        kubeContexts.push(value);
        break;
      case '--baseline':
      case '--write-baseline':
        if (value === '') return usageError(`option '${name}' needs a file name`);
        if (name === '--baseline') baselinePath = value;
        else writeBaselinePath = value;
        break;
    }
  }

  // Help and version win over everything else, as users expect from `cmd --help` appended to a long line.
  if (help) return { kind: 'help' };
  if (version) return { kind: 'version' };
  if (listRules) return { kind: 'list-rules' };
  if (fixFlags.size > 1) return usageError(`'--fix' and '--fix-dry-run' do not go together`);
  const fix: FixMode = fixFlags.has('--fix') ? 'write' : fixFlags.has('--fix-dry-run') ? 'dry-run' : 'off';
  return {
    kind: 'run',
    options: {
      paths: positionals,
      format,
      ruleOverrides,
      maxFileSizeKB,
      color,
      quiet,
      exitZero,
      clusters,
      kubeContexts,
      live,
      markdown,
      fix,
      ...(region !== undefined ? { region } : {}),
      ...(profile !== undefined ? { profile } : {}),
      ...(configPath !== undefined ? { configPath } : {}), ...(outputPath !== undefined ? { outputPath } : {}),
      ...(baselinePath !== undefined ? { baselinePath } : {}),
      ...(writeBaselinePath !== undefined ? { writeBaselinePath } : {}),
    },
  };
}

/** `id=severity`; returns an error message when malformed. Whether the id exists is checked by the caller. */
function parseRuleOverride(value: string): RuleOverride | string {
  const eq = value.indexOf('=');
  const ruleId = eq >= 0 ? value.slice(0, eq).trim() : '';
  const severity = toSeveritySetting(eq >= 0 ? value.slice(eq + 1).trim() : '');
  if (ruleId === '' || severity === undefined) return `option '--rule' expects <rule-id>=<off|note|warning|error>, got '${value}'`;
  return { ruleId, severity };
}

function usageError(message: string): ParsedArgs {
  return { kind: 'usage-error', message };
}
