/**
 * What the CI integration tests (the GitHub Action, the pre-commit hook)
 * share: a copy of this repository as a user's runner or pre-commit gets it
 * (the working tree's tracked and unignored files, so uncommitted changes
 * are tested too), an environment with npm offline on its populated cache,
 * and a small IRSA workspace in two directories whose trust policy does
 * not admit its ServiceAccount.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trustPolicy } from '../../test/support/trust-fixtures';

export const REPO = path.join(__dirname, '..', '..', '..');

/** Copies the working tree's files that git tracks or would track into `dest`; with `commit`, makes it a repository with one commit and returns its id. */
export function snapshotRepository(dest: string, options: { commit: boolean }): string | undefined {
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], REPO);
  for (const file of new Set(listed.stdout.split('\0').filter((f) => f !== ''))) {
    const from = path.join(REPO, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    fs.cpSync(from, path.join(dest, file), { verbatimSymlinks: true });
  }
  if (!options.commit) return undefined;
  git(dest, 'init', '-q');
  git(dest, 'add', '-A');
  git(dest, 'commit', '-q', '--no-verify', '-m', 'snapshot of the working tree');
  return git(dest, 'rev-parse', 'HEAD').trim();
}

/**
 * The environment of a CI job here: npm offline (it installs from the
 * cache `npm ci` filled, and fails rather than fetch), none of the
 * variables `npm test` sets for its own scripts (npm_config_local_prefix
 * would point a child npm at this repository), no GITHUB_* of a real
 * runner, and a fixed git identity.
 */
export function offlineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|GITHUB_|INPUT_|PRE_COMMIT)/i.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    GIT_AUTHOR_NAME: 'CI test',
    GIT_AUTHOR_EMAIL: 'ci@example.invalid',
    GIT_COMMITTER_NAME: 'CI test',
    GIT_COMMITTER_EMAIL: 'ci@example.invalid',
    ...extra,
  };
}

export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = offlineEnv(), timeoutMs = 600_000): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

export function git(cwd: string, ...args: string[]): string {
  const result = run('git', args, cwd);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * `infra/iam/web.json`, the trust policy of role `web`, admits
 * `shop/web`; `apps/k8s/web.yaml` is ServiceAccount `web` in `namespace`
 * using that role. With `store`, an error (sa-role-trust-mismatch on the
 * ServiceAccount's role-arn, line 7); with `shop`, only the warning that the
 * statement pins no audience (unless `aud`).
 */
export function writeIrsaWorkspace(dir: string, options: { namespace: 'store' | 'shop'; aud?: boolean }): void {
  const fixture = trustPolicy('json', { sub: 'system:serviceaccount:shop:web' });
  const withAud = fixture.slice(fixture.indexOf('\n') + 1); // past the fixture's `//- path` line
  const policy = options.aud ? withAud : withAud.replace(/,\n\s*"[^"\n]*:aud": "[^"\n]*"/, '');
  const serviceAccount = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: ${options.namespace}
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/web
`;
  fs.mkdirSync(path.join(dir, 'infra', 'iam'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'apps', 'k8s'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'infra', 'iam', 'web.json'), policy);
  fs.writeFileSync(path.join(dir, 'apps', 'k8s', 'web.yaml'), serviceAccount);
}
