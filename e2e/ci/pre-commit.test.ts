/**
 * The pre-commit hooks (.pre-commit-hooks.yaml) with Debian's `pre-commit`,
 * for real: a copy of this repository, committed, is the hook repository;
 * pre-commit installs it the way it does for users (`language: node`: npm
 * install in its clone, which builds dist/ in `prepare`, then npm pack and
 * a global install of the tarball into its environment), offline from the
 * npm cache the suite's own `npm ci` filled. Then, on a temporary repository
 * whose trust policy does not admit its ServiceAccount:
 * - `pre-commit try-repo` fails with our message on the staged files;
 * - with the hook installed (`pre-commit install`), `git commit` is refused
 *   with that message, and goes through once the ServiceAccount is fixed.
 *
 * Each of the two installs takes one to three minutes (try-repo uses a
 * store of its own). Skipped when `pre-commit` is not installed (.ci/run
 * installs it).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { git, offlineEnv, run, snapshotRepository, writeIrsaWorkspace } from './support';

const hasPreCommit = run('sh', ['-c', 'command -v pre-commit'], os.tmpdir()).status === 0;
const MISMATCH = /^apps\/k8s\/web\.yaml:7:33 error sa-role-trust-mismatch ServiceAccount 'store\/web' uses role 'web' .*admits only 'system:serviceaccount:shop:web'/m;

let scratch: string;
let hookRepo: string;
let rev: string;

/** pre-commit with its own store, npm offline. */
function preCommitEnv(): NodeJS.ProcessEnv {
  return offlineEnv({ PRE_COMMIT_HOME: path.join(scratch, 'pre-commit-home'), PRE_COMMIT_COLOR: 'never' });
}

/** A repository with the broken workspace staged. */
function userRepository(name: string): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  writeIrsaWorkspace(dir, { namespace: 'store', aud: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  return dir;
}

describe('pre-commit hooks (.pre-commit-hooks.yaml)', { skip: hasPreCommit ? false : 'pre-commit is not installed (apt-get install pre-commit)', timeout: 1_200_000 }, () => {
  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-lint-pre-commit-'));
    hookRepo = path.join(scratch, 'hook-repo');
    rev = snapshotRepository(hookRepo, { commit: true })!;
  });

  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('try-repo: the staged files with a broken trust policy fail with our message', () => {
    const repo = userRepository('try-repo');
    const result = run('pre-commit', ['try-repo', hookRepo, 'irsa-lint', '--ref', rev], repo, preCommitEnv(), 900_000);
    const output = result.stdout + result.stderr;
    assert.equal(result.status, 1, output);
    assert.match(output, /irsa-lint \(IRSA trust policies, ServiceAccounts, OIDC issuers\)\.+Failed/);
    assert.match(output, MISMATCH);
  });

  it('a commit with a broken trust policy is refused with our message; the fixed one goes through', () => {
    const repo = userRepository('commit');
    fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: irsa-lint\n`);
    git(repo, 'add', '.pre-commit-config.yaml');
    const env = preCommitEnv();
    const installed = run('pre-commit', ['install', '--install-hooks'], repo, env, 900_000);
    assert.equal(installed.status, 0, installed.stdout + installed.stderr);

    const refused = run('git', ['commit', '-m', 'web ServiceAccount'], repo, env);
    assert.notEqual(refused.status, 0, 'the commit was refused');
    assert.match(refused.stdout + refused.stderr, MISMATCH);
    assert.notEqual(run('git', ['rev-parse', '--verify', 'HEAD'], repo, env).status, 0, 'nothing was committed');

    // The ServiceAccount moved to the namespace its role trusts.
    fs.writeFileSync(path.join(repo, 'apps', 'k8s', 'web.yaml'), fs.readFileSync(path.join(repo, 'apps', 'k8s', 'web.yaml'), 'utf8').replace('namespace: store', 'namespace: shop'));
    git(repo, 'add', '-A');
    const accepted = run('git', ['commit', '-m', 'web ServiceAccount in shop'], repo, env);
    assert.equal(accepted.status, 0, accepted.stdout + accepted.stderr);
    assert.match(accepted.stdout + accepted.stderr, /irsa-lint \(IRSA trust policies, ServiceAccounts, OIDC issuers\)\.+Passed/);
  });
});
