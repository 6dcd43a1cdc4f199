/**
 * Tokenises text with the extension's TextMate grammars as VS Code does
 * (vscode-textmate over the Oniguruma wasm), for tests that assert scopes.
 * JSON, YAML and HashiCorp's Terraform are stand-in host grammars (`hosts/`):
 * the real ones belong to VS Code and to HashiCorp's extension, and the tests
 * only need their string scopes to exercise the injection's selectors.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type StateStack } from 'vscode-textmate';

const ROOT = path.join(__dirname, '..', '..', '..');

interface GrammarContribution {
  readonly language?: string;
  readonly scopeName: string;
  readonly path: string;
  readonly injectTo?: readonly string[];
}

/** The grammars package.json contributes: the tests load what the extension ships, by the paths it names. */
export const CONTRIBUTED_GRAMMARS: readonly GrammarContribution[] = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { grammars: GrammarContribution[] } }
).contributes.grammars;

const HOSTS: Readonly<Record<string, string>> = {
  'source.json': path.join(ROOT, 'test', 'syntaxes', 'hosts', 'json.tmLanguage.json'),
  'source.yaml': path.join(ROOT, 'test', 'syntaxes', 'hosts', 'yaml.tmLanguage.json'),
  'source.hcl.terraform': path.join(ROOT, 'test', 'syntaxes', 'hosts', 'hcl-terraform.tmLanguage.json'),
};

let registry: Registry | undefined;

function theRegistry(): Registry {
  if (registry) return registry;
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  const onigLib = oniguruma.loadWASM(wasm).then(() => ({
    createOnigScanner: (patterns: string[]) => oniguruma.createOnigScanner(patterns),
    createOnigString: (s: string) => oniguruma.createOnigString(s),
  }));
  registry = new Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      const contributed = CONTRIBUTED_GRAMMARS.find((g) => g.scopeName === scopeName);
      const file = contributed ? path.join(ROOT, contributed.path) : HOSTS[scopeName];
      return file ? parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => CONTRIBUTED_GRAMMARS.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
  });
  return registry;
}

export interface Token {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

export async function tokenize(scopeName: string, text: string): Promise<Token[]> {
  const grammar: IGrammar | null = await theRegistry().loadGrammar(scopeName);
  assert.ok(grammar, `no grammar for ${scopeName}`);
  const tokens: Token[] = [];
  let state: StateStack = INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const t of result.tokens) tokens.push({ line, start: t.startIndex, end: t.endIndex, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = result.ruleStack;
  });
  return tokens;
}

/**
 * The tokens that cover the `occurrence`-th appearance of `needle` in the
 * text (on one line). A needle may mark its target inside a context:
 * `'«var».cost_center'` is the `var` of `var.cost_center`. Fails when the
 * needle is not there.
 */
export function tokensOf(tokens: readonly Token[], text: string, marked: string, occurrence = 1): Token[] {
  const open = marked.indexOf('«');
  const close = marked.indexOf('»');
  const needle = marked.replace('«', '').replace('»', '');
  const target = open < 0 ? { from: 0, length: needle.length } : { from: open, length: close - open - 1 };
  const lines = text.split('\n');
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    let from = 0;
    for (;;) {
      const at = lines[line]!.indexOf(needle, from);
      if (at < 0) break;
      const start = at + target.from;
      if (++seen === occurrence) return tokens.filter((t) => t.line === line && t.end > start && t.start < start + target.length);
      from = at + 1;
    }
  }
  assert.fail(`"${marked}" (occurrence ${occurrence}) is not in the sample`);
}

/** Every token of the needle carries `scope` (a prefix of one of its scopes, as themes match). */
export function assertScope(tokens: readonly Token[], text: string, needle: string, scope: string, occurrence = 1): void {
  for (const token of tokensOf(tokens, text, needle, occurrence)) {
    assert.ok(
      token.scopes.some((s) => s === scope || s.startsWith(`${scope}.`)),
      `"${token.text}" in "${needle}" has scopes ${token.scopes.join(' ')}, not ${scope}`,
    );
  }
}

/** No token of the needle carries `scope`. */
export function assertNoScope(tokens: readonly Token[], text: string, needle: string, scope: string, occurrence = 1): void {
  for (const token of tokensOf(tokens, text, needle, occurrence)) {
    assert.ok(!token.scopes.some((s) => s === scope || s.startsWith(`${scope}.`)), `"${token.text}" in "${needle}" has ${scope}: ${token.scopes.join(' ')}`);
  }
}
