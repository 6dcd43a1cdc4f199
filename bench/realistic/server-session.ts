/**
 * The language server as an editor runs it, for the benchmark: `node
 * dist/server.js --stdio` as a child process, spoken to over stdio with the
 * protocol library, answering progress, registration and configuration
 * requests as VS Code does. It records when the scan ends, what each file's
 * diagnostics are, and the server's memory (from /proc, on Linux).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

export interface Publication {
  readonly at: number;
  readonly uri: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** The answer to a `workspace/configuration` item, by section. */
export type Settings = (section: string | undefined) => unknown;

/** What the benchmark's editor says to IRSA Lint: no live checks (no network). */
const IRSA_SETTINGS: Settings = (section) => (section === 'irsa' ? { live: { enabled: false } } : null);

export class ServerSession {
  readonly started = performance.now();
  /** When the scan's progress ended (the workspace is indexed and analysed next). */
  scanEnded: number | undefined;
  private readonly waiters: (() => void)[] = [];
  private readonly versions = new Map<string, number>();
  readonly latest = new Map<string, readonly Diagnostic[]>();
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly connection: ProtocolConnection,
    settings: Settings,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.latest.set(params.uri, params.diagnostics);
      this.wake();
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      connection.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind === 'end' && /^Indexed /.test(value.message ?? '')) this.scanEnded = performance.now();
        this.wake();
      });
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => settings(item.section)));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('exit', () => this.wake());
  }

  static async start(serverJs: string, rootUri: string, name: string, args: readonly string[] = ['--stdio'], settings: Settings = IRSA_SETTINGS): Promise<ServerSession> {
    const child = spawn(process.execPath, [serverJs, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const session = new ServerSession(child, connection, settings);
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: {}, synchronization: { dynamicRegistration: false } },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resident and peak memory of the server process, in KB (Linux /proc; undefined elsewhere). */
  memory(): { rssKB: number; peakKB: number } | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
      return { rssKB: field('VmRSS'), peakKB: field('VmHWM') };
    } catch {
      return undefined;
    }
  }

  /** CPU time (user + system) the server process has used so far, in ms (Linux /proc; NaN elsewhere). */
  cpuMs(): number {
    try {
      const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks (100 per second on Linux).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      return NaN;
    }
  }

  /** Resolves when the predicate holds, checked after every message; rejects after the timeout. */
  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate()) {
          clearTimeout(timer);
          resolve();
        } else if (this.child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`the server exited while waiting for ${what}: ${this.stderr}`));
        } else this.waiters.push(check);
      };
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      check();
    });
  }

  open(uri: string, languageId: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text of an open document (as many clients send it). */
  change(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Sends an incremental change (a keystroke): insert `text` at a position. */
  type(uri: string, line: number, character: number, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const at = { line, character };
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text }] });
  }

  /**
   * A request the server has no handler for: it answers (an error) as soon
   * as its event loop gets to it, so its round trip says when the server is
   * idle again.
   */
  async ping(): Promise<void> {
    try {
      await this.connection.sendRequest('irsaBench/ping', {});
    } catch {
      // MethodNotFound is the answer.
    }
  }

  /**
   * Asks for the fix-all code action of `uri`: the server first runs any
   * analysis an edit scheduled (findings are never stale for a fix), then
   * answers. So the round trip after an edit covers all the work the edit
   * caused, without waiting on the analysis timer.
   */
  async settle(uri: string): Promise<void> {
    const start = { line: 0, character: 0 };
    await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start, end: start }, context: { diagnostics: [], only: ['source.fixAll.irsa'] } });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 5000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // Already gone.
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 5000);
      this.child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }

  private wake(): void {
    const waiting = this.waiters.splice(0);
    for (const check of waiting) check();
  }
}
