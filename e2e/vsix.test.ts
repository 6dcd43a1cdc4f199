/**
 * The .vsix that `npm run package` writes (npm run test:e2e packages first):
 * it ships the minified bundles, the wasm grammars and what the Marketplace
 * shows, and nothing of the development tree.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { it } from 'node:test';
import { packagedVsix, requireInstalled } from './support/paths';
import { readZip, type ZipEntry } from './support/zip';

const MAX_BYTES = 5 * 1024 * 1024;

function shipped(): Map<string, ZipEntry> {
  const vsix = packagedVsix();
  requireInstalled(vsix, '`npm run package`');
  const entries = readZip(fs.readFileSync(vsix)).filter((e) => e.name.startsWith('extension/'));
  return new Map(entries.map((e) => [e.name.slice('extension/'.length), e]));
}

it('ships the bundles, the wasm grammars, README, CHANGELOG, LICENSE and the icon', () => {
  const files = [...shipped().keys()];
  for (const expected of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'images/icon.png', 'dist/extension.js', 'dist/server.js', 'dist/aws-sdk.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-terraform.wasm']) {
    assert.ok(files.includes(expected), `${expected} missing from the .vsix: ${files.join(', ')}`);
  }
});

it('ships every file the manifest names (main, icon, snippets, grammars, schemas, walkthrough pages and example)', () => {
  const files = new Set(shipped().keys());
  const manifest = JSON.parse(shipped().get('package.json')!.content().toString('utf8')) as {
    main: string;
    icon?: string;
    contributes?: {
      snippets?: { path: string }[];
      grammars?: { path: string }[];
      languages?: { configuration?: string }[];
      jsonValidation?: { url: string }[];
      walkthroughs?: { steps: { media: { markdown?: string } }[] }[];
    };
  };
  const named = [
    manifest.main.endsWith('.js') ? manifest.main : `${manifest.main}.js`,
    ...(manifest.icon ? [manifest.icon] : []),
    ...(manifest.contributes?.snippets ?? []).map((s) => s.path),
    ...(manifest.contributes?.grammars ?? []).map((g) => g.path),
    ...(manifest.contributes?.languages ?? []).flatMap((l) => (l.configuration ? [l.configuration] : [])),
    ...(manifest.contributes?.jsonValidation ?? []).map((v) => v.url),
    ...(manifest.contributes?.walkthroughs ?? []).flatMap((w) => w.steps.flatMap((s) => (s.media.markdown ? [s.media.markdown] : []))),
    // What the "Open the example" command copies out of the extension.
    'walkthrough/example/iam/s3-reader.tf',
    'walkthrough/example/k8s/s3-reader.yaml',
  ].map((p) => p.replace(/^\.\//, ''));
  assert.ok(named.length > 3, 'the manifest names its snippets');
  assert.deepEqual(named.filter((p) => !files.has(p)), [], 'named in package.json but missing from the .vsix');
});

it('ships no node_modules, sources, tests, sourcemaps or development files', () => {
  const unwanted = [...shipped().keys()].filter(
    (f) =>
      /(^|\/)node_modules\//.test(f) ||
      /\.(ts|map|mjs|sh)$/.test(f) ||
      /^(server|client|test|e2e|scripts|bench|examples|docs|out|\.e2e|\.ci)\//.test(f) ||
      /^(tsconfig|eslint\.config|package-lock)/.test(f),
  );
  assert.deepEqual(unwanted, []);
});

it('bundles are minified, and the package is under 5 MB', () => {
  const size = fs.statSync(packagedVsix()).size;
  assert.ok(size < MAX_BYTES, `${size} bytes`);
  for (const bundle of ['dist/extension.js', 'dist/server.js']) {
    const text = shipped().get(bundle)!.content().toString('utf8');
    assert.doesNotMatch(text, /sourceMappingURL/, `${bundle} points at a sourcemap`);
    // esbuild's minified output is few hundred very long lines; the development build has tens of thousands.
    const lines = text.split('\n').length;
    assert.ok(lines < 1000, `${bundle} has ${lines} lines: not minified`);
    assert.ok(text.length > 10_000, `${bundle} is suspiciously small (${text.length} bytes)`);
  }
});
