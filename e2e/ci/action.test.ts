/**
 * The GitHub Action (action.yml), its steps run for real by the stand-in
 * runner (runner.ts) on a copy of this repository as the action's checkout:
 * the install step runs `npm ci` there offline (from the cache the suite's
 * own `npm ci` filled) and builds dist/; the lint step runs the built CLI on
 * a workspace whose trust policy does not admit its ServiceAccount, writes
 * SARIF, annotates, sets outputs and fails or not by `fail-on`.
 *
 * The install runs once, in the first case; the later cases run the other
 * steps against the same checkout (installing again would only repeat it).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { assertValidSarif } from '../../test/support/sarif-schema';
import { readAction, runAction, type ActionDefinition, type RunOptions } from './runner';
import { REPO, run, snapshotRepository, writeIrsaWorkspace } from './support';

const INSTALL_STEP = 'Install irsa-lint';

interface SarifLog {
  runs: { originalUriBaseIds: Record<string, { uri: string }>; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[] }[];
}

let scratch: string;
let actionPath: string;
let action: ActionDefinition;
let installed = false;

/** A fresh workspace (the user's repository) and scratch directory for one run. */
function workspace(name: string, setUp: (dir: string) => void): { workspace: string; scratch: string } {
  const dir = path.join(scratch, name, 'repo');
  fs.mkdirSync(dir, { recursive: true });
  setUp(dir);
  const steps = path.join(scratch, name, 'runner');
  fs.mkdirSync(steps);
  return { workspace: dir, scratch: steps };
}

function runIt(where: { workspace: string; scratch: string }, inputs: Record<string, string> = {}): ReturnType<typeof runAction> {
  const options: RunOptions = { actionPath, ...where, inputs, ...(installed ? { skip: [INSTALL_STEP] } : {}) };
  const result = runAction(action, options);
  if (!installed) {
    const install = result.steps.find((s) => s.name === INSTALL_STEP);
    assert.equal(install?.status, 0, `npm ci in the action's checkout failed:\n${install?.stdout}${install?.stderr}`);
    installed = true;
  }
  return result;
}

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-lint-action-'));
  actionPath = path.join(scratch, 'action');
  snapshotRepository(actionPath, { commit: false });
  action = readAction(path.join(actionPath, 'action.yml'));
});

