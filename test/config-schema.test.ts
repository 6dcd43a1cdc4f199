/**
 * `.irsa-lint.json` has a JSON schema (`schemas/irsa-lint.schema.json`, the
 * manifest's `jsonValidation`) for completion and validation in editors. Its
 * rules are the `irsa.rules` settings schema's, property for property, and
 * both are the registry's rules: a rule added to one and not the other
 * fails here. `IRSA_UPDATE_SCHEMA=1` rewrites the file from package.json.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import { CONFIG_FILE_NAME, parseConfig, validateSettings } from '../server/src/config';
import { RULE_IDS, RULES } from '../server/src/rules/registry';
import { RULE_SEVERITY_SETTINGS } from '../shared/settings';

const ROOT = path.join(__dirname, '..', '..');
const SCHEMA_FILE = path.join(ROOT, 'schemas', 'irsa-lint.schema.json');

interface RuleSchema {
  readonly enum: readonly string[];
  readonly description: string;
}
interface Manifest {
  readonly contributes: {
    readonly jsonValidation: readonly { readonly fileMatch: string; readonly url: string }[];
    readonly configuration: { readonly properties: { readonly 'irsa.rules': { readonly properties: Readonly<Record<string, RuleSchema>> } } };
  };
}
interface IgnoreSchema {
  readonly items: { readonly properties: { readonly rule: { readonly enum: readonly string[] } } };
}
interface ConfigSchema {
  readonly additionalProperties: boolean;
  readonly properties: {
    readonly $schema: object;
    readonly rules: { readonly additionalProperties: boolean; readonly properties: Readonly<Record<string, RuleSchema>> };
    readonly markdown: { readonly additionalProperties: boolean; readonly properties: { readonly enabled: { readonly type: string; readonly default: boolean } } };
    readonly ignore: IgnoreSchema;
  };
}

let compiled: ValidateFunction | undefined;
/** The schema file, compiled once by ajv (draft-07, as the file declares). */
function validator(): ValidateFunction {
  return (compiled ??= new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as object));
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const settingsRules = manifest.contributes.configuration.properties['irsa.rules'].properties;

function expectedSchema(current: ConfigSchema): ConfigSchema {
  const { ignore } = current.properties;
  const ruleIds = Object.keys(settingsRules).sort();
  return {
    ...current,
    properties: {
      ...current.properties,
      rules: { ...current.properties.rules, properties: settingsRules },
      ignore: { ...ignore, items: { ...ignore.items, properties: { ...ignore.items.properties, rule: { ...ignore.items.properties.rule, enum: ruleIds } } } },
    },
  };
}

describe(`${CONFIG_FILE_NAME} schema`, () => {
  it('is contributed for the file by name', () => {
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: CONFIG_FILE_NAME, url: './schemas/irsa-lint.schema.json' }]);
  });

  it('lists the rules of the irsa.rules setting, with the same severities and descriptions, and only those', () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as ConfigSchema;
    if (process.env.IRSA_UPDATE_SCHEMA === '1') fs.writeFileSync(SCHEMA_FILE, `${JSON.stringify(expectedSchema(schema), null, 2)}\n`);
    assert.deepEqual(schema, expectedSchema(schema), 'run with IRSA_UPDATE_SCHEMA=1 to regenerate it from package.json');
    assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), [...RULE_IDS].sort());
    for (const rule of RULES) assert.deepEqual(schema.properties.rules.properties[rule.meta.id]?.enum, RULE_SEVERITY_SETTINGS);
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.rules.additionalProperties, false);
  });

  it('accepts what the tool accepts: a file valid under the schema parses without errors', () => {
    const config = {
      $schema: './schemas/irsa-lint.schema.json',
      rules: Object.fromEntries(RULES.map((r, i) => [r.meta.id, RULE_SEVERITY_SETTINGS[i % 4]])),
      ignore: [{ file: 'iam/trust.json', rule: 'trust-missing-aud', at: '/Statement/0' }, { file: './policies/a.json', rule: 'trust-sub-wildcard' }],
    };
    assert.ok(validator()(config), JSON.stringify(validator().errors));
    assert.deepEqual(parseConfig(JSON.stringify(config), RULE_IDS).errors, []);
  });

  it('rejects what the tool rejects in ignore entries', () => {
    for (const entry of [{ file: '../up.json', rule: 'trust-missing-aud' }, { file: '/abs.json', rule: 'trust-missing-aud' }, { file: 'a.json', rule: 'no-such-rule' }, { file: 'a.json', rule: 'trust-missing-aud', at: 'Statement' }, { file: 'a.json', rule: 'trust-missing-aud', line: 1 }, { rule: 'trust-missing-aud' }]) {
      const config = { ignore: [entry] };
      assert.equal(validator()(config), false, `schema accepts ${JSON.stringify(entry)}`);
      assert.equal(parseConfig(JSON.stringify(config), RULE_IDS).errors.length, 1, `tool accepts ${JSON.stringify(entry)}`);
    }
  });

  it('has markdown.enabled, as the tool reads it and as the editor setting defaults it', () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as ConfigSchema;
    const setting = (manifest.contributes.configuration.properties as unknown as Record<string, { default: unknown }>)['irsa.markdown.enabled'];
    assert.deepEqual([schema.properties.markdown.properties.enabled.type, schema.properties.markdown.properties.enabled.default, setting?.default], ['boolean', true, true]);
    assert.equal(schema.properties.markdown.additionalProperties, false);
    assert.deepEqual(parseConfig('{ "markdown": { "enabled": false } }', RULE_IDS), { config: { rules: {}, ignore: [], markdown: false }, errors: [] });
    assert.ok(validator()({ markdown: { enabled: false } }), JSON.stringify(validator().errors));
    assert.equal(validator()({ markdown: { enable: false } }), false, 'the schema rejects what the tool rejects');
    assert.deepEqual(parseConfig('{ "markdown": { "enable": false } }', RULE_IDS).errors, [`${CONFIG_FILE_NAME}: "markdown" must be {"enabled": true} or {"enabled": false}.`]);
    assert.equal(validateSettings({ markdown: { enabled: false } }, RULE_IDS).settings.markdown.enabled, false);
    assert.equal(validateSettings({}, RULE_IDS).settings.markdown.enabled, true);
    assert.deepEqual(validateSettings({ markdown: { enabled: 'no' } }, RULE_IDS).errors, ['irsa.markdown.enabled must be true or false, got "no".']);
  });
});
