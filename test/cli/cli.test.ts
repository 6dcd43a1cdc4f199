/**
 * End-to-end tests of the bundled `irsa-lint` CLI on small workspaces under
 * test/fixtures/workspaces/cli-*: output lines, exit codes, configuration,
 * and the JSON and SARIF documents.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { RULE_IDS, RULES } from '../../server/src/rules/registry';
import { docsUrl } from '../../server/src/rules/types';
import type { JsonReport } from '../../server/src/cli/format/json';
import type { SarifLog, SarifLocation } from '../../server/src/cli/format/sarif-types';
import { findingHeads, runCli, scratchWorkspace, WORKSPACES } from './support';

const MISMATCH = ['k8s/s3-reader-sa.yaml:7:33 error sa-role-trust-mismatch', 'roles/s3-reader.json:12:87 warning trust-sub-no-service-account'];
const TERRAFORM = ['terraform/main.tf:8:22 warning trust-missing-aud'];
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(WORKSPACES, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

/** A .json file that is not text: NUL bytes and bytes that are not UTF-8. */
const BINARY_JSON = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x00, 0xff, 0xfe, 0xc3, 0x28, 0x7d]);

describe('irsa-lint text output', () => {
  it('prints one line per finding, path relative to the scanned directory, and exits 1 on an error', () => {
    const run = runCli(['cli-mismatch']);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), MISMATCH);
    assert.match(run.stdout, /^k8s\/s3-reader-sa\.yaml:7:33 error sa-role-trust-mismatch ServiceAccount 'demo\/s3-reader' uses role 's3-reader'/);
    // Not a terminal: the summary goes to stderr, stdout stays one finding per line.
    assert.equal(run.stderr, '✖ 2 problems (1 error, 1 warning, 0 notes)\n');
  });

  it('exits 0 when the only findings are warnings', () => {
    const run = runCli(['cli-terraform']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), TERRAFORM);
  });

  it('exits 0 with empty stdout on a clean workspace', () => {
    const run = runCli(['cli-clean']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'No problems found in 2 files.\n');
  });

  it('scans the current directory by default', () => {
    const run = runCli([], { cwd: path.join(WORKSPACES, 'cli-mismatch') });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), MISMATCH);
  });

  it('prints no colour codes on a pipe, and colours the severity when FORCE_COLOR asks', () => {
    assert.doesNotMatch(runCli(['cli-mismatch']).stdout, /\x1b\[/);
    const forced = runCli(['cli-mismatch'], { env: { FORCE_COLOR: '1' } });
    assert.match(forced.stdout, /^k8s\/s3-reader-sa\.yaml:7:33 \x1b\[31merror\x1b\[39m sa-role-trust-mismatch /);
    assert.doesNotMatch(runCli(['cli-mismatch', '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout, /\x1b\[/);
  });

  it('--quiet reports error-level findings only', () => {
    const run = runCli(['cli-mismatch', '--quiet']);
    assert.equal(run.status, 1);
    assert.deepEqual(findingHeads(run.stdout), [MISMATCH[0]]);
  });

  it('--exit-zero reports the same findings and exits 0', () => {
    const run = runCli(['cli-mismatch', '--exit-zero']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), MISMATCH);
  });

  it('--output writes the report to a file and keeps stdout empty', () => {
    const dir = scratchWorkspace(undefined);
    const file = path.join(dir, 'report.txt');
    const run = runCli([path.join(WORKSPACES, 'cli-mismatch'), '--output', file]);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.deepEqual(findingHeads(fs.readFileSync(file, 'utf8')), MISMATCH);
  });
});

describe('irsa-lint exit code 2', () => {
  const cases: { name: string; args: string[]; stderr: RegExp }[] = [
    { name: 'an unknown format', args: ['cli-clean', '--format', 'bogus'], stderr: /^irsa-lint: unknown format 'bogus'/ },
    { name: 'an unknown format given with =', args: ['cli-clean', '--format=xml'], stderr: /^irsa-lint: unknown format 'xml'/ },
    { name: 'an unknown option', args: ['cli-clean', '--fast'], stderr: /^irsa-lint: unknown option '--fast'/ },
    { name: 'a missing option value', args: ['cli-clean', '--format'], stderr: /^irsa-lint: option '--format' needs a value/ },
    { name: 'a directory that does not exist', args: ['no-such-dir'], stderr: /^irsa-lint: no such file or directory: no-such-dir\n$/ },
    { name: 'an unknown rule id in --rule', args: ['cli-clean', '--rule', 'no-such-rule=off'], stderr: /^irsa-lint: unknown rule id 'no-such-rule'/ },
    { name: 'a bad severity in --rule', args: ['cli-clean', '--rule', 'trust-missing-aud=loud'], stderr: /^irsa-lint: option '--rule' expects/ },
    { name: 'a --config file that does not exist', args: ['cli-clean', '--config', 'missing.json'], stderr: /^irsa-lint: cannot read config file missing\.json \(ENOENT\)/ },
    { name: 'a bad --max-file-size-kb', args: ['cli-clean', '--max-file-size-kb', '0'], stderr: /^irsa-lint: option '--max-file-size-kb' expects/ },
  ];
  it('on a file outside the directories given', () => {
    const run = runCli(['cli-clean', 'cli-mismatch/k8s/s3-reader-sa.yaml'], { cwd: WORKSPACES });
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'irsa-lint: cli-mismatch/k8s/s3-reader-sa.yaml is not inside any of the directories given (cli-clean)\n');
  });

  for (const c of cases) {
    it(`on ${c.name}`, () => {
      const run = runCli(c.args);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, c.stderr);
    });
  }

  it('on a broken .irsa-lint.json in the scanned directory', () => {
    const dir = scratchWorkspace('cli-clean', { '.irsa-lint.json': '{ "rules": { "trust-missing-aud": "of" ' });
    const run = runCli([dir]);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^irsa-lint: invalid config file .*\.irsa-lint\.json:\n/);
    assert.match(run.stderr, /Rule "trust-missing-aud": expected off, note, warning or error, got "of"\./);
  });

  it('on a config file naming a rule that does not exist', () => {
    const dir = scratchWorkspace('cli-clean', { '.irsa-lint.json': '{ "rules": { "trust-missing-audience": "off" } }' });
    const run = runCli([dir]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Unknown rule id "trust-missing-audience"/);
  });
});