after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('GitHub Action (action.yml)', { timeout: 900_000 }, () => {
  it('documents every input and output, and is composite with bash steps only', () => {
    assert.equal(action.runs.using, 'composite');
    for (const [name, spec] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)]) assert.ok(spec.description.length > 10, `${name} has a description`);
    assert.deepEqual(Object.keys(action.inputs).sort(), ['args', 'baseline', 'config', 'fail-on', 'paths', 'sarif-file']);
    for (const step of action.runs.steps) assert.equal(step.shell, 'bash');
    // Inputs go through env, never into the script text, where they could inject shell code.
    for (const step of action.runs.steps) assert.doesNotMatch(step.run ?? '', /\$\{\{/, `step "${step.name}" splices an expression into its script`);
  });

  it('installs from its own checkout, writes upload-ready SARIF, annotates, and fails on an error', () => {
    const where = workspace('broken', (dir) => writeIrsaWorkspace(dir, { namespace: 'store' }));
    assert.ok(!fs.existsSync(path.join(actionPath, 'dist', 'cli.js')), 'the checkout comes without a build');
    const result = runIt(where);
    assert.ok(fs.existsSync(path.join(actionPath, 'dist', 'cli.js')), 'the install step built the CLI');
    assert.equal(result.status, 1, result.log);
    const sarifFile = path.join(where.workspace, 'irsa-lint.sarif');
    assert.equal(result.outputs['sarif-file'], sarifFile);
    assert.deepEqual([result.outputs.errors, result.outputs.warnings, result.outputs.notes], ['1', '2', '0']);
    assertValidSarif(fs.readFileSync(sarifFile, 'utf8'), 'the action\'s log');
    const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as SarifLog;
    const mismatch = log.runs[0]!.results.find((r) => r.ruleId === 'sa-role-trust-mismatch');
    assert.equal(mismatch?.level, 'error');
    assert.deepEqual(mismatch?.locations[0]!.physicalLocation.artifactLocation, { uri: 'apps/k8s/web.yaml', uriBaseId: '%SRCROOT%' });
    // The annotation: file relative to the repository, position, rule, the message as plain text.
    assert.match(result.log, /^::error file=apps\/k8s\/web\.yaml,line=7,endLine=7,col=33,endColumn=\d+,title=irsa-lint sa-role-trust-mismatch::ServiceAccount 'store\/web' uses role 'web' /m);
    // The SARIF link to the related location is plain text in an annotation.
    assert.match(result.log, /Pin the trust policy's sub to 'system:serviceaccount:store:web' \(web\.json:10\), or move/);
    assert.match(result.log, /^::warning file=infra\/iam\/web\.json,line=6,.*title=irsa-lint trust-missing-aud::/m);
    assert.match(result.log, /^::error title=irsa-lint::1 finding at or above fail-on: error$/m);
  });

  it('fail-on: none reports without failing; warning fails on warnings alone', () => {
    const broken = workspace('report-only', (dir) => writeIrsaWorkspace(dir, { namespace: 'store' }));
    const reportOnly = runIt(broken, { 'fail-on': 'none' });
    assert.equal(reportOnly.status, 0, reportOnly.log);
    assert.equal(reportOnly.outputs.errors, '1');
    assert.ok(fs.existsSync(reportOnly.outputs['sarif-file']!));

    const warningsOnly = workspace('warnings', (dir) => writeIrsaWorkspace(dir, { namespace: 'shop' }));
    const onError = runIt(warningsOnly);
    assert.equal(onError.status, 0, onError.log);
    assert.deepEqual([onError.outputs.errors, onError.outputs.warnings], ['0', '1']);
    const onWarning = runIt(warningsOnly, { 'fail-on': 'warning' });
    assert.equal(onWarning.status, 1, onWarning.log);
    assert.match(onWarning.log, /1 finding at or above fail-on: warning/);

    const clean = workspace('clean', (dir) => writeIrsaWorkspace(dir, { namespace: 'shop', aud: true }));
    const passed = runIt(clean, { 'fail-on': 'warning' });
    assert.equal(passed.status, 0, passed.log);
    assert.match(passed.log, /irsa-lint: no problems found\./);
  });

  it('passes paths (white space and new lines), config, baseline, sarif-file and args through', () => {
    const where = workspace('inputs', (dir) => {
      writeIrsaWorkspace(dir, { namespace: 'store' });
      fs.mkdirSync(path.join(dir, 'ci'));
      fs.writeFileSync(path.join(dir, 'ci', 'irsa.json'), '{ "rules": { "trust-missing-aud": "off" } }\n');
    });
    // The ServiceAccount alone: its role is in the other directory, so nothing links.
    const alone = runIt(where, { paths: 'apps' });
    assert.equal(alone.status, 0, alone.log);
    // Both directories, one per line, a SARIF path of our own and a config file: the cross-directory error, no aud warning.
    const both = runIt(where, { paths: 'infra\napps\n', 'sarif-file': 'out/irsa.sarif', config: 'ci/irsa.json' });
    assert.equal(both.status, 1, both.log);
    assert.equal(both.outputs['sarif-file'], path.join(where.workspace, 'out', 'irsa.sarif'));
    assert.deepEqual([both.outputs.errors, both.outputs.warnings], ['1', '1']);
    const log = JSON.parse(fs.readFileSync(path.join(where.workspace, 'out', 'irsa.sarif'), 'utf8')) as SarifLog;
    // irsa-lint names apps/ files relative to ROOT2; code scanning wants them relative to the repository.
    assert.deepEqual(log.runs[0]!.results.find((r) => r.ruleId === 'sa-role-trust-mismatch')?.locations[0]!.physicalLocation.artifactLocation, { uri: 'apps/k8s/web.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(log.runs[0]!.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(where.workspace).href}/` } });
    assertValidSarif(fs.readFileSync(path.join(where.workspace, 'out', 'irsa.sarif'), 'utf8'), 'the rebased log');
    assert.match(both.log, /^::error file=apps\/k8s\/web\.yaml,line=7,/m);
    // A baseline of today's findings: adopted, nothing fails.
    const written = run('node', [path.join(actionPath, 'dist', 'cli.js'), 'infra', 'apps', '--write-baseline', 'irsa-baseline.json'], where.workspace);
    assert.equal(written.status, 0, written.stderr);
    const adopted = runIt(where, { paths: 'infra apps', baseline: 'irsa-baseline.json' });
    assert.equal(adopted.status, 0, adopted.log);
    assert.deepEqual([adopted.outputs.errors, adopted.outputs.warnings], ['0', '0']);
    // args: a rule turned off from the workflow.
    const ruleOff = runIt(where, { paths: 'infra apps', args: '--no-live --rule sa-role-trust-mismatch=off' });
    assert.equal(ruleOff.status, 0, ruleOff.log);
    assert.equal(ruleOff.outputs.errors, '0');
  });

  it('stops with the CLI\'s message on a bad input, and refuses an unknown fail-on', () => {
    const where = workspace('bad', (dir) => writeIrsaWorkspace(dir, { namespace: 'store' }));
    const missing = runIt(where, { config: 'nowhere.json' });
    assert.equal(missing.status, 2, missing.log);
    assert.match(missing.log, /nowhere\.json/);
    assert.match(missing.log, /^::error title=irsa-lint::irsa-lint failed \(exit 2\)/m);
    const typo = runIt(where, { 'fail-on': 'warnings' });
    assert.equal(typo.status, 2, typo.log);
    assert.match(typo.log, /fail-on must be error, warning or none, not 'warnings'/);
  });
});

it('action.yml sits at the repository root, where `uses: owner/repo@ref` looks for it', () => {
  assert.ok(fs.existsSync(path.join(REPO, 'action.yml')));
});
