/**
 * `irsa-language-server`: the IRSA language server for any LSP client.
 *
 *     irsa-language-server --stdio          # the usual transport
 *     irsa-language-server --node-ipc       # what VS Code uses when it forks the server
 *     irsa-language-server --socket=PORT | --pipe=NAME
 *
 * Without a transport argument it speaks over stdio.
 */
import { createConnection } from 'vscode-languageserver/node';
import { describeError } from './log';
import { MessageFramingGuard } from './message-framing';
import { startServer } from './server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write('Usage: irsa-language-server [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]\nThe IRSA language server (Language Server Protocol); stdio by default.\n');
  process.exit(0);
}

// createConnection() reads the transport from argv; with none it would throw. Defaulting to
// stdio through argv (rather than passing streams) keeps its console patching: with stdio,
// a stray console.log must go to the log, not into the protocol stream.
if (!process.argv.some((arg) => TRANSPORTS.some((t) => arg === t || arg.startsWith(`${t}=`)))) process.argv.push('--stdio');

// Over stdio, each message's header is checked before the library reads it (see message-framing.ts): a bad
// Content-Length would otherwise leave the server alive but deaf. The library takes `process.stdin` when it
// reads `--stdio` from argv (and only then routes console output to the log), so stdin is replaced by the
// checked stream before the connection is made, rather than passing streams and losing that routing.
if (process.argv.includes('--stdio')) {
  const checked = process.stdin.pipe(new MessageFramingGuard((problem) => reportProtocolProblem(problem)));
  Object.defineProperty(process, 'stdin', { value: checked, configurable: true });
}

const connection = createConnection();

function reportProtocolProblem(problem: string): void {
  try {
    connection.console.error(problem);
  } catch {
    process.stderr.write(`${problem}\n`);
  }
}

// Last line of defence: the handlers are guarded, but an exception escaping from a timer or
// a library callback must not take every editor's diagnostics down with it.
process.on('uncaughtException', (error) => reportUnexpected('Uncaught exception', error));
process.on('unhandledRejection', (reason) => reportUnexpected('Unhandled rejection', reason));

function reportUnexpected(what: string, error: unknown): void {
  try {
    connection.console.error(`${what} (the server keeps running): ${describeError(error)}`);
  } catch {
    process.stderr.write(`${what}: ${describeError(error)}\n`);
  }
}

startServer(connection);
