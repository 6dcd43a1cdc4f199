/**
 * The README's GitLab CI job, its `script` lines run by bash as a GitLab
 * runner would (one shell, stopping at the first failing line) in a
 * repository whose trust policy does not admit its ServiceAccount. Two
 * stand-ins: the clone URL points at a committed copy of this working
 * tree (branch main), and `npm install -g` goes to a temporary prefix; npm
 * is offline on the cache the suite's `npm ci` filled.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { assertValidSarif } from '../../test/support/sarif-schema';
import { git, offlineEnv, REPO, run, snapshotRepository, writeIrsaWorkspace } from './support';

const UPSTREAM = 'https://github.com/irsa-tools/irsa-lint';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-lint-gitlab-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function gitlabJob(): { script: string[]; artifacts: { paths: string[] } } {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const block = /```yaml\n(# \.gitlab-ci\.yml\n[\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README has a .gitlab-ci.yml block');
  const jobs = Object.values(parse(block[1]!) as Record<string, { script: string[]; artifacts: { paths: string[] } }>);
  assert.equal(jobs.length, 1);
  return jobs[0]!;
}

describe('GitLab CI job (README)', { timeout: 900_000 }, () => {
  it('installs the CLI from a checkout, writes SARIF and fails the job on an error', () => {
    const job = gitlabJob();
    const upstream = path.join(scratch, 'upstream');
    snapshotRepository(upstream, { commit: true });
    git(upstream, 'branch', '-M', 'main');
    const clone = path.join(scratch, 'irsa-lint-clone');
    const prefix = path.join(scratch, 'prefix');
    const script = job.script.map((line) => line.replace(/\/tmp\/irsa-lint(?![\w-])/g, clone).replaceAll(UPSTREAM, `file://${upstream}`)).join('\n');
    assert.ok(script.includes(`file://${upstream}`), 'the job clones irsa-lint');
    const project = path.join(scratch, 'project');
    writeIrsaWorkspace(project, { namespace: 'store' });
    fs.writeFileSync(path.join(scratch, 'job.sh'), `set -eo pipefail\n${script}\n`);
    const env = offlineEnv({ npm_config_prefix: prefix, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`, CI: 'true', GITLAB_CI: 'true' });
    const result = run('bash', ['--noprofile', '--norc', path.join(scratch, 'job.sh')], project, env);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.ok(fs.existsSync(path.join(prefix, 'bin', 'irsa-lint')), 'irsa-lint was installed globally');
    for (const artifact of job.artifacts.paths) {
      const file = path.join(project, artifact);
      assert.ok(fs.existsSync(file), `artifact ${artifact}`);
      assertValidSarif(fs.readFileSync(file, 'utf8'), artifact);
      assert.match(fs.readFileSync(file, 'utf8'), /"ruleId": "sa-role-trust-mismatch"/);
    }
  });
});
