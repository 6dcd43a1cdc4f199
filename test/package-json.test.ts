/**
 * The extension manifest lists what the code defines: a rule added to the
 * registry must appear in the `irsa.rules` setting schema, and the defaults
 * the schema shows must be the ones the server applies.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, RULE_SEVERITY_SETTINGS, TRACE_SETTINGS } from '../server/src/common/settings';
import { DEFAULT_LIVE_CACHE_MINUTES, DEFAULT_LIVE_TIMEOUT_SECONDS } from '../server/src/node/aws';
import { DEFAULT_MAX_FILE_SIZE_KB } from '../server/src/node/host';
import { RULE_IDS, RULES } from '../server/src/rules/registry';

interface PropertySchema {
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly default?: unknown;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, PropertySchema>>;
}

interface Manifest {
  readonly contributes: {
    readonly configuration: { readonly title: string; readonly properties: Readonly<Record<string, PropertySchema>> };
    readonly commands: readonly { readonly command: string; readonly title: string }[];
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

  it('contributes the commands the client registers', () => {
    const commands = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(commands, ['irsa.refreshLiveClusters', 'irsa.restartServer', 'irsa.showOutput']);
  });
});
