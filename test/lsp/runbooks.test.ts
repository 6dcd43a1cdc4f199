/**
 * Markdown runbooks over the protocol: a block's finding is published at its
 * place in the `.md` file, follows the editor's text, and goes away with
 * `irsa.markdown.enabled: false` (and comes back without it).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { hasRule, lacksRule, ofRule, withServer } from './harness';

const RULE = 'sa-role-arn-malformed';
const RUNBOOK = 'docs/RUNBOOK.md';
const TEXT = ['# Reader', '', '```sh', 'kubectl annotate sa reader -n shop eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:policy/reader', '```', ''].join('\n');

describe('Markdown runbooks', () => {
  it('are analysed in place, follow the open document, and turn off with irsa.markdown.enabled', async () => {
    const prepare = (root: string): void => {
      fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
      fs.writeFileSync(path.join(root, RUNBOOK), TEXT);
    };
    await withServer({ fixture: 's3-reader', prepare }, async (server) => {
      const [finding] = ofRule(await server.waitForDiagnostics(RUNBOOK, hasRule(RULE)), RULE);
      assert.deepEqual(finding!.range, { start: { line: 3, character: 62 }, end: { line: 3, character: 101 } });

      // The editor's text wins: the placeholder account is unknown, not malformed.
      await server.openDocument(RUNBOOK);
      await server.replaceInDocument(RUNBOOK, 'arn:aws:iam::111122223333:policy/reader', 'arn:aws:iam::<ACCOUNT_ID>:role/reader');
      await server.waitForDiagnostics(RUNBOOK, lacksRule(RULE));
      await server.replaceInDocument(RUNBOOK, 'arn:aws:iam::<ACCOUNT_ID>:role/reader', 'arn:aws:iam::111122223333:policy/reader');
      await server.waitForDiagnostics(RUNBOOK, hasRule(RULE));

      await server.changeSettings({ markdown: { enabled: false } });
      await server.waitForDiagnostics(RUNBOOK, lacksRule(RULE));
      await server.changeSettings({});
      await server.waitForDiagnostics(RUNBOOK, hasRule(RULE));
    });
  });
});
