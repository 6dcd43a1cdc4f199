/** Where the end-to-end tests find the repository, its package and their tools. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (this file runs from out/e2e/support/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');
/** Screenshots of each step; git-ignored. */
export const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
/** Installed by scripts/e2e-install.sh. */
export const CODE_SERVER_ENTRY = path.join(ROOT, '.e2e', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const NVIM = process.env.NVIM_PATH ?? '/usr/bin/nvim';

/** The .vsix that `npm run package` wrote for the version in package.json. */
export function packagedVsix(): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(ROOT, `${name}-${version}.vsix`);
}

/** Fails with the command that provides a missing tool, instead of a bare ENOENT later. */
export function requireInstalled(file: string, provider: string): void {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run ${provider} first`);
}
