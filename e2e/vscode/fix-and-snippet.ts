/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The functions passed to page.evaluate run in the browser.)
/**
 * The steps of the VS Code end-to-end suite that change the workspace: a
 * quick fix applied through the lightbulb menu, and a snippet accepted from
 * the completion list.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { expandSnippet } from '../../test/support/snippet';
import { ROOT } from '../support/paths';
import { goTo, openFile, readProblems, runCommand, screenshot, showProblems, waitForProblemCount } from '../support/workbench';

export const KARPENTER_FARGATE_PREFIX = 'irsa-karpenter-fargate';

/**
 * Steps 2b and 5. Puts the cursor on `text` (on the line with `lineMarker`)
 * in `file`, presses Ctrl+. and applies the code action titled `title`;
 * then the problems listed in `gone` (`<file> <rule>`) are gone from the
 * Problems view and `problemsAfter` problems remain.
 */
export async function applyQuickFix(
  page: Page,
  workspace: string,
  target: { file: string; lineMarker: string; text: string; title: string; problemsAfter: number; gone: readonly string[] },
): Promise<void> {
  await openFile(page, target.file);
  // The cursor goes on the value by line and column (Ctrl+G), not by a mouse click that a hover or a closing widget may swallow.
  const lines = fs.readFileSync(path.join(workspace, target.file), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(target.lineMarker) && l.includes(target.text));
  assert.ok(line >= 0, `no line with ${target.lineMarker} and ${target.text} in ${target.file}`);
  await goTo(page, line + 1, lines[line]!.indexOf(target.text) + 2);
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget');
  await menu.waitFor({ timeout: 15_000 }).catch(async () => {
    await screenshot(page, `no-menu-${path.basename(target.file)}`);
    throw new Error(`Ctrl+. on ${target.file} opened no code action menu`);
  });
  const item = menu.locator('.monaco-list-row', { hasText: target.title });
  if (!(await item.count())) {
    // Say what was offered: the menu renders all its rows at once.
    const offered = await menu.locator('.monaco-list-row').allInnerTexts();
    throw new Error(`no code action "${target.title}" offered on ${target.file}; offered: ${JSON.stringify(offered)}`);
  }
  // Choose it with the keyboard, as a user of Ctrl+. does: the rows animate in, and a click may land before they settle.
  const focused = menu.locator('.monaco-list-row.focused');
  for (let moves = 0; !((await focused.innerText().catch(() => '')) || '').includes(target.title); moves++) {
    if (moves > 20) throw new Error(`could not move the code action menu's focus to "${target.title}"`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
  await runCommand(page, 'File: Save All');

  await showProblems(page);
  await waitForProblemCount(page, target.problemsAfter);
  const left = (await readProblems(page)).map((p) => `${p.file} ${p.ruleId}`);
  for (const problem of target.gone) assert.ok(!left.includes(problem), `${problem} is still listed:\n${left.join('\n')}`);
  await page.keyboard.press('Control+Shift+M');
}

/** Polls `check` until it answers, for what the page cannot be asked about (the disk). */
async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The body of the snippet contributed with `prefix`, as package.json lists it. */
function snippetBody(prefix: string): readonly string[] {
  const snippets = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'terraform.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
  const snippet = Object.values(snippets).find((s) => s.prefix === prefix);
  assert.ok(snippet, `no Terraform snippet with prefix ${prefix}`);
  return snippet.body;
}

/** A ServiceAccount with a malformed role ARN: one known finding, typed last to prove the analysis saw the final text. */
const SENTINEL = [
  'resource "kubernetes_service_account_v1" "e2e_sentinel" {',
  '  metadata {',
  '    name        = "e2e-sentinel"',
  '    namespace   = "default"',
  '    annotations = { "eks.amazonaws.com/role-arn" = "not-an-arn" }',
  '  }',
  '}',
  '',
].join('\n');

/**
 * Step 3. In a new `snippet/karpenter.tf`, types the snippet prefix, accepts
 * the Karpenter-on-Fargate completion, types `fills` into its placeholders
 * one after the other (Tab between them; none: keep the defaults), and then
 * appends SENTINEL. When the Problems view shows the sentinel's
 * sa-role-arn-malformed, the server has analysed the final text, and the
 * file must have no other problem: the snippet is clean.
 */
export async function acceptKarpenterFargateSnippet(page: Page, workspace: string, fills: readonly string[] = []): Promise<void> {
  const file = path.join(workspace, 'snippet', 'karpenter.tf');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
  await openFile(page, 'snippet/karpenter.tf');
  await page.locator('.editor-group-container.active .monaco-editor textarea').focus();
  await page.keyboard.type(KARPENTER_FARGATE_PREFIX);
  await page.keyboard.press('Control+Space');
  const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: KARPENTER_FARGATE_PREFIX });
  await suggestion.first().waitFor({ timeout: 15_000 }).catch(async () => {
    const offered = await page.locator('.suggest-widget .monaco-list-row').allInnerTexts();
    throw new Error(`no completion "${KARPENTER_FARGATE_PREFIX}" offered in a .tf file; offered: ${JSON.stringify(offered)}`);
  });
  await suggestion.first().click();
  const suggestWidget = page.locator('.suggest-widget');
  for (const [i, fill] of fills.entries()) {
    // Tab accepts a suggestion while the suggest widget is open: it must be closed for Tab to move to the next placeholder.
    await suggestWidget.waitFor({ state: 'hidden' });
    if (i > 0) await page.keyboard.press('Tab');
    await page.keyboard.insertText(fill);
  }
  await page.keyboard.press('Escape');
  await suggestWidget.waitFor({ state: 'hidden' });
  await runCommand(page, 'File: Save');

  // What the editor holds must be the snippet expanded with the fills, before anything else is judged.
  const expected = expandSnippet(snippetBody(KARPENTER_FARGATE_PREFIX), Object.fromEntries(fills.map((fill, i) => [i + 1, fill])));
  await waitFor('the expanded snippet to be saved', () => (fs.readFileSync(file, 'utf8') === expected ? true : undefined)).catch(async (error: unknown) => {
    await screenshot(page, '3-unexpected-text');
    assert.equal(fs.readFileSync(file, 'utf8'), expected, `the editor did not produce the snippet's expansion (${String(error)})`);
  });

  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(`\n${SENTINEL}`);
  await runCommand(page, 'File: Save');

  // Saving is asynchronous: wait for the disk to have the sentinel.
  const sentinelLine = await waitFor('the sentinel to be saved', () => {
    const at = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('eks.amazonaws.com/role-arn" = "not-an-arn"'));
    return at >= 0 ? at + 1 : undefined;
  });
  await showProblems(page);
  await page.waitForFunction(
    (line) =>
      [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((row) => /sa-role-arn-malformed/.test((row as HTMLElement).innerText) && (row as HTMLElement).innerText.includes(`[Ln ${line},`)),
    sentinelLine,
    { timeout: 30_000, polling: 200 },
  );
  const inSnippet = (await readProblems(page)).filter((p) => p.file === 'snippet/karpenter.tf');
  assert.deepEqual(
    inSnippet.map((p) => `${p.line} ${p.ruleId}`),
    [`${sentinelLine} sa-role-arn-malformed`],
    [...inSnippet.map((p) => `${p.line} ${p.ruleId}: ${p.message}`), '--- snippet/karpenter.tf:', fs.readFileSync(file, 'utf8')].join('\n'),
  );
}