describe('irsa-lint rule settings', () => {
  it('--rule <id>=off turns an error off, and the exit code with it', () => {
    const run = runCli(['cli-mismatch', '--rule', 'sa-role-trust-mismatch=off']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), [MISMATCH[1]]);
  });

  it('--rule=<id>=error raises a warning to an error', () => {
    const run = runCli(['cli-terraform', '--rule=trust-missing-aud=error']);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), ['terraform/main.tf:8:22 error trust-missing-aud']);
  });

  it('<dir>/.irsa-lint.json is read by default', () => {
    const dir = scratchWorkspace('cli-mismatch', { '.irsa-lint.json': '{\n  // JSONC: comments are fine\n  "rules": { "sa-role-trust-mismatch": "warning" }\n}\n' });
    const run = runCli([dir]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), ['k8s/s3-reader-sa.yaml:7:33 warning sa-role-trust-mismatch', MISMATCH[1]]);
  });

  it('--rule wins over the config file', () => {
    const dir = scratchWorkspace('cli-mismatch', { '.irsa-lint.json': '{ "rules": { "sa-role-trust-mismatch": "off" } }' });
    const run = runCli([dir, '--rule', 'sa-role-trust-mismatch=error']);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), MISMATCH);
  });

  it('reads Markdown runbooks by default; --no-markdown and .irsa-lint.json markdown.enabled turn them off', () => {
    const runbook = [
      '# Reader',
      '',
      '```sh',
      'kubectl annotate sa reader -n shop eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:policy/reader',
      '```',
      '',
    ].join('\n');
    const dir = scratchWorkspace('cli-clean', { 'docs/RUNBOOK.md': runbook });
    const on = runCli([dir]);
    assert.equal(on.status, 1, on.stderr);
    assert.deepEqual(findingHeads(on.stdout), ['docs/RUNBOOK.md:4:63 error sa-role-arn-malformed']);
    const flag = runCli([dir, '--no-markdown']);
    assert.equal(flag.status, 0, flag.stderr);
    assert.equal(flag.stdout, '');
    fs.writeFileSync(path.join(dir, '.irsa-lint.json'), '{ "markdown": { "enabled": false } }');
    const file = runCli([dir]);
    assert.equal(file.status, 0, file.stderr);
    assert.equal(file.stdout, '');
    fs.writeFileSync(path.join(dir, '.irsa-lint.json'), '{ "markdown": { "enabled": "no" } }');
    const broken = runCli([dir]);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /"markdown" must be \{"enabled": true\} or \{"enabled": false\}/);
  });

  it('--config reads another file instead of <dir>/.irsa-lint.json', () => {
    const configs = scratchWorkspace(undefined, { 'ci.json': '{ "rules": { "sa-role-trust-mismatch": "off", "trust-sub-no-service-account": "off" } }' });
    const run = runCli(['cli-mismatch', '--config', path.join(configs, 'ci.json')]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
  });
});

