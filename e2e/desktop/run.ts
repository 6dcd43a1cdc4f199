/**
 * `npm run test:desktop`: the mocha suites of ./suites run inside the
 * extension host of VS Code desktop (@vscode/test-electron), with this
 * repository as the extension under development and a copy of examples/ as
 * the workspace. VS Code is VSCODE_EXECUTABLE_PATH when set, else the version
 * of engines.vscode, downloaded into .vscode-test/ (git-ignored). Where it can
 * be neither found nor downloaded, the script says so in one line and exits 0:
 * it does not pretend the suites ran.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DOWNLOAD_IDLE_TIMEOUT_MS = 15_000;

async function vscodeExecutable(): Promise<string | undefined> {
  const given = process.env.VSCODE_EXECUTABLE_PATH;
  if (given) return given;
  const { engines } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } };
  const version = engines.vscode.replace(/^\^/, '');
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: path.join(ROOT, '.vscode-test'), timeout: DOWNLOAD_IDLE_TIMEOUT_MS });
  } catch (error) {
    console.log(`test:desktop: not run: VS Code ${version} cannot be downloaded here (${(error as Error).message.split('\n')[0]}) and VSCODE_EXECUTABLE_PATH is unset.`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const executable = await vscodeExecutable();
  if (!executable) return;
  const workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-desktop-')), 'examples');
  fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(__dirname, 'suites', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { IRSA_DESKTOP_WORKSPACE: workspace },
    });
  } finally {
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
