/**
 * The quota is a setting (`irsa.trustPolicyMaxLength`, `.irsa-lint.json`
 * `trustPolicyMaxLength`): an account with a raised quota hears nothing
 * about a policy under it, and the settings refuse what is not a length.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyze } from '../../../server/src/analysis';
import { parseConfig, validateSettings } from '../../../server/src/config';
import { initParsers } from '../../../server/src/node/host';
import { RULE_IDS } from '../../../server/src/rules/registry';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { findingHeads, runCli, scratchWorkspace } from '../../cli/support';
import { hasRule, lacksRule, ofRule, withServer } from '../../lsp/harness';
import { DiagnosticSeverity, FileChangeType } from 'vscode-languageserver-protocol/node';
import { parseFixture, workspaceOf } from '../../support/fixture';

const HERE = path.join(__dirname, '..', '..', '..', '..', 'test', 'rules', 'trust-policy-size');
/** The 2,287-character external-dns trust policy of five clusters. */
const FIVE_CLUSTERS = parseFixture(fs.readFileSync(path.join(HERE, 'invalid-json.fixture'), 'utf8'));

before(async () => {
  await initParsers();
});

const sizeFindings = (trustPolicyMaxLength?: number) =>
  analyze(workspaceOf(FIVE_CLUSTERS), trustPolicyMaxLength === undefined ? {} : { trustPolicyMaxLength }).findings.filter((f) => f.ruleId === 'trust-policy-size');

describe('trust-policy-size limit', () => {
  it('is 2,048 characters unless set', () => {
    assert.deepEqual(sizeFindings().map((f) => f.severity), ['error']);
    assert.equal(DEFAULT_SETTINGS.trustPolicyMaxLength, 2048);
  });

  it('follows a raised quota: silent under 90 % of it, a note between 90 % and the limit', () => {
    assert.deepEqual(sizeFindings(4096), []);
    const near = sizeFindings(2500);
    assert.deepEqual(near.map((f) => f.severity), ['note']);
    assert.match(near[0]!.message, /2,287 characters without white space, 91 % of the role trust policy limit of 2,500\./);
    assert.match(sizeFindings(2000)[0]!.message, /ACLSizePerRole: 2000/);
  });

  it('.irsa-lint.json takes a whole number of characters and refuses anything else', () => {
    assert.deepEqual(parseConfig('{ "trustPolicyMaxLength": 4096 }', RULE_IDS), { config: { rules: {}, ignore: [], trustPolicyMaxLength: 4096 }, errors: [] });
    for (const bad of ['"4k"', '0', '2048.5', 'null']) {
      const { config, errors } = parseConfig(`{ "trustPolicyMaxLength": ${bad} }`, RULE_IDS);
      assert.equal(config.trustPolicyMaxLength, undefined, bad);
      assert.equal(errors.length, 1, bad);
      assert.match(errors[0]!, /trustPolicyMaxLength/);
    }
  });

  it('the editor setting falls back to the default on a bad value, and says so', () => {
    assert.equal(validateSettings({ trustPolicyMaxLength: 4096 }, RULE_IDS).settings.trustPolicyMaxLength, 4096);
    const bad = validateSettings({ trustPolicyMaxLength: 'large' }, RULE_IDS);
    assert.equal(bad.settings.trustPolicyMaxLength, 2048);
    assert.match(bad.errors[0] ?? '', /irsa\.trustPolicyMaxLength must be a whole number/);
  });

  it('the CLI reads it from the repository\'s .irsa-lint.json', () => {
    const policy = [...FIVE_CLUSTERS.files.values()][0]!;
    const plain = scratchWorkspace(undefined, { 'iam/external-dns-trust.json': policy });
    assert.deepEqual(findingHeads(runCli([plain]).stdout), ['iam/external-dns-trust.json:1:1 error trust-policy-size']);
    const raised = scratchWorkspace(undefined, { 'iam/external-dns-trust.json': policy, '.irsa-lint.json': '{ "trustPolicyMaxLength": 4096 }' });
    const run = runCli([raised]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), []);
  });

  it('the language server takes irsa.trustPolicyMaxLength, and a .irsa-lint.json that sets it wins', async () => {
    const policy = [...FIVE_CLUSTERS.files.values()][0]!;
    const FILE = 'iam/external-dns-trust.json';
    const prepare = (root: string): void => {
      fs.mkdirSync(path.join(root, 'iam'), { recursive: true });
      fs.writeFileSync(path.join(root, FILE), policy);
    };
    await withServer({ prepare }, async (server) => {
      const [error] = ofRule(await server.waitForDiagnostics(FILE, hasRule('trust-policy-size')), 'trust-policy-size');
      assert.equal(error!.severity, DiagnosticSeverity.Error);
      await server.changeSettings({ trustPolicyMaxLength: 4096 });
      await server.waitForDiagnostics(FILE, lacksRule('trust-policy-size'));
      server.writeFile('.irsa-lint.json', JSON.stringify({ trustPolicyMaxLength: 2200 }));
      await server.notifyWatchedFiles([['.irsa-lint.json', FileChangeType.Created]]);
      await server.waitForDiagnostics(FILE, hasRule('trust-policy-size'));
    });
  });
});
