// Lint rules, including the architecture's import boundaries:
// - the layer order (scripts/eslint-layers.mjs, explained in docs/architecture.md): a file
//   imports from its own layer and the layers below it only;
// - only server/src/lsp and server/src/cli speak the protocol or the terminal;
// - only client/ imports `vscode`, and it imports nothing of ours but shared/ (no analysis in the
//   client);
// - shared/ (what client and server agree on: settings, custom messages, file formats) imports no
//   code of the server or the client, and does no IO: both bundles carry it;
// - the engine (everything below server/src/node) does no IO: files are handed to it as text and
//   live facts are an input; server/src/node (host.ts, aws.ts, kubeconfig.ts) reads and fetches
//   for lsp/ and cli/.
import tseslint from 'typescript-eslint';
import { layersPlugin } from './scripts/eslint-layers.mjs';

const PROTOCOL = ['vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-protocol', 'vscode-languageserver-textdocument', 'vscode-jsonrpc', 'vscode-jsonrpc/*'];
const IO = ['@aws-sdk/*', '@kubernetes/*', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'os', 'node:os', 'worker_threads', 'node:worker_threads'];

const restrict = (patterns, message) => ({ group: patterns, message });

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', '**/*.d.ts', 'test/fixtures/', 'examples/', 'test/e2e/artifacts/', '.e2e/', '.vscode-test/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['server/src/**/*.ts', 'shared/**/*.ts', 'client/**/*.ts'],
    plugins: { irsa: layersPlugin },
    rules: { 'irsa/layers': 'error' },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/lsp/**', 'server/src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [restrict(PROTOCOL, 'Only server/src/lsp and server/src/cli know the protocol.'), restrict(['vscode'], 'Only client/ imports vscode.')] }],
    },
  },
  {
    files: ['server/src/{common,parse,facts,terraform,formats,index,live,edit,rules,ide}/**/*.ts', 'server/src/analysis.ts', 'server/src/config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            restrict(PROTOCOL, 'Only server/src/lsp and server/src/cli know the protocol.'),
            restrict(['vscode'], 'Only client/ imports vscode.'),
            restrict(IO, 'The engine does no IO: the index is handed text (see server/src/node for the host side).'),
          ],
        },
      ],
    },
  },
  {
    files: ['server/src/lsp/**/*.ts', 'server/src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [restrict(['vscode'], 'Only client/ imports vscode.')] }],
    },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [restrict(['**/server/**'], 'The client does no analysis: it imports only shared/ (and vscode, vscode-languageclient).')] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            restrict(['**/server/**', '**/client/**'], 'shared/ is what client and server agree on: it imports neither.'),
            restrict(['vscode', 'vscode-languageclient', 'vscode-languageclient/*', ...PROTOCOL], 'shared/ declares messages without a protocol library: client and server link different vscode-jsonrpc versions (see shared/protocol.ts).'),
            restrict(IO, 'shared/ does no IO: both bundles carry it.'),
          ],
        },
      ],
    },
  },
);
