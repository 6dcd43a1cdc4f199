/**
 * `irsa-lint` entry point: pick the subcommand, parse arguments, run, write,
 * set the exit code. It sets `process.exitCode` rather than calling
 * `process.exit()`, so that output to a pipe is flushed before the process ends.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redact } from '../common/redact';
import { parseArgs } from './args';
import { CliError, EXIT_FAILURE, EXIT_OK } from './errors';
import { HELP, USAGE } from './help';
import { inventoryCommand } from './inventory';
import { exitCodeFor, renderOutput } from './output';
import { RULES } from '../rules/registry';
import { formatRuleList } from './list-rules';
import { runCli } from './run';
import { TOOL_VERSION } from './tool';

/**
 * Subcommands, by the name given as the first argument. `lint` is also what
 * runs without one, so `irsa-lint lint infra/` and `irsa-lint infra/` are
 * the same; a directory that happens to bear a subcommand's name is
 * written `./lint`. A new subcommand is one entry here and its own module.
 */
const SUBCOMMANDS: Readonly<Record<string, (argv: readonly string[]) => Promise<number>>> = {
  lint,
  inventory: (argv) => inventoryCommand(argv),
};
const DEFAULT_SUBCOMMAND = lint;

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  const subcommand = first !== undefined && Object.hasOwn(SUBCOMMANDS, first) ? SUBCOMMANDS[first] : undefined;
  return subcommand ? subcommand(rest) : DEFAULT_SUBCOMMAND(argv);
}

/** `irsa-lint [lint] [<dir>|<file>...] [options]`: analyse and report. */
async function lint(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(HELP);
      return EXIT_OK;
    case 'version':
      process.stdout.write(`${TOOL_VERSION}\n`);
      return EXIT_OK;
    case 'list-rules':
      process.stdout.write(formatRuleList(RULES.map((r) => r.meta)));
      return EXIT_OK;
    case 'usage-error':
      process.stderr.write(`irsa-lint: ${parsed.message}\n${USAGE}\n`);
      return EXIT_FAILURE;
  }
  const { options } = parsed;
  const { report, fix } = await runCli(options);
  if (fix) {
    const problems = `${fix.fixed} problem${fix.fixed === 1 ? '' : 's'}`;
    const files = `${fix.files.length} file${fix.files.length === 1 ? '' : 's'}`;
    process.stderr.write(`irsa-lint: ${fix.mode === 'write' ? 'fixed' : 'would fix'} ${problems} in ${files}\n`);
    for (const { path: file, reason } of fix.refused) process.stderr.write(`irsa-lint: ${fix.mode === 'write' ? 'did not fix' : 'would not fix'} ${file}: ${reason}\n`);
    // A dry run's stdout is the patch alone (`irsa-lint --fix-dry-run | git apply`); the report goes only to --output.
    if (fix.mode === 'dry-run') process.stdout.write(fix.diff);
  }
  const writes = renderOutput(report, options, { stdoutIsTTY: process.stdout.isTTY === true, stderrIsTTY: process.stderr.isTTY === true, env: process.env });
  const reportText = writes.filter((w) => w.to === 'report').map((w) => w.text).join('');
  if (options.outputPath !== undefined) {
    try {
      fs.writeFileSync(path.resolve(options.outputPath), reportText);
    } catch (e) {
      throw new CliError(`cannot write ${options.outputPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  for (const w of writes) {
    if (w.to === 'stderr') process.stderr.write(w.text);
    else if (options.outputPath === undefined && fix?.mode !== 'dry-run') process.stdout.write(w.text);
  }
  return exitCodeFor(report, options);
}

function fail(error: unknown): void {
  const message = error instanceof CliError ? error.message : `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`irsa-lint: ${redact(message)}\n`);
  process.exitCode = EXIT_FAILURE;
}

// A reader that goes away (`irsa-lint | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') fail(e);
});
// Node's default for these is exit code 1, which CI would read as "findings".
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

main(process.argv.slice(2)).then((code) => {
  process.exitCode ??= code;
}, fail);
