// The architecture's layer order, as an ESLint rule (`irsa/layers`). Data flows
// one way: a file may import from its own layer and from the layers listed
// before it, never from a later one, and never from a sibling at the same
// rank (lsp/ and cli/ do not import each other). docs/architecture.md says
// what each layer is for; this list is what holds it.
import * as path from 'node:path';

const ROOT = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/** Lowest first. Each entry: a name, and the paths (folders or files, relative to the root) it holds. */
export const LAYERS = [
  { name: 'shared', paths: ['shared'] },
  { name: 'common', paths: ['server/src/common'] },
  { name: 'parse', paths: ['server/src/parse'] },
  { name: 'facts', paths: ['server/src/facts'] },
  { name: 'terraform', paths: ['server/src/terraform'] },
  { name: 'formats', paths: ['server/src/formats'] },
  { name: 'index', paths: ['server/src/index'] },
  { name: 'live', paths: ['server/src/live'] },
  { name: 'edit', paths: ['server/src/edit'] },
  { name: 'rules', paths: ['server/src/rules'] },
  { name: 'ide', paths: ['server/src/ide'] },
  { name: 'inventory', paths: ['server/src/inventory'] },
  { name: 'analysis', paths: ['server/src/analysis.ts', 'server/src/config.ts'] },
  { name: 'node', paths: ['server/src/node'] },
  { name: 'lsp', paths: ['server/src/lsp'], rank: 'top' },
  { name: 'cli', paths: ['server/src/cli'], rank: 'top' },
];

/** The client sits apart: it imports shared/ and nothing else of ours. */
const CLIENT = 'client/src';

function within(file, p) {
  const rel = path.relative(path.join(ROOT, p), file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The layer a file belongs to, with its index in `LAYERS`; undefined for files outside the layers (tests, scripts, the client). */
export function layerOf(file) {
  const abs = path.resolve(ROOT, file);
  const withTs = abs.endsWith('.ts') ? abs : `${abs}.ts`;
  for (let i = 0; i < LAYERS.length; i++) {
    if (LAYERS[i].paths.some((p) => within(abs, p) || within(withTs, p))) return { ...LAYERS[i], index: i };
  }
  return undefined;
}

/** Why `from` may not import `to` (both paths from the root or absolute), or undefined when it may. */
export function layerViolation(from, to) {
  const importer = layerOf(from);
  const imported = layerOf(to);
  if (within(path.resolve(ROOT, from), CLIENT)) {
    return imported && imported.name !== 'shared' ? `client/ does no analysis: it imports shared/ only, not ${imported.name}/` : undefined;
  }
  if (!importer || !imported || importer.name === imported.name) return undefined;
  if (imported.index > importer.index && !(importer.rank === 'top' && imported.rank === 'top')) {
    return `${importer.name}/ is below ${imported.name}/ in the layer order (docs/architecture.md): data flows one way`;
  }
  if (importer.rank === 'top' && imported.rank === 'top') return `${importer.name}/ and ${imported.name}/ are siblings at the top: neither imports the other`;
  return undefined;
}

export const layersPlugin = {
  rules: {
    layers: {
      meta: { type: 'problem', docs: { description: 'Imports follow the layer order of docs/architecture.md' }, schema: [] },
      create(context) {
        const file = context.filename;
        const check = (node) => {
          const spec = node.source?.value;
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const why = layerViolation(file, path.resolve(path.dirname(file), spec));
          if (why) context.report({ node: node.source, message: `Import of '${spec}': ${why}.` });
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
      },
    },
  },
};
