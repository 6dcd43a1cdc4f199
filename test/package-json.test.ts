/**
 * The extension manifest lists what the code defines: a rule added to the
 * registry must appear in the `irsa.rules` setting schema, and the defaults
 * the schema shows must be the ones the server applies; the activation
 * events are the format registry's, and wait for files that look like IRSA
 * configuration.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ACTIVATION_EVENTS } from '../shared/formats';
import { ACTIVE_CONTEXT, COMMANDS, INVENTORY_PROBLEMS_ONLY_CONTEXT, INVENTORY_VIEW, PALETTE_COMMANDS, VIEW_COMMANDS } from '../shared/protocol';
import { DEFAULT_SETTINGS, RULE_SEVERITY_SETTINGS, TRACE_SETTINGS } from '../shared/settings';
import { DEFAULT_LIVE_CACHE_MINUTES, DEFAULT_LIVE_TIMEOUT_SECONDS } from '../server/src/node/aws';
import { DEFAULT_MAX_FILE_SIZE_KB } from '../server/src/node/host';
import { RULE_IDS, RULES } from '../server/src/rules/registry';
import { globRegExp } from './support/glob';

interface PropertySchema {
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly default?: unknown;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, PropertySchema>>;
}

interface Manifest {
  readonly activationEvents: readonly string[];
  readonly contributes: {
    readonly configuration: { readonly title: string; readonly properties: Readonly<Record<string, PropertySchema>> };
    readonly commands: readonly { readonly command: string; readonly title: string; readonly icon?: string }[];
    readonly views: Readonly<Record<string, readonly { readonly id: string; readonly name: string; readonly when?: string }[]>>;
    readonly menus: Readonly<Record<string, readonly { readonly command: string; readonly when?: string; readonly group?: string }[]>>;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe('package.json', () => {
  it('contributes irsa.rules with exactly the registered rules, their severities and titles', () => {
    const rules = properties['irsa.rules']?.properties ?? {};
    assert.deepEqual(Object.keys(rules).sort(), [...RULE_IDS].sort());
    for (const rule of RULES) {
      const schema = rules[rule.meta.id]!;
      assert.deepEqual(schema.enum, RULE_SEVERITY_SETTINGS, rule.meta.id);
      assert.equal(schema.description, `${rule.meta.title} (default: ${rule.meta.defaultSeverity}).`, rule.meta.id);
    }
  });

  it('shows the defaults the server applies', () => {
    assert.equal(properties['irsa.maxFileSizeKB']?.default, DEFAULT_SETTINGS.maxFileSizeKB);
    assert.equal(DEFAULT_SETTINGS.maxFileSizeKB, DEFAULT_MAX_FILE_SIZE_KB, 'the CLI and the server skip the same files');
    assert.deepEqual(properties['irsa.trace.server']?.enum, TRACE_SETTINGS);
    assert.equal(properties['irsa.trace.server']?.default, DEFAULT_SETTINGS.trace.server);
    assert.equal(properties['irsa.live.timeoutSeconds']?.default, DEFAULT_SETTINGS.live.timeoutSeconds);
    assert.equal(properties['irsa.live.cacheMinutes']?.default, DEFAULT_SETTINGS.live.cacheMinutes);
    assert.equal(DEFAULT_SETTINGS.live.timeoutSeconds, DEFAULT_LIVE_TIMEOUT_SECONDS, 'the CLI and the server wait as long');
    assert.equal(DEFAULT_SETTINGS.live.cacheMinutes, DEFAULT_LIVE_CACHE_MINUTES);
  });

  it('contributes the commands the client offers in the palette and the view\'s buttons, hidden from the palette', () => {
    const commands = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(commands, [...PALETTE_COMMANDS, ...VIEW_COMMANDS].sort());
    const hidden = (manifest.contributes.menus['commandPalette'] ?? []).filter((m) => m.when === 'false').map((m) => m.command);
    assert.deepEqual(hidden.sort(), [...VIEW_COMMANDS].sort());
  });

  it('contributes the IRSA view with its buttons, the filter toggle switching on the context key the client sets', () => {
    // Shown only where the extension runs (it sets the context key on activation), not in every workspace's Explorer.
    assert.deepEqual(manifest.contributes.views['explorer']?.map((v) => [v.id, v.name, v.when]), [[INVENTORY_VIEW, 'IRSA', ACTIVE_CONTEXT]]);
    const title = manifest.contributes.menus['view/title'] ?? [];
    const when = (command: string): string | undefined => title.find((m) => m.command === command)?.when;
    assert.equal(when(COMMANDS.inventoryProblemsOnly), `view == ${INVENTORY_VIEW} && !${INVENTORY_PROBLEMS_ONLY_CONTEXT}`);
    assert.equal(when(COMMANDS.inventoryShowAll), `view == ${INVENTORY_VIEW} && ${INVENTORY_PROBLEMS_ONLY_CONTEXT}`);
    assert.equal(when(COMMANDS.refreshInventory), `view == ${INVENTORY_VIEW}`);
    assert.equal(when(COMMANDS.exportInventory), `view == ${INVENTORY_VIEW}`);
    // A button without an icon shows its title as text in the view's title bar.
    for (const m of title) assert.match(manifest.contributes.commands.find((c) => c.command === m.command)?.icon ?? '', /^\$\([a-z-]+\)$/, m.command);
  });

  describe('activation', () => {
    const patterns = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => globRegExp(e.slice('workspaceContains:'.length)));
    const activatesOn = (file: string): boolean => patterns.some((re) => re.test(file));

    it('are the format registry\'s (shared/formats.ts)', () => {
      const missing = ACTIVATION_EVENTS.filter((e) => !manifest.activationEvents.includes(e));
      const extra = manifest.activationEvents.filter((e) => !ACTIVATION_EVENTS.includes(e));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, 'package.json activationEvents must list exactly the registry\'s');
    });

    it('starts for workspaces that hold IRSA configuration, by their usual file names', () => {
      for (const file of [
        'infra/main.tf',
        'envs/prod.tfvars',
        '.irsa-lint.json',
        'namespace-pinning/iam/s3-reader-trust.json',
        'iam/assume-role-policy.json',
        'overlays/prod/kustomization.yaml',
        'charts/app/Chart.yaml',
        'k8s/serviceaccount.yaml',
        'manifests/app-service-account.yml',
        'clusters/eksctl-prod.yaml',
      ]) {
        assert.ok(activatesOn(file), file);
      }
    });

    it('does not start in every repository with a JSON or YAML file (those activate it when opened)', () => {
      for (const file of ['package.json', 'tsconfig.json', '.vscode/settings.json', 'docker-compose.yml', '.github/workflows/ci.yaml', 'config/app.yaml']) {
        assert.ok(!activatesOn(file), file);
      }
      assert.ok(manifest.activationEvents.includes('onLanguage:json') && manifest.activationEvents.includes('onLanguage:yaml'));
    });
  });
});
