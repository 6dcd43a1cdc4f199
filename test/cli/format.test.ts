/**
 * Unit tests of the formatters and the output routing on hand-made findings:
 * position conversion, path encoding, layouts, colour and exit codes.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toJsonReport } from '../../server/src/cli/format/json';
import { encodeRelativePath, FINGERPRINT_KEY, toSarifLog } from '../../server/src/cli/format/sarif';
import { formatSkipped, formatSummary, formatText } from '../../server/src/cli/format/text';
import { exitCodeFor, renderOutput, useColor, type Terminal } from '../../server/src/cli/output';
import type { CliReport } from '../../server/src/cli/report';
import type { Finding, RuleMeta, Severity } from '../../server/src/rules/types';

const ROOT = 'file:///repo/infra';

function finding(ruleId: string, severity: Severity, file: string, start: [number, number], end: [number, number], message = `${ruleId} message`, related: Finding['related'] = []): Finding {
  return { ruleId, severity, message, span: { uri: `${ROOT}/${file}`, range: { start: { line: start[0], character: start[1] }, end: { line: end[0], character: end[1] } } }, related };
}

function report(findings: Finding[], extra: Partial<CliReport> = {}): CliReport {
  return { roots: [{ uri: ROOT }], displayBaseUri: ROOT, findings, skipped: [], failures: [], fileCount: 3, ...extra };
}

const CROSS_FILE = finding('sa-role-trust-mismatch', 'error', 'k8s/sa.yaml', [6, 32], [6, 72], 'Role does not trust demo/s3-reader.', [
  { span: { uri: `${ROOT}/iam%20roles/s3-reader.json`, range: { start: { line: 11, character: 86 }, end: { line: 11, character: 124 } } }, message: 'StringEquals system:serviceaccount:prod:s3-reader' },
]);
const WARNING = finding('trust-missing-aud', 'warning', 'main.tf', [7, 21], [7, 40]);
const NOTE = finding('trust-sub-no-service-account', 'note', 'main.tf', [13, 18], [13, 60]);

const RULE_METAS: RuleMeta[] = [
  { id: 'trust-missing-aud', defaultSeverity: 'warning', title: 'No aud', fixable: true },
  { id: 'sa-role-trust-mismatch', defaultSeverity: 'error', title: 'Mismatch', fixable: true },
  { id: 'trust-sub-no-service-account', defaultSeverity: 'note', title: 'No SA', fixable: true },
];

describe('text format', () => {
  it('plain: one line per finding, 1-based, relative, decoded path', () => {
    const text = formatText(report([CROSS_FILE, WARNING]), { layout: 'plain', color: false });
    assert.equal(text, 'k8s/sa.yaml:7:33 error sa-role-trust-mismatch Role does not trust demo/s3-reader.\nmain.tf:8:22 warning trust-missing-aud trust-missing-aud message\n');
  });

  it('plain: a line break inside a message cannot split a finding over two lines', () => {
    const text = formatText(report([finding('trust-missing-aud', 'warning', 'a.tf', [0, 0], [0, 1], 'first\n  second')]), { layout: 'plain', color: false });
    assert.equal(text, 'a.tf:1:1 warning trust-missing-aud first second\n');
  });

  it('shows Markdown code spans as plain quotes, as plain-text editors do; JSON keeps the Markdown', () => {
    const coded = finding('sa-role-trust-mismatch', 'error', 'sa.yaml', [0, 0], [0, 1], 'Role `app` does not trust `prod:web`; see `a.json:3`.', [
      { span: { uri: `${ROOT}/a.json`, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } } }, message: 'Condition `StringEquals`' },
    ]);
    assert.equal(formatText(report([coded]), { layout: 'plain', color: false }), "sa.yaml:1:1 error sa-role-trust-mismatch Role 'app' does not trust 'prod:web'; see 'a.json:3'.\n");
    const grouped = formatText(report([coded]), { layout: 'grouped', color: false });
    assert.match(grouped, /Role 'app' does not trust 'prod:web'/);
    assert.match(grouped, /↳ a\.json:3:1 Condition 'StringEquals'/);
    assert.doesNotMatch(grouped, /`/);
    const json = toJsonReport(report([coded]));
    assert.equal(json.findings[0]!.message, coded.message);
    assert.equal(json.findings[0]!.related[0]!.message, 'Condition `StringEquals`');
  });

  it('grouped: a header per file, aligned columns, related locations', () => {
    const text = formatText(report([CROSS_FILE, WARNING, NOTE]), { layout: 'grouped', color: false });
    assert.equal(
      text,
      [
        'k8s/sa.yaml',
        '  7:33  error  sa-role-trust-mismatch  Role does not trust demo/s3-reader.',
        '        ↳ iam roles/s3-reader.json:12:87 StringEquals system:serviceaccount:prod:s3-reader',
        '',
        'main.tf',
        '  8:22   warning  trust-missing-aud             trust-missing-aud message',
        '  14:19  note     trust-sub-no-service-account  trust-sub-no-service-account message',
        '',
      ].join('\n'),
    );
  });

  it('colours severities and headers only when asked', () => {
    const coloured = formatText(report([CROSS_FILE]), { layout: 'grouped', color: true });
    assert.match(coloured, /\x1b\[31merror\x1b\[39m/);
    assert.match(coloured, /\x1b\[1mk8s\/sa\.yaml\x1b\[22m/);
    assert.doesNotMatch(formatText(report([CROSS_FILE]), { layout: 'grouped', color: false }), /\x1b/);
  });

  it('summarises counts, with singulars', () => {
    assert.equal(formatSummary(report([CROSS_FILE, WARNING, NOTE]), false), '✖ 3 problems (1 error, 1 warning, 1 note)\n');
    assert.equal(formatSummary(report([WARNING, WARNING]), false), '✖ 2 problems (0 errors, 2 warnings, 0 notes)\n');
    assert.equal(formatSummary(report([]), false), 'No problems found in 3 files.\n');
    assert.equal(formatSummary(report([], { fileCount: 1 }), false), 'No problems found in 1 file.\n');
  });

  it('lists skipped files one per line', () => {
    assert.equal(formatSkipped([{ path: 'a b/x.json', reason: 'binary content' }]), 'irsa-lint: skipped a b/x.json: binary content\n');
  });
});

describe('json format', () => {
  it('converts ranges to 1-based lines and columns with an exclusive end', () => {
    const json = toJsonReport(report([CROSS_FILE]));
    assert.deepEqual(json.findings[0], {
      ruleId: 'sa-role-trust-mismatch',
      severity: 'error',
      message: 'Role does not trust demo/s3-reader.',
      path: 'k8s/sa.yaml',
      line: 7,
      column: 33,
      endLine: 7,
      endColumn: 73,
      related: [{ path: 'iam roles/s3-reader.json', line: 12, column: 87, message: 'StringEquals system:serviceaccount:prod:s3-reader' }],
    });
  });

  it('adds ruleFailures only when a rule failed', () => {
    assert.equal('ruleFailures' in toJsonReport(report([])), false);
    assert.deepEqual(toJsonReport(report([], { failures: [{ ruleId: 'x', error: 'boom' }] })).ruleFailures, [{ ruleId: 'x', error: 'boom' }]);
  });
});

describe('sarif format', () => {
  it('percent-encodes each path segment, keeping the slashes', () => {
    assert.equal(encodeRelativePath('iam roles/s3 reader.json'), 'iam%20roles/s3%20reader.json');
    assert.equal(encodeRelativePath('a#b/c%d/ünï.yaml'), 'a%23b/c%25d/%C3%BCn%C3%AF.yaml');
    // A colon in the first segment would otherwise read as a URI scheme.
    assert.equal(encodeRelativePath('c:odd.json'), 'c%3Aodd.json');
  });

  it('converts regions to 1-based, end-exclusive SARIF regions, including multi-line ones', () => {
    const multiLine = finding('trust-missing-aud', 'warning', 'main.tf', [3, 0], [9, 1]);
    const log = toSarifLog(report([multiLine]), RULE_METAS);
    assert.deepEqual(log.runs[0].results[0]!.locations[0]!.physicalLocation.region, { startLine: 4, startColumn: 1, endLine: 10, endColumn: 2 });
  });

  it('encodes related locations and numbers them', () => {
    const result = toSarifLog(report([CROSS_FILE]), RULE_METAS).runs[0].results[0]!;
    assert.equal(result.ruleIndex, 1);
    assert.equal(result.level, 'error');
    assert.deepEqual(
      result.relatedLocations?.map((l) => [l.id, l.physicalLocation.artifactLocation.uri, l.message?.text]),
      [[1, 'iam%20roles/s3-reader.json', 'StringEquals system:serviceaccount:prod:s3-reader']],
    );
  });

  it('writes code spans as quotes in message.text and keeps the Markdown in message.markdown', () => {
    const coded = finding('trust-missing-aud', 'warning', 'main.tf', [1, 0], [1, 5], 'Pin `sts.amazonaws.com` as the **audience**.');
    const message = toSarifLog(report([coded]), RULE_METAS).runs[0].results[0]!.message;
    assert.equal(message.text, "Pin 'sts.amazonaws.com' as the audience.");
    assert.equal(message.markdown, 'Pin `sts.amazonaws.com` as the **audience**.');
  });

  it('leaves relatedLocations out when there are none', () => {
    const result = toSarifLog(report([WARNING]), RULE_METAS).runs[0].results[0]!;
    assert.equal('relatedLocations' in result, false);
  });

  it('ends the %SRCROOT% base URI with exactly one slash', () => {
    assert.equal(toSarifLog(report([]), RULE_METAS).runs[0].originalUriBaseIds['%SRCROOT%']!.uri, 'file:///repo/infra/');
    assert.equal(toSarifLog(report([], { roots: [{ uri: 'file:///' }] }), RULE_METAS).runs[0].originalUriBaseIds['%SRCROOT%']!.uri, 'file:///');
  });

  it('fingerprints by rule, path and anchored line, numbering identical findings', () => {
    const a = finding('trust-missing-aud', 'warning', 'main.tf', [1, 0], [1, 5], 'same');
    const b = finding('trust-missing-aud', 'warning', 'main.tf', [20, 0], [20, 5], 'same');
    const other = finding('trust-missing-aud', 'warning', 'other.tf', [1, 0], [1, 5], 'same');
    const prints = toSarifLog(report([a, b, other]), RULE_METAS).runs[0].results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]!);
    assert.equal(prints[0]!.replace(/:1$/, ':2'), prints[1]);
    assert.notEqual(prints[0]!.split(':')[0], prints[2]!.split(':')[0]);
    // Moving a finding to another line does not change its fingerprint.
    const moved = toSarifLog(report([b]), RULE_METAS).runs[0].results[0]!.partialFingerprints[FINGERPRINT_KEY];
    assert.equal(moved, prints[0]);
  });

  it('reports rule failures as an unsuccessful invocation', () => {
    const invocation = toSarifLog(report([], { failures: [{ ruleId: 'sa-role-trust-mismatch', error: 'TypeError: boom' }] }), RULE_METAS).runs[0].invocations[0]!;
    assert.equal(invocation.executionSuccessful, false);
    assert.equal(invocation.toolExecutionNotifications.length, 1);
    const notification = invocation.toolExecutionNotifications[0]!;
    assert.equal(notification.level, 'error');
    assert.deepEqual(notification.associatedRule, { id: 'sa-role-trust-mismatch', index: 1 });
    assert.match(notification.message.text, /TypeError: boom/);
  });
});

describe('output routing', () => {
  const pipe: Terminal = { stdoutIsTTY: false, stderrIsTTY: false, env: {} };
  const tty: Terminal = { stdoutIsTTY: true, stderrIsTTY: true, env: {} };
  const text = { format: 'text', color: 'auto' } as const;

  it('on a pipe: skipped files and the summary on stderr, findings alone on stdout', () => {
    const writes = renderOutput(report([WARNING], { skipped: [{ path: 'x.json', reason: 'binary content' }] }), text, pipe);
    assert.deepEqual(writes, [
      { to: 'stderr', text: 'irsa-lint: skipped x.json: binary content\n' },
      { to: 'report', text: 'main.tf:8:22 warning trust-missing-aud trust-missing-aud message\n' },
      { to: 'stderr', text: '✖ 1 problem (0 errors, 1 warning, 0 notes)\n' },
    ]);
  });

  it('on a terminal: grouped, coloured findings followed by the summary on stdout', () => {
    const writes = renderOutput(report([WARNING]), text, tty);
    assert.equal(writes.length, 1);
    assert.equal(writes[0]!.to, 'report');
    assert.match(writes[0]!.text, /^\x1b\[4m\x1b\[1mmain\.tf/);
    assert.match(writes[0]!.text, /\n\n\x1b\[1m\x1b\[33m✖ 1 problem/);
  });

  it('with --output: plain lines even on a terminal', () => {
    const writes = renderOutput(report([WARNING]), { ...text, outputPath: 'out.txt' }, tty);
    assert.deepEqual(
      writes.map((w) => w.to),
      ['report', 'stderr'],
    );
    assert.equal(writes[0]!.text, 'main.tf:8:22 warning trust-missing-aud trust-missing-aud message\n');
  });

  it('json and sarif: the document only; rule failures also on stderr', () => {
    const failed = report([], { failures: [{ ruleId: 'x', error: 'boom' }] });
    for (const format of ['json', 'sarif'] as const) {
      const writes = renderOutput(failed, { format, color: 'auto' }, pipe);
      assert.deepEqual(
        writes.map((w) => w.to),
        ['report', 'stderr'],
      );
      assert.match(writes[1]!.text, /^irsa-lint: rule x failed .*: boom\n$/);
    }
  });

  it('decides colour from flags, FORCE_COLOR, NO_COLOR and the terminal, in that order', () => {
    assert.equal(useColor('never', { FORCE_COLOR: '1' }, true), false);
    assert.equal(useColor('always', { NO_COLOR: '1' }, false), true);
    assert.equal(useColor('auto', { FORCE_COLOR: '1', NO_COLOR: '1' }, false), true);
    assert.equal(useColor('auto', { FORCE_COLOR: '0' }, true), false);
    assert.equal(useColor('auto', { NO_COLOR: '1' }, true), false);
    assert.equal(useColor('auto', { NO_COLOR: '' }, true), true);
    assert.equal(useColor('auto', { TERM: 'dumb' }, true), false);
    assert.equal(useColor('auto', {}, true), true);
    assert.equal(useColor('auto', {}, false), false);
  });

  it('exits 2 on a rule failure, else 1 on an error-level finding, else 0', () => {
    assert.equal(exitCodeFor(report([WARNING, NOTE])), 0);
    assert.equal(exitCodeFor(report([CROSS_FILE, WARNING])), 1);
    assert.equal(exitCodeFor(report([CROSS_FILE], { failures: [{ ruleId: 'x', error: 'boom' }] })), 2);
  });
});
