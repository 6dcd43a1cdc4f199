/**
 * The README's CI section against what it documents: the workflow uses only
 * inputs and outputs action.yml has, the pre-commit config only hook ids
 * .pre-commit-hooks.yaml defines, the shell lines only options `irsa-lint
 * --help` lists and the tarball name `npm pack` makes. The action, the
 * hooks and the GitLab job themselves run for real in e2e/ci/; the tarball
 * install in install.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { HELP } from '../../server/src/cli/help';

const REPO = path.join(__dirname, '..', '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(REPO, file), 'utf8');

function ciSection(): string {
  const readme = read('README.md');
  const start = readme.indexOf('\n## CI\n');
  assert.ok(start >= 0, 'README has a "## CI" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function blocks(language: string): string[] {
  return [...ciSection().matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  if?: string;
}

describe('README CI section', () => {
  const action = parse(read('action.yml')) as { inputs: Record<string, { default?: string }>; outputs: Record<string, unknown> };
  const hookIds = (parse(read('.pre-commit-hooks.yaml')) as { id: string }[]).map((h) => h.id);

  it('the workflow uses the action with its own inputs and outputs', () => {
    const workflows = blocks('yaml').map((b) => parse(b) as { jobs?: Record<string, { steps: Step[] }> }).filter((w) => w.jobs);
    assert.equal(workflows.length, 1);
    const steps = Object.values(workflows[0]!.jobs!).flatMap((job) => job.steps);
    const lint = steps.find((s) => s.uses?.startsWith('irsa-tools/irsa-lint@'));
    assert.ok(lint?.id, 'the action step has an id for its outputs');
    for (const input of Object.keys(lint.with ?? {})) assert.ok(input in action.inputs, `action.yml has no input ${input}`);
    assert.ok(['error', 'warning', 'none'].includes(String(lint.with?.['fail-on'])));
    const used = [...JSON.stringify(steps).matchAll(new RegExp(`steps\\.${lint.id}\\.outputs\\.([\\w-]+)`, 'g'))].map((m) => m[1]!);
    assert.ok(used.includes('sarif-file'), 'the SARIF upload reads the sarif-file output');
    for (const output of used) assert.ok(output in action.outputs, `action.yml has no output ${output}`);
  });

  it('the pre-commit config names hooks that exist', () => {
    const configs = blocks('yaml').map((b) => ({ text: b, value: parse(b) as { repos?: { repo: string; hooks: { id: string }[] }[] } })).filter((c) => c.value.repos);
    assert.equal(configs.length, 1);
    const named = [...configs[0]!.text.matchAll(/- id: ([\w-]+)/g)].map((m) => m[1]!);
    assert.ok(named.length >= 2, 'both hooks are shown');
    for (const id of named) assert.ok(hookIds.includes(id), `.pre-commit-hooks.yaml has no hook ${id}`);
  });

  it('the shell lines use options irsa-lint has and the tarball npm pack makes', () => {
    const shell = blocks('sh').join('\n');
    const irsaLines = shell.split('\n').filter((l) => /^irsa-lint\b/.test(l.trim()));
    assert.ok(irsaLines.length >= 4);
    for (const option of irsaLines.flatMap((l) => [...l.replace(/#.*/, '').matchAll(/\s(--?[\w-]+)/g)].map((m) => m[1]!))) {
      assert.ok(HELP.includes(option), `irsa-lint --help does not list ${option}`);
    }
    const { name, version } = JSON.parse(read('package.json')) as { name: string; version: string };
    for (const tarball of shell.match(/[\w-]+-\d+\.\d+\.\d+\.tgz/g) ?? []) assert.equal(tarball, `${name}-${version}.tgz`);
  });
});
