/**
 * Runs code-server (installed by scripts/e2e-install.sh) on a random free
 * loopback port with the packaged .vsix installed, in a fresh user-data and
 * extensions directory under .e2e/tmp. code-server re-spawns itself, so it
 * runs in its own process group and `stop()` ends the whole group, also when
 * the test fails (and, as a last resort, when the test process exits).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { CODE_SERVER_ENTRY, ROOT, requireInstalled } from './paths';

export interface CodeServer {
  readonly url: string;
  /** code-server's own output, for the failure message. */
  log(): string;
  stop(): Promise<void>;
}

/** User settings that keep the workbench quiet and deterministic for a test. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'window.restoreWindows': 'none',
  'editor.minimap.enabled': false,
  // Typed text lands as typed: no closing brackets or indentation added behind the test's back.
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoIndent': 'none',
  // Suggestions come when asked for (Ctrl+Space), never while the test types into a snippet's placeholders, where Tab would accept one.
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'chat.commandCenter.enabled': false,
  // The workspace copy lives inside this repository: keep Git's prompts out of the screenshots.
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

export async function startCodeServer(options: { vsix: string; folder: string }): Promise<CodeServer> {
  requireInstalled(CODE_SERVER_ENTRY, 'scripts/e2e-install.sh');
  requireInstalled(options.vsix, '`npm run package`');
  const tmp = path.join(ROOT, '.e2e', 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const home = fs.mkdtempSync(path.join(tmp, 'code-server-'));
  const userData = path.join(home, 'user-data');
  const extensions = path.join(home, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];

  const install = spawnSync(process.execPath, [CODE_SERVER_ENTRY, ...common, '--install-extension', options.vsix], { encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) throw new Error(`code-server --install-extension failed (${install.status}):\n${install.stdout}\n${install.stderr}`);

  const port = await freePort();
  const logFile = path.join(home, 'code-server.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [CODE_SERVER_ENTRY, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', options.folder],
    { detached: true, stdio: ['ignore', out, out], env: { ...process.env, VSCODE_CLI: undefined } },
  );
  fs.closeSync(out);
  const killGroup = (): void => killProcessGroup(child, 'SIGKILL');
  process.once('exit', killGroup);

  const server: CodeServer = {
    url: `http://127.0.0.1:${port}`,
    log: () => fs.readFileSync(logFile, 'utf8'),
    stop: async () => {
      process.removeListener('exit', killGroup);
      await stopProcessGroup(child);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    await waitForHttp(`${server.url}/healthz`, child, 60_000);
  } catch (error) {
    const log = server.log();
    await server.stop();
    throw new Error(`${(error as Error).message}\ncode-server log:\n${log}`);
  }
  return server;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls until the server answers (a condition, not a delay), or fails if it exits first. */
async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it listened`);
    const status = await new Promise<number>((resolve) => {
      http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', () => resolve(0));
    });
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

function killProcessGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, then SIGKILL to whatever is left of it after a grace period. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  killProcessGroup(child, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  killProcessGroup(child, 'SIGKILL');
  while (groupAlive(child.pid) && Date.now() < deadline + 5_000) await new Promise((r) => setTimeout(r, 100));
}
