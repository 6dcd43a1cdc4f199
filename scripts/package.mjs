// `npm run package`: bundles minified (scripts/build.mjs --minify) and packs
// the .vsix with @vscode/vsce, offline: the bundles carry their dependencies,
// so vsce is told not to collect node_modules. Prints the size and fails
// above the budget. `--out FILE` picks the file (default irsa-lint-<version>.vsix).
//
// vsce runs in a staging copy: package.json's `files` whitelist is the npm
// package's (the CLI and the server), and vsce refuses a package.json with
// `files` beside a .vscodeignore, which stays the whitelist of the .vsix.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const MAX_BYTES = 5 * 1024 * 1024;
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = path.resolve(root, outArg >= 0 ? process.argv[outArg + 1] : `${name}-${version}.vsix`);

const run = (file, args) => execFileSync(file, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
// Sourcemaps of the development build must not linger in dist/ (they are not shipped, but stale).
for (const f of fs.existsSync(path.join(root, 'dist')) ? fs.readdirSync(path.join(root, 'dist')) : []) {
  if (f.endsWith('.map')) fs.rmSync(path.join(root, 'dist', f));
}
run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--minify']);
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-lint-vsix-'));
try {
  const { files: _npmFiles, ...manifest } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  // The candidates are the top-level entries .vscodeignore allows (`!name` or `!dir/...`); copied too, it decides which files ship.
  // Derived, not listed: a hand-kept list here once left out the grammars and then the walkthrough pages.
  const allowed = fs
    .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).trim().split('/')[0])
    // package.json is the manifest written above, without npm's `files` (vsce refuses both).
    .filter((entry) => entry !== 'package.json');
  for (const entry of new Set(['.vscodeignore', ...allowed])) {
    if (!fs.existsSync(path.join(root, entry))) continue;
    fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
  }
  execFileSync(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', out], { cwd: stage, stdio: ['ignore', 'inherit', 'inherit'] });
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}

const size = fs.statSync(out).size;
const mb = (size / 1024 / 1024).toFixed(2);
if (size > MAX_BYTES) {
  console.error(`${path.relative(root, out)} is ${mb} MB, over the 5 MB budget`);
  process.exit(1);
}
console.log(`${path.relative(root, out)}: ${mb} MB (budget 5 MB)`);