describe('irsa-lint skipped files', () => {
  it('reports a binary .json on stderr and analyses the rest', () => {
    const dir = scratchWorkspace('cli-mismatch', { 'roles/blob.json': BINARY_JSON });
    const run = runCli([dir]);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingHeads(run.stdout), MISMATCH);
    assert.match(run.stderr, /^irsa-lint: skipped roles\/blob\.json: binary content\n/);
  });

  it('reports a file over --max-file-size-kb that may hold facts, and not one whose words prove it holds none', () => {
    const dir = scratchWorkspace('cli-clean', {
      'big.json': JSON.stringify({ Statement: [], padding: 'x'.repeat(3000) }),
      'package-lock.json': JSON.stringify({ name: 'x', padding: 'x'.repeat(3000) }),
    });
    const run = runCli([dir, '--max-file-size-kb', '2']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^irsa-lint: skipped big\.json: larger than the 2 KB size limit/);
    assert.doesNotMatch(run.stderr, /package-lock/);
  });

  it('lists skipped files inside the JSON and SARIF documents instead of stderr', () => {
    const dir = scratchWorkspace('cli-clean', { 'blob.json': BINARY_JSON });
    const json = runCli([dir, '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assert.equal(json.stderr, '');
    assert.deepEqual((JSON.parse(json.stdout) as JsonReport).skipped, [{ path: 'blob.json', reason: 'binary content' }]);

    const sarif = runCli([dir, '--format', 'sarif']);
    assert.equal(sarif.status, 0, sarif.stderr);
    const invocation = (JSON.parse(sarif.stdout) as SarifLog).runs[0].invocations[0]!;
    assert.equal(invocation.executionSuccessful, true);
    assert.equal(invocation.toolExecutionNotifications.length, 1);
    const notification = invocation.toolExecutionNotifications[0]!;
    assert.equal(notification.level, 'warning');
    assert.match(notification.message.text, /blob\.json: binary content/);
    assert.deepEqual(notification.locations?.[0]?.physicalLocation.artifactLocation, { uri: 'blob.json', uriBaseId: '%SRCROOT%' });
  });
});

describe('irsa-lint --format json', () => {
  it('writes the versioned document with 1-based positions and related locations', () => {
    const run = runCli(['cli-mismatch', '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr, '');
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(Object.keys(report), ['version', 'findings', 'skipped']);
    assert.equal(report.version, 2);
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(
      report.findings.map((f) => `${f.path}:${f.line}:${f.column} ${f.severity} ${f.ruleId}`),
      MISMATCH,
    );
    const mismatch = report.findings[0]!;
    assert.deepEqual(Object.keys(mismatch), ['ruleId', 'severity', 'message', 'path', 'line', 'column', 'endLine', 'endColumn', 'related']);
    // The annotation value `arn:aws:iam::111122223333:role/s3-reader` is 40 characters long.
    assert.deepEqual([mismatch.line, mismatch.column, mismatch.endLine, mismatch.endColumn], [7, 33, 7, 73]);
    assert.match(mismatch.message, /Pin the trust policy's sub to `system:serviceaccount:demo:s3-reader`/);
    assert.deepEqual(mismatch.related, [{ path: 'roles/s3-reader.json', line: 12, column: 87, message: 'StringEquals system:serviceaccount:prod:s3-reader' }]);
  });

  it('writes an empty findings list for a clean workspace', () => {
    const run = runCli(['cli-clean', '--format=json']);
    assert.equal(run.status, 0);
    assert.deepEqual(JSON.parse(run.stdout), { version: 2, findings: [], skipped: [] });
  });
});

describe('irsa-lint --format sarif', () => {
  const run = runCli(['cli-mismatch', '--format', 'sarif']);
  const log = JSON.parse(run.stdout) as SarifLog;
  const sarifRun = log.runs[0];
  const driver = sarifRun.tool.driver;

  it('exits by the findings, as text does, with nothing on stderr', () => {
    assert.equal(run.status, 1);
    assert.equal(run.stderr, '');
  });

  it('is a SARIF 2.1.0 log with exactly one run', () => {
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
  });

  it('describes the tool and every rule', () => {
    assert.equal(driver.name, 'irsa-lint');
    assert.equal(driver.version, PACKAGE_VERSION);
    assert.match(driver.informationUri, /^https:\/\//);
    assert.deepEqual(
      driver.rules.map((r) => r.id),
      RULES.map((r) => r.meta.id),
    );
    assert.equal(new Set(driver.rules.map((r) => r.id)).size, RULE_IDS.size);
    for (const [i, descriptor] of driver.rules.entries()) {
      const meta = RULES[i]!.meta;
      assert.equal(descriptor.shortDescription.text, meta.title);
      assert.equal(descriptor.helpUri, docsUrl(meta.id));
      assert.equal(descriptor.defaultConfiguration.level, meta.defaultSeverity);
    }
  });

  it('maps %SRCROOT% to the scanned directory', () => {
    assert.deepEqual(sarifRun.originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(path.join(WORKSPACES, 'cli-mismatch')).href + '/' } });
    assert.deepEqual(sarifRun.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  it('reports each finding with its rule, level, message and a relative, 1-based location', () => {
    const heads = sarifRun.results.map((r) => {
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
      return `${artifactLocation.uri}:${region!.startLine}:${region!.startColumn} ${r.level} ${r.ruleId}`;
    });
    assert.deepEqual(heads, MISMATCH);
    for (const result of sarifRun.results) {
      assert.equal(result.locations.length, 1);
      assert.equal(driver.rules[result.ruleIndex!]!.id, result.ruleId, 'ruleIndex points at the rule');
      assert.ok(result.message.text.length > 0);
    }
    const mismatch = sarifRun.results[0]!;
    assert.deepEqual(mismatch.locations[0]!.physicalLocation.region, { startLine: 7, startColumn: 33, endLine: 7, endColumn: 73 });
    // Plain text without Markdown backticks; Markdown keeps them; the mention of the other side links to it.
    assert.match(mismatch.message.text, /^ServiceAccount 'demo\/s3-reader' uses role 's3-reader' \(/);
    assert.match(mismatch.message.markdown!, /^ServiceAccount `demo\/s3-reader` uses role `s3-reader` \(/);
    assert.match(mismatch.message.text, /Pin the trust policy's sub to 'system:serviceaccount:demo:s3-reader' \(\[s3-reader\.json:12\]\(1\)\)/);
    assert.equal(mismatch.relatedLocations![0]!.id, 1);
    assert.equal(mismatch.relatedLocations![0]!.physicalLocation.region!.startLine, 12);
  });

  it("describes each rule from its docs page: fullDescription, help in text and Markdown, tags, security-severity", () => {
    for (const descriptor of driver.rules) {
      const page = fs.readFileSync(path.join(WORKSPACES, '..', '..', '..', 'docs', 'rules', `${descriptor.id}.md`), 'utf8');
      assert.equal(descriptor.help?.markdown, page, descriptor.id);
      assert.doesNotMatch(descriptor.help!.text, /`/, `${descriptor.id}: help.text is plain`);
      assert.ok(descriptor.fullDescription!.markdown!.length > descriptor.shortDescription.text.length, descriptor.id);
      assert.ok(page.includes(descriptor.fullDescription!.markdown!), descriptor.id);
      assert.ok(descriptor.properties?.tags.includes('irsa'), descriptor.id);
      const expected: Record<string, string> = { error: '7.5', warning: '5.0', note: '2.0' };
      assert.equal(descriptor.properties?.['security-severity'], descriptor.id === 'parse-error' ? undefined : expected[descriptor.defaultConfiguration.level]);
    }
  });

  it('points a cross-file finding at the other file through relatedLocations', () => {
    const related: readonly SarifLocation[] = sarifRun.results[0]!.relatedLocations ?? [];
    assert.deepEqual(related, [
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'roles/s3-reader.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 87, endLine: 12, endColumn: 125 } },
        message: { text: 'StringEquals system:serviceaccount:prod:s3-reader' },
      },
    ]);
  });

  it('gives every result a distinct partial fingerprint', () => {
    const fingerprints = sarifRun.results.map((r) => r.partialFingerprints['irsaLintFindingHash/v2']);
    for (const f of fingerprints) assert.match(f ?? '', /^[0-9a-f]{32}:1$/);
    assert.equal(new Set(fingerprints).size, fingerprints.length);
  });

  it('keeps fingerprints stable when lines move', () => {
    const dir = scratchWorkspace('cli-mismatch');
    const sa = path.join(dir, 'k8s', 's3-reader-sa.yaml');
    fs.writeFileSync(sa, '# moved down by a comment\n' + fs.readFileSync(sa, 'utf8'));
    const moved = JSON.parse(runCli([dir, '--format', 'sarif']).stdout) as SarifLog;
    const result = moved.runs[0].results[0]!;
    assert.equal(result.locations[0]!.physicalLocation.region!.startLine, 8);
    assert.deepEqual(result.partialFingerprints, sarifRun.results[0]!.partialFingerprints);
  });

  it('keeps fingerprints stable when the other side of a cross-file finding moves', () => {
    const dir = scratchWorkspace('cli-mismatch');
    const trust = path.join(dir, 'roles', 's3-reader.json');
    fs.writeFileSync(trust, '\n\n' + fs.readFileSync(trust, 'utf8'));
    const moved = JSON.parse(runCli([dir, '--format', 'sarif']).stdout) as SarifLog;
    const before = sarifRun.results.find((r) => r.ruleId === 'sa-role-trust-mismatch')!;
    const after = moved.runs[0].results.find((r) => r.ruleId === 'sa-role-trust-mismatch')!;
    assert.notEqual(after.message.text, before.message.text, 'the message cites the moved line');
    assert.deepEqual(after.partialFingerprints, before.partialFingerprints);
  });

  it('percent-encodes paths as relative URI references', () => {
    const dir = scratchWorkspace(undefined, {
      'iam roles/s3-reader.json': fs.readFileSync(path.join(WORKSPACES, 'cli-mismatch', 'roles', 's3-reader.json')),
      'k8s #1/s3-reader-sa.yaml': fs.readFileSync(path.join(WORKSPACES, 'cli-mismatch', 'k8s', 's3-reader-sa.yaml')),
    });
    const encoded = JSON.parse(runCli([dir, '--format', 'sarif']).stdout) as SarifLog;
    const result = encoded.runs[0].results.find((r) => r.ruleId === 'sa-role-trust-mismatch')!;
    assert.equal(result.locations[0]!.physicalLocation.artifactLocation.uri, 'k8s%20%231/s3-reader-sa.yaml');
    assert.equal(result.relatedLocations![0]!.physicalLocation.artifactLocation.uri, 'iam%20roles/s3-reader.json');
    // The text format prints the path as it is on disk.
    assert.match(runCli([dir]).stdout, /^k8s #1\/s3-reader-sa\.yaml:7:33 error sa-role-trust-mismatch /m);
  });
});

describe('irsa-lint --help and --version', () => {
  it('--help prints the usage, the output contract and the exit codes', () => {
    const run = runCli(['--help']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^usage: irsa-lint \[<dir>\|<file>\.\.\.\] \[--format text\|json\|sarif\]/);
    assert.match(run.stdout, /<path>:<line>:<column> <severity> <rule-id> <message>/);
    assert.match(run.stdout, /Exit status:/);
  });

  it('-h wins over other arguments', () => {
    assert.equal(runCli(['no-such-dir', '-h']).status, 0);
  });

  it('--version prints the package version', () => {
    const run = runCli(['--version']);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, `${PACKAGE_VERSION}\n`);
  });
});
