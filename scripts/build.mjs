// Bundles the extension client, the language server and the CLI with
// esbuild, and copies the wasm grammars beside the bundles (the server and
// CLI locate them next to their own file). `--minify` for packaging; `npm pack` and
// `npm publish` minify too: they run this as `prepare`, after any `prepack`, so a
// separate minifying step would be overwritten by the development build.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const dist = path.join(root, 'dist');
const minify = process.argv.includes('--minify') || ['pack', 'publish'].includes(process.env.npm_command ?? '');

fs.mkdirSync(dist, { recursive: true });

// Our bundles are CommonJS, so pick each dependency's build that works there:
// - web-tree-sitter: its ESM build (chosen for `import`) calls
//   createRequire(import.meta.url), which is undefined in a CJS bundle; use its .cjs build;
// - jsonc-parser: its `main` is a UMD build whose internal requires esbuild cannot
//   follow ("Cannot find module './impl/format'" at run time); use its ESM build.
const cjsFriendlyBuilds = {
  name: 'cjs-friendly-builds',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
    build.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: require.resolve('jsonc-parser/lib/esm/main.js') }));
  },
};

// server/src/cli/format/rule-docs.ts reads docs/rules/*.md beside the compiled sources; the
// bundle gets the pages inlined instead (the npm package ships no docs/ folder).
const inlineRuleDocs = {
  name: 'inline-rule-docs',
  setup(build) {
    build.onLoad({ filter: /[\\/]cli[\\/]format[\\/]rule-docs\.ts$/ }, () => {
      const dir = path.join(root, 'docs', 'rules');
      const docs = Object.fromEntries(
        fs.readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => [f.slice(0, -3), fs.readFileSync(path.join(dir, f), 'utf8')]),
      );
      return { contents: `export const RULE_DOCS = ${JSON.stringify(docs)};`, loader: 'js' };
    });
  },
};

// The AWS SDK (half of the bundle, compiled at every start) is only needed for live
// lookups: `server/src/node/aws-sdk.ts` becomes its own dist/aws-sdk.js, and the CLI and
// server bundles load it from beside themselves on their first live lookup.
const awsSdkChunk = {
  name: 'aws-sdk-chunk',
  setup(build) {
    build.onResolve({ filter: /^\.\/aws-sdk\.js$/ }, (args) =>
      /[\\/]node[\\/]aws\.ts$/.test(args.importer) ? { path: './aws-sdk.js', external: true } : undefined,
    );
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !minify,
  minify,
  logLevel: 'warning',
  // host.ts resolves the grammar from node_modules only when it is not beside the bundle
  // (compiled tests); in the bundle the copied wasm is found first, so this is not a problem.
  logOverride: { 'require-resolve-not-external': 'silent' },
  // web-tree-sitter probes for these in non-Node environments only.
  external: ['fs/promises', 'module'],
  plugins: [cjsFriendlyBuilds, inlineRuleDocs, awsSdkChunk],
};

const entries = [
  { in: 'client/src/extension.ts', out: 'extension.js', external: ['vscode'] },
  { in: 'server/src/lsp/main.ts', out: 'server.js', banner: '#!/usr/bin/env node' },
  { in: 'server/src/cli/main.ts', out: 'cli.js', banner: '#!/usr/bin/env node' },
  { in: 'server/src/node/aws-sdk.ts', out: 'aws-sdk.js' },
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
