/**
 * `.irsa-lint.json` is workspace content like any other (issue #12): git
 * stores symbolic links, so a cloned repository can make it a FIFO, a link
 * to a device or to a file outside the repository. It is read with the
 * guards of every other file, and a message about it never shows what a
 * foreign file holds.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli, scratchWorkspace } from '../cli/support';
import { withServer } from '../lsp/harness';
import { TRUST_POLICY_TEXT } from './samples';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** A foreign JSON file shaped like a configuration, whose keys are secrets. */
const FOREIGN = JSON.stringify({ rules: { [`aws_secret_access_key=${SECRET}`]: 'off', AKIAIOSFODNN7EXAMPLE: SECRET } });

/** A workspace with a good file, whose `.irsa-lint.json` is made by `make` (given its path and the scratch root). */
function workspaceWithConfig(make: (config: string, outside: string) => void): string {
  const dir = scratchWorkspace(undefined, { 'ws/good.json': TRUST_POLICY_TEXT, 'outside/credentials.json': FOREIGN });
  make(path.join(dir, 'ws', '.irsa-lint.json'), path.join(dir, 'outside'));
  return dir;
}

describe('.irsa-lint.json through the CLI', () => {
  const cases: { name: string; make: (config: string, outside: string) => void; reason: RegExp }[] = [
    { name: 'a FIFO', make: (config) => assert.equal(spawnSync('mkfifo', [config]).status, 0), reason: /not a regular file/ },
    // Devices are outside every workspace: refused for that before their type is looked at.
    { name: 'a link to /dev/stdin', make: (config) => fs.symlinkSync('/dev/stdin', config), reason: /symbolic link to a path outside the workspace/ },
    { name: 'a link to /dev/zero', make: (config) => fs.symlinkSync('/dev/zero', config), reason: /symbolic link to a path outside the workspace/ },
    { name: 'a link to a file outside the workspace', make: (config, outside) => fs.symlinkSync(path.join(outside, 'credentials.json'), config), reason: /symbolic link to a path outside the workspace/ },
    { name: 'a file of 10 MB', make: (config) => fs.writeFileSync(config, `{"rules": {}, "x": "${'x'.repeat(10 * 1024 * 1024)}"}`), reason: /larger than the 64 KB size limit/ },
  ];
  for (const { name, make, reason } of cases) {
    it(`${name}: refused with the reason, at once`, () => {
      const dir = workspaceWithConfig(make);
      // stdin inherited from a terminal is what hung CI jobs; a pipe that never ends does the same here.
      const started = Date.now();
      const run = spawnSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'dist', 'cli.js'), path.join(dir, 'ws')], { encoding: 'utf8', timeout: 30_000, stdio: ['pipe', 'pipe', 'pipe'] });
      assert.equal(run.status, 2, `${run.stderr} (signal ${String(run.signal)})`);
      assert.match(run.stderr, new RegExp(`cannot read config file .*\\.irsa-lint\\.json \\(${reason.source}`));
      assert.ok(!run.stderr.includes(SECRET) && !run.stderr.includes('AKIAIOSFODNN7EXAMPLE'), run.stderr);
      assert.ok(Date.now() - started < 20_000);
    });
  }

  it('a file inside the workspace with keys that are not rule ids: reported without showing them or their values', () => {
    const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT, '.irsa-lint.json': FOREIGN });
    const run = runCli([dir]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Unknown rule id \(a key of 62 characters, not shown\)/);
    assert.match(run.stderr, /Unknown rule id "AKIA\*+"/, 'a key that looks like an id is shown, through redaction');
    assert.ok(!run.stderr.includes(SECRET), run.stderr);
  });

  it('a file nested thousands of levels deep: reported, not a stack overflow', () => {
    const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT, '.irsa-lint.json': `{"rules": ${'['.repeat(20_000)}${']'.repeat(20_000)}}` });
    const run = runCli([dir]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /invalid config file .*\.irsa-lint\.json:\n {2}.*\.irsa-lint\.json: nested more than 200 levels deep\./);
    assert.doesNotMatch(run.stderr, /internal error|call stack/i);
  });

  it('a value that is not a severity is described, not shown', () => {
    const dir = scratchWorkspace(undefined, { 'good.json': TRUST_POLICY_TEXT, '.irsa-lint.json': JSON.stringify({ rules: { 'trust-missing-aud': SECRET, 'trust-missing-sub': { token: SECRET } } }) });
    const run = runCli([dir]);
    assert.match(run.stderr, /Rule "trust-missing-aud": expected off, note, warning or error, got a string of 40 characters/);
    assert.match(run.stderr, /Rule "trust-missing-sub": expected off, note, warning or error, got an object/);
    assert.ok(!run.stderr.includes(SECRET), run.stderr);
  });
});

describe('.irsa-lint.json in the language server', () => {
  it('a FIFO and a link out of the folder: refused with a warning, the folder analysed, nothing of the foreign file shown', async () => {
    const prepare = (root: string): void => {
      fs.mkdirSync(path.join(root, 'a'));
      fs.mkdirSync(path.join(root, 'b'));
      fs.writeFileSync(path.join(root, 'a', 'good.json'), TRUST_POLICY_TEXT);
      assert.equal(spawnSync('mkfifo', [path.join(root, 'a', '.irsa-lint.json')]).status, 0);
      fs.writeFileSync(path.join(root, 'credentials.json'), FOREIGN);
      fs.symlinkSync(path.join(root, 'credentials.json'), path.join(root, 'b', '.irsa-lint.json'));
    };
    await withServer({ prepare, folders: ['a', 'b'] }, async (server) => {
      await server.waitForScanEnd();
      await server.waitForDiagnostics('a/good.json', (ds) => ds.some((d) => d.code === 'trust-missing-aud'));
      const said = [...server.logMessages.map((m) => m.message), ...server.shownMessages.map((m) => m.message)].join('\n');
      assert.match(said, /a[/\\]\.irsa-lint\.json: .*not a regular file/);
      assert.match(said, /b[/\\]\.irsa-lint\.json: .*symbolic link to a path outside the workspace/);
      assert.ok(!said.includes(SECRET) && !said.includes('AKIAIOSFODNN7EXAMPLE'), said);
      assert.equal(await server.shutdown(), 0);
    });
  });
});
