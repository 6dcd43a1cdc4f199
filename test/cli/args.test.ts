/** Unit tests of the CLI's argument grammar. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, type CliOptions, type ParsedArgs } from '../../server/src/cli/args';
import { DEFAULT_MAX_FILE_SIZE_KB } from '../../server/src/node/host';

function options(argv: string[]): CliOptions {
  const parsed = parseArgs(argv);
  assert.equal(parsed.kind, 'run', JSON.stringify(parsed));
  return (parsed as Extract<ParsedArgs, { kind: 'run' }>).options;
}

function usageError(argv: string[]): string {
  const parsed = parseArgs(argv);
  assert.equal(parsed.kind, 'usage-error', JSON.stringify(parsed));
  return (parsed as Extract<ParsedArgs, { kind: 'usage-error' }>).message;
}

describe('parseArgs', () => {
  it('defaults to the current directory, text, the default size limit, automatic colour', () => {
    assert.deepEqual(options([]), { paths: [], format: 'text', ruleOverrides: [], maxFileSizeKB: DEFAULT_MAX_FILE_SIZE_KB, color: 'auto', quiet: false, exitZero: false, clusters: [], kubeContexts: [], live: true, markdown: true, fix: 'off' });
  });

  it('takes the live options: repeatable --cluster, --region, --profile, --no-live', () => {
    const o = options(['--cluster', 'prod', '--cluster=stage', '--region', 'eu-west-1', '--profile', 'ro', '--no-live']);
    assert.deepEqual([o.clusters, o.region, o.profile, o.live], [['prod', 'stage'], 'eu-west-1', 'ro', false]);
    assert.equal(parseArgs(['--region', 'Europe']).kind, 'usage-error');
    assert.equal(parseArgs(['--cluster', 'a b']).kind, 'usage-error');
  });

  it('takes repeatable --kube-context names, and refuses an empty or spaced one', () => {
    assert.deepEqual(options(['--kube-context', 'arn:aws:eks:eu-west-1:111122223333:cluster/payments', '--kube-context=kind-dev']).kubeContexts, ['arn:aws:eks:eu-west-1:111122223333:cluster/payments', 'kind-dev']);
    assert.equal(parseArgs(['--kube-context', '']).kind, 'usage-error');
    assert.equal(parseArgs(['--kube-context', 'a b']).kind, 'usage-error');
  });

  it('takes --no-markdown', () => {
    assert.equal(options(['--no-markdown']).markdown, false);
    assert.equal(parseArgs(['--no-markdown=1']).kind, 'usage-error');
  });

  it('accepts value options as `--name value` and `--name=value`, and short aliases', () => {
    const o = options(['infra', '--format', 'sarif', '--config=ci.json', '-o', 'out.sarif', '--max-file-size-kb=64']);
    assert.deepEqual(o.paths, ['infra']);
    assert.equal(o.format, 'sarif');
    assert.equal(o.configPath, 'ci.json');
    assert.equal(o.outputPath, 'out.sarif');
    assert.equal(o.maxFileSizeKB, 64);
    assert.equal(options(['-f', 'json']).format, 'json');
    assert.equal(options(['-c', 'x.json']).configPath, 'x.json');
  });

  it('collects repeated --rule overrides in order', () => {
    assert.deepEqual(options(['--rule', 'trust-missing-aud=off', '--rule=sa-shared-role=error']).ruleOverrides, [
      { ruleId: 'trust-missing-aud', severity: 'off' },
      { ruleId: 'sa-shared-role', severity: 'error' },
    ]);
  });

  it('reads flags', () => {
    const o = options(['-q', '--no-color']);
    assert.equal(o.quiet, true);
    assert.equal(o.color, 'never');
    assert.equal(options(['--color']).color, 'always');
  });

  it('treats everything after -- as a path, even if it starts with a dash', () => {
    assert.deepEqual(options(['--', '-odd-dir']).paths, ['-odd-dir']);
  });

  it('takes several directories and files, in order', () => {
    assert.deepEqual(options(['infra/', '--quiet', 'apps/', 'k8s/sa.yaml']).paths, ['infra/', 'apps/', 'k8s/sa.yaml']);
  });

  it('gives help and version priority over everything else', () => {
    assert.deepEqual(parseArgs(['a', 'b', '--help']), { kind: 'help' });
    assert.deepEqual(parseArgs(['--format', 'json', '-h']), { kind: 'help' });
    assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
  });

  it('rejects what it does not know', () => {
    assert.match(usageError(['--format', 'xml']), /unknown format 'xml' \(expected text, json, sarif\)/);
    assert.match(usageError(['--formt=json']), /unknown option '--formt'/);
    assert.match(usageError(['-x']), /unknown option '-x'/);
    assert.match(usageError(['--quiet=yes']), /unknown option '--quiet'/);
    assert.match(usageError(['--output']), /option '--output' needs a value/);
    assert.match(usageError(['--config=']), /option '--config' needs a file name/);
  });

  it('takes warn for warning in --rule, and --list-rules, --baseline, --write-baseline', () => {
    assert.deepEqual(options(['--rule', 'trust-missing-aud=warn']).ruleOverrides, [{ ruleId: 'trust-missing-aud', severity: 'warning' }]);
    assert.deepEqual(parseArgs(['infra', '--list-rules']), { kind: 'list-rules' });
    const o = options(['--baseline', 'b.json', '--write-baseline=c.json']);
    assert.deepEqual([o.baselinePath, o.writeBaselinePath], ['b.json', 'c.json']);
    assert.match(usageError(['--baseline=']), /option '--baseline' needs a file name/);
  });

  it('rejects malformed --rule and --max-file-size-kb values', () => {
    for (const bad of ['trust-missing-aud', 'trust-missing-aud=', '=off', 'trust-missing-aud=warnings']) {
      assert.match(usageError(['--rule', bad]), /option '--rule' expects <rule-id>=<off\|note\|warning\|error>/, bad);
    }
    for (const bad of ['0', '-1', '1.5', 'ten', '']) {
      assert.match(usageError([`--max-file-size-kb=${bad}`]), /expects a positive whole number/, bad);
    }
  });
});
