// Bundles the extension client, the language server and the CLI with
// esbuild, and copies the wasm grammars beside the bundles (the server and
// CLI locate them next to their own file). `--minify` for packaging.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const dist = path.join(root, 'dist');
const minify = process.argv.includes('--minify');

fs.mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !minify,
  minify,
  logLevel: 'warning',
  // web-tree-sitter probes for these in non-Node environments only.
  external: ['fs/promises', 'module'],
};

const entries = [
  { in: 'client/src/extension.ts', out: 'extension.js', external: ['vscode'] },
  { in: 'server/src/lsp/main.ts', out: 'server.js', banner: '#!/usr/bin/env node' },
  { in: 'server/src/cli/main.ts', out: 'cli.js', banner: '#!/usr/bin/env node' },
].filter((e) => fs.existsSync(path.join(root, e.in)));

await Promise.all(
  entries.map((e) =>
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, e.in)],
      outfile: path.join(dist, e.out),
      external: [...common.external, ...(e.external ?? [])],
      ...(e.banner ? { banner: { js: e.banner } } : {}),
    }),
  ),
);

const wasm = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  path.join(path.dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-terraform.wasm'),
];
for (const file of wasm) fs.copyFileSync(file, path.join(dist, path.basename(file)));
for (const e of entries) {
  const out = path.join(dist, e.out);
  if (e.banner) fs.chmodSync(out, 0o755);
}
console.log(`built ${entries.map((e) => e.out).join(', ')} into dist/${minify ? ' (minified)' : ''}`);
