// Lint rules, including the architecture's import boundaries:
// - only server/src/lsp and server/src/cli speak the protocol or the terminal;
// - only client/ imports `vscode`, and it imports from the server nothing but
//   the shared settings type (no analysis in the client);
// - the engine (parse, facts, terraform, index, live, rules, ide) does no IO: live facts are an
//   input; server/src/node (aws.ts, kubeconfig.ts) fetches them for lsp/ and cli/.
import tseslint from 'typescript-eslint';

const PROTOCOL = ['vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-protocol', 'vscode-languageserver-textdocument', 'vscode-jsonrpc', 'vscode-jsonrpc/*'];
const IO = ['@aws-sdk/*', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'os', 'node:os'];

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
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/lsp/**', 'server/src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [restrict(PROTOCOL, 'Only server/src/lsp and server/src/cli know the protocol.'), restrict(['vscode'], 'Only client/ imports vscode.')] }],
    },
  },
  {
    files: ['server/src/{common,parse,facts,terraform,index,live,rules,ide}/**/*.ts', 'server/src/analysis.ts', 'server/src/config.ts'],
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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // Gitignore semantics: a file is let through only if its directory is, hence the
            // negated `common/` (its other files still match the first pattern).
            restrict(['**/server/src/**', '!**/server/src/common/', '!**/server/src/common/settings'], 'The client does no analysis: import only server/src/common/settings.'),
          ],
        },
      ],
    },
  },
);
