/**
 * The walkthrough (`contributes.walkthroughs`) names markdown files and
 * commands: each file exists and the .vsix allows it, and each command link
 * in a step names a command that the step also completes on. The example it
 * opens shows the finding it quotes, and the fix it describes clears it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyze } from '../server/src/analysis';
import { applyFix } from '../server/src/edit/edits';
import { Workspace } from '../server/src/index/workspace';
import { plainText } from '../server/src/lsp/convert';
import { initParsers, loadWorkspace } from '../server/src/node/host';
import { fixContextOf, fixesFor } from '../server/src/rules/fixes';

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
    assert.match(ignore, /^!walkthrough\/example\/\*\*$/m, 'the .vsix ships the example');
    const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => `onCommand:${m[1]}`);
    assert.deepEqual(step.completionEvents, linked, step.id);
  }
});

/**
 * The example the first step opens (walkthrough/example/, copied by the
 * command irsa.openExample): it shows the finding the second step quotes,
 * and the fix the third step describes clears every finding of it.
 */
describe('the walkthrough example', () => {
  before(async () => {
    await initParsers();
  });

  it('has the finding finding.md quotes, and pinning the sub clears it and the rest', () => {
    const workspace = new Workspace();
    assert.deepEqual(loadWorkspace(workspace, path.join(ROOT, 'walkthrough', 'example')), []);
    const { findings } = analyze(workspace);
    assert.deepEqual(
      findings.map((f) => `${f.ruleId} ${path.basename(f.span.uri)}`).sort(),
      ['sa-role-trust-mismatch s3-reader.yaml', 'trust-sub-no-service-account s3-reader.tf'],
    );
    const mismatch = findings.find((f) => f.ruleId === 'sa-role-trust-mismatch')!;
    const quoted = /```\n([\s\S]*?)\n```/.exec(fs.readFileSync(path.join(ROOT, 'walkthrough', 'finding.md'), 'utf8'))?.[1]?.replace(/\s*\n\s*/g, ' ');
    assert.ok(quoted, 'finding.md quotes a message in a code block');
    assert.ok(plainText(mismatch.message).startsWith(quoted), `finding.md quotes:\n${quoted}\nthe finding says:\n${plainText(mismatch.message)}`);

    const pin = fixesFor(mismatch, fixContextOf(workspace)).find((f) => f.title.startsWith('Pin sub to'));
    assert.ok(pin, 'the fix fix.md describes is offered');
    for (const [uri, text] of applyFix((uri) => workspace.text(uri), pin)) workspace.setFile(uri, text);
    assert.deepEqual(analyze(workspace).findings.map((f) => f.ruleId), []);
  });
});
