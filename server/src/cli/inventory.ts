/**
 * `irsa-lint inventory [<dir>...] [--format table|json|csv|markdown]`:
 * which ServiceAccount carries which role, and whether the trust lets it
 * in, read from the workspace alone (no AWS call). The rows, verdicts and
 * renderings are `server/src/inventory/`'s; this module reads the
 * arguments and the directories and writes the text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToUri } from '../common/uri';
import { Workspace } from '../index/workspace';
import { buildInventory } from '../inventory/model';
import { INVENTORY_FORMATS, renderInventory, type InventoryFormat } from '../inventory/render';
import { DEFAULT_MAX_FILE_SIZE_KB, initParsers, loadWorkspace } from '../node/host';
import { CliError, EXIT_FAILURE, EXIT_OK } from './errors';
import { relativePath } from './report';
import { resolveTargets } from './targets';
import { liveFacts, type LiveOptions } from './run';
import { redact } from '../common/redact';

export const INVENTORY_USAGE = 'usage: irsa-lint inventory [<dir>...] [--format table|json|csv|markdown] [--live] [options]';

export const INVENTORY_HELP = `${INVENTORY_USAGE}

Lists which Kubernetes ServiceAccount carries which IAM role across the
directories (read as one workspace), with the verdict on each link:
  sound      the role's trust admits exactly this ServiceAccount
  mismatch   the trust does not admit it (STS answers AccessDenied)
  unknown    the workspace does not say (role elsewhere, computed value)
  wildcard   admitted by a pattern or without a sub condition
  shared     admitted, but other ServiceAccounts use the role too
then the IRSA roles no ServiceAccount uses and the ServiceAccounts without a
role. Without --live nothing is sent anywhere; paths are relative to the
current directory.

Arguments:
  <dir>...                    directories to read as one workspace (default: .)

Options:
  -f, --format <format>       table (default: aligned columns), json (with a
                              "version" field), csv (RFC 4180) or markdown
  -o, --output <file>         write to a file instead of stdout
      --max-file-size-kb <n>  skip files larger than n KB (default: ${DEFAULT_MAX_FILE_SIZE_KB})
      --live                  also ask AWS and Kubernetes, with your credentials and
                              kubeconfig (as 'irsa-lint lint' does): the permissions
                              of each role (iam:ListAttachedRolePolicies,
                              ListRolePolicies), drift between the live ServiceAccounts
                              and the workspace, and the live-only ServiceAccounts.
                              Faults are one line each on stderr; the rest is written.
      --cluster <name>        with --live: an EKS cluster to look up (repeatable)
      --region <region>       with --live: the region of --cluster
      --profile <profile>     with --live: the AWS shared-config profile
      --kube-context <name>   with --live: a kubeconfig context to read (repeatable;
                              default: the current context)
  -h, --help                  show this help

Exit status: 0 when the inventory was written (whatever the verdicts), 2 on
a usage error or an unreadable directory. \`irsa-lint lint\` is the check
that fails a build.
`;

interface InventoryOptions extends LiveOptions {
  readonly paths: readonly string[];
  readonly format: InventoryFormat;
  readonly outputPath?: string;
  readonly maxFileSizeKB: number;
}

type Parsed = { readonly kind: 'help' } | { readonly kind: 'usage-error'; readonly message: string } | { readonly kind: 'run'; readonly options: InventoryOptions };

export function parseInventoryArgs(argv: readonly string[]): Parsed {
  const paths: string[] = [];
  let format: InventoryFormat = 'table';
  let outputPath: string | undefined;
  let maxFileSizeKB = DEFAULT_MAX_FILE_SIZE_KB;
  let live = false;
  const clusters: string[] = [];
  const kubeContexts: string[] = [];
  let region: string | undefined;
  let profile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    if (name === '-h' || name === '--help') return { kind: 'help' };
    if (name === '-f' || name === '--format') {
      const v = value();
      if (v === undefined || !(INVENTORY_FORMATS as readonly string[]).includes(v)) return { kind: 'usage-error', message: `--format takes ${INVENTORY_FORMATS.join(', ')}${v !== undefined ? `, not '${v}'` : ''}` };
      format = v as InventoryFormat;
    } else if (name === '-o' || name === '--output') {
      const v = value();
      if (v === undefined || v === '') return { kind: 'usage-error', message: '--output takes a file name' };
      outputPath = v;
    } else if (name === '--max-file-size-kb') {
      const v = value();
      const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!(n > 0)) return { kind: 'usage-error', message: `--max-file-size-kb takes a positive whole number${v !== undefined ? `, not '${v}'` : ''}` };
      maxFileSizeKB = n;
    } else if (name === '--live') {
      if (eq > 0) return { kind: 'usage-error', message: '--live takes no value' };
      live = true;
    } else if (name === '--cluster' || name === '--region' || name === '--profile' || name === '--kube-context') {
      const v = value();
      if (v === undefined || v === '' || /\s/.test(v)) return { kind: 'usage-error', message: `${name} takes a name${v ? `, not '${v}'` : ''}` };
      if (name === '--cluster') clusters.push(v);
      else if (name === '--kube-context') kubeContexts.push(v);
      else if (name === '--region') region = v;
      else profile = v;
    } else if (arg === '--') {
      paths.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      return { kind: 'usage-error', message: `unknown option '${arg}' for inventory` };
    } else {
      paths.push(arg);
    }
  }
  if (!live && (clusters.length > 0 || kubeContexts.length > 0 || region !== undefined || profile !== undefined)) {
    return { kind: 'usage-error', message: '--cluster, --region, --profile and --kube-context need --live' };
  }
  const liveOptions: LiveOptions = { live, clusters, kubeContexts, ...(region !== undefined ? { region } : {}), ...(profile !== undefined ? { profile } : {}) };
  return { kind: 'run', options: { paths, format, maxFileSizeKB, ...liveOptions, ...(outputPath !== undefined ? { outputPath } : {}) } };
}

export async function inventoryCommand(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const parsed = parseInventoryArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(INVENTORY_HELP);
    return EXIT_OK;
  }
  if (parsed.kind === 'usage-error') {
    process.stderr.write(`irsa-lint: ${parsed.message}\n${INVENTORY_USAGE}\n`);
    return EXIT_FAILURE;
  }
  const { options } = parsed;
  const targets = resolveTargets(options.paths, cwd);
  if (targets.files !== undefined) throw new CliError('inventory reads directories; name the directory that holds the file');
  await initParsers();
  const workspace = new Workspace();
  const skipped = targets.roots.flatMap((root) => loadWorkspace(workspace, root.path, { maxFileSizeKB: options.maxFileSizeKB }));
  const base = pathToUri(cwd);
  // Opt-in: an inventory is often taken by someone who did not expect it to call AWS.
  const live = options.live ? await liveFacts(options, workspace) : undefined;
  const text = renderInventory(buildInventory(workspace.model(), live?.facts), options.format, (uri) => relativePath(base, uri));
  for (const fault of live?.faults ?? []) process.stderr.write(`irsa-lint: live check: ${redact(fault.message)}\n`);
  for (const s of skipped) process.stderr.write(`irsa-lint: skipped ${relativePath(base, pathToUri(s.path))}: ${s.reason}\n`);
  for (const l of workspace.limitedFiles()) process.stderr.write(`irsa-lint: skipped ${relativePath(base, l.uri)}: ${l.reason}\n`);
  if (options.outputPath !== undefined) {
    try {
      fs.writeFileSync(path.resolve(cwd, options.outputPath), text);
    } catch (e) {
      throw new CliError(`cannot write ${options.outputPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  } else {
    process.stdout.write(text);
  }
  return EXIT_OK;
}
