/**
 * The walkthrough (`contributes.walkthroughs`) names markdown files and
 * commands: each file exists and the .vsix allows it, and each command link
 * in a step names a command that the step also completes on.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';

const ROOT = path.join(__dirname, '..', '..');

interface Step {
  readonly id: string;
  readonly description: string;
  readonly media: { readonly markdown: string };
  readonly completionEvents: readonly string[];
}
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { walkthroughs: { steps: Step[] }[] } };

it('walkthrough steps show shipped markdown and complete on the command they link', () => {
  const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
  assert.ok(steps.length >= 3);
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
  for (const step of steps) {
    assert.ok(fs.existsSync(path.join(ROOT, step.media.markdown)), step.media.markdown);
    assert.match(step.media.markdown, /^walkthrough\/[\w-]+\.md$/);
    assert.match(ignore, /^!walkthrough\/\*\.md$/m, 'the .vsix ships the walkthrough pages');
    const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => `onCommand:${m[1]}`);
    assert.deepEqual(step.completionEvents, linked, step.id);
  }
});
