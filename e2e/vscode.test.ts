/**
 * VS Code end to end: the packaged .vsix installed into code-server, the
 * workbench driven in Debian chromium (scripts/e2e-install.sh installs both).
 * A copy of examples/ is the workspace, so that edits never touch the repo.
 * Screenshots of every step go to test/e2e/artifacts/.
 *
 * Steps 2b (quick fix) and 3 (snippet) are in ./vscode/fix-and-snippet.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from './support/code-server';
import { coversSameText, squiggles, textBox } from './support/editor';
import { EXAMPLES, ROOT, packagedVsix } from './support/paths';
import { goTo, launchBrowser, openFile, openWorkbench, readProblems, runCommand, screenshot, showProblems, waitForProblemCount } from './support/workbench';
import { cliFindings } from './support/cli';
import { applyQuickFix, acceptKarpenterFargateSnippet } from './vscode/fix-and-snippet';

/**
 * What the README's first command finds in examples/ (test/examples.test.ts
 * pins that list): VS Code must show the same problems, from the same engine.
 */
const EXPECTED_PROBLEMS = cliFindings(EXAMPLES).map((f) => `${f.path}:${f.line} ${f.severity} ${f.ruleId}`);
const ROLE_ARN = 'arn:aws:iam::111122223333:role/s3-reader';

let workspace: string;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;

before(async () => {
  fs.mkdirSync(path.join(ROOT, '.e2e', 'tmp'), { recursive: true });
  workspace = path.join(fs.mkdtempSync(path.join(ROOT, '.e2e', 'tmp', 'workspace-')), 'examples');
  fs.cpSync(EXAMPLES, workspace, { recursive: true });
  server = await startCodeServer({ vsix: packagedVsix(), folder: workspace });
  browser = await launchBrowser();
  page = await openWorkbench(browser, server.url, workspace);
});

after(async () => {
  // The state the suite ended in, failed or not: the first thing to look at when a step fails.
  if (page as Page | undefined) await screenshot(page, 'last').catch(() => undefined);
  await browser?.close();
  await server?.stop();
  fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
});

it('1. activates on examples/ and lists the findings of files never opened in the Problems view', async () => {
  await showProblems(page);
  await waitForProblemCount(page, EXPECTED_PROBLEMS.length);
  const problems = await readProblems(page);
  await screenshot(page, '1-problems');
  const actual = problems.map((p) => `${p.file}:${p.line} ${p.severity} ${p.ruleId}`).sort();
  assert.deepEqual(actual, [...EXPECTED_PROBLEMS].sort());
  // No editor was opened: these came from the workspace scan.
  assert.equal(await page.locator('.editor-group-container .tab').count(), 0);
});

it('2. squiggles the role-arn value of the ServiceAccount in the wrong namespace, and the hover explains it', async () => {
  await page.keyboard.press('Control+Shift+M'); // restore the editor area (the panel was maximised)
  await openFile(page, 'namespace-pinning/k8s/s3-reader.yaml');
  const [squiggle, ...others] = await squiggles(page, 'error');
  assert.equal(others.length, 0, 'one error in s3-reader.yaml');
  const value = await textBox(page, 'eks.amazonaws.com/role-arn', ROLE_ARN);
  assert.ok(coversSameText(squiggle!, value), `squiggle ${JSON.stringify(squiggle)} is not on the annotation value ${JSON.stringify(value)}`);

  // The hover is opened from the keyboard at the value's line and column: a mouse position measured on screen can go stale
  // when the editor's layout settles (code lenses, decorations), and then the hover never comes.
  const lines = fs.readFileSync(path.join(workspace, 'namespace-pinning/k8s/s3-reader.yaml'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('eks.amazonaws.com/role-arn') && l.includes(ROLE_ARN));
  await goTo(page, line + 1, lines[line]!.indexOf(ROLE_ARN) + 2);
  await runCommand(page, 'Show or Focus Hover');
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'sa-role-trust-mismatch' });
  await hover.waitFor({ timeout: 15_000 });
  const text = await hover.innerText();
  assert.match(text, /admits only 'system:serviceaccount:prod:s3-reader'/);
  assert.match(text, /AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity/);
  // The hover asks for quick fixes on the marker's range with only=quickfix (issue #17: it used to say "No quick fixes available").
  // The status row says "Checking for quick fixes…" first and is re-rendered with the answer: read the hover again until it has one.
  let status = '';
  const deadline = Date.now() + 15_000;
  while (!/Quick Fix|No quick fixes available/.test(status) && Date.now() < deadline) {
    status = await hover.innerText().catch(() => '');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.match(status, /Quick Fix/, 'the hover offers quick fixes on the flagship finding');
  const shot = await screenshot(page, '2-squiggle-and-hover');
  // The README shows this step; refresh it with IRSA_E2E_UPDATE_README_IMAGE=1 npm run test:e2e.
  if (process.env.IRSA_E2E_UPDATE_README_IMAGE === '1') fs.copyFileSync(shot, path.join(ROOT, 'docs', 'images', 'vscode-squiggle-hover.png'));
});

it('2b. Ctrl+. on the annotation offers the pin-sub fix; applying it clears the problem in both files', async () => {
  await applyQuickFix(page, workspace, {
    file: 'namespace-pinning/k8s/s3-reader.yaml',
    lineMarker: 'eks.amazonaws.com/role-arn',
    text: ROLE_ARN,
    title: "Pin sub to 'system:serviceaccount:demo:s3-reader'",
    problemsAfter: EXPECTED_PROBLEMS.length - 2,
    // The ServiceAccount's mismatch and the trust policy's "no such ServiceAccount" both go.
    gone: ['namespace-pinning/k8s/s3-reader.yaml sa-role-trust-mismatch', 'namespace-pinning/iam/s3-reader-trust.json trust-sub-no-service-account'],
  });
  await screenshot(page, '2b-quick-fix-applied');
});

it('3. the Karpenter-on-Fargate snippet in a new .tf file is analysed clean', async () => {
  // examples/karpenter-fargate runs the controller in namespace karpenter: fill that in, keep the other defaults.
  await acceptKarpenterFargateSnippet(page, workspace, ['module.eks.oidc_provider_arn', 'module.eks.oidc_provider', 'karpenter']);
  await screenshot(page, '3-snippet');
});

it('4. a .tf file is highlighted and Ctrl+/ toggles a # comment; a JSON trust policy marks the subject', async () => {
  const tf = 'missing-aud/main.tf';
  await openFile(page, tf);
  const editorSpans = page.locator('.editor-group-container .view-lines span[class^="mtk"]');
  await editorSpans.first().waitFor();
  const colours = new Set(await editorSpans.evaluateAll((spans) => spans.map((s) => s.className)));
  const highlighted = await screenshot(page, '4-terraform-highlighted');
  if (process.env.IRSA_E2E_UPDATE_README_IMAGE === '1') fs.copyFileSync(highlighted, path.join(ROOT, 'docs', 'images', 'vscode-terraform-highlighted.png'));
  // Without a grammar a .tf file is one colour.
  assert.ok(colours.size >= 5, `only ${colours.size} token colours in ${tf}`);

  const file = path.join(workspace, tf);
  const before = fs.readFileSync(file, 'utf8');
  const lines = before.split('\n');
  const line = lines.findIndex((l) => l.startsWith('resource '));
  await goTo(page, line + 1, 1);
  await page.keyboard.press('Control+/');
  await runCommand(page, 'File: Save');
  await waitUntil(() => fs.readFileSync(file, 'utf8').split('\n')[line] === `# ${lines[line]}`, `line ${line + 1} of ${tf} commented with #`);
  await page.keyboard.press('Control+/');
  await runCommand(page, 'File: Save');
  await waitUntil(() => fs.readFileSync(file, 'utf8') === before, `${tf} back as it was`);

  await openFile(page, 'namespace-pinning/iam/s3-reader-trust.json');
  const subjectLine = page.locator('.editor-group-container .view-line', { hasText: 'system:serviceaccount:' });
  await subjectLine.first().waitFor();
  const tokens = await subjectLine.first().locator('span[class^="mtk"]').evaluateAll((spans) => spans.map((s) => [s.textContent ?? '', s.className] as const));
  const subject = await screenshot(page, '4b-json-subject-highlighted');
  if (process.env.IRSA_E2E_UPDATE_README_IMAGE === '1') fs.copyFileSync(subject, path.join(ROOT, 'docs', 'images', 'vscode-json-subject-highlighted.png'));
  const classOf = (text: string): string | undefined => tokens.find(([t]) => t === text)?.[1];
  // Step 2b pinned the sub to demo/s3-reader.
  assert.ok(classOf('system:serviceaccount') && classOf('demo'), `subject not split into tokens: ${JSON.stringify(tokens)}`);
  assert.notEqual(classOf('system:serviceaccount'), classOf('demo'), 'the namespace has a colour of its own');
});

it('5. "Ignore <rule> on this line" from the lightbulb writes the comment; the finding goes and nothing else', async () => {
  // A file no step opened before: quick-opening a file again was the flaky part of this step.
  const file = 'https-in-key/main.tf';
  await applyQuickFix(page, workspace, {
    file,
    lineMarker: 'variable = ',
    text: 'aws_eks_cluster.main.identity',
    title: 'Ignore trust-condition-key-scheme on this line',
    // Two went in step 2b, step 3's sentinel added one, and this one goes (the :aud key's stays).
    problemsAfter: EXPECTED_PROBLEMS.length - 2 + 1 - 1,
    gone: [],
  });
  const text = fs.readFileSync(path.join(workspace, file), 'utf8');
  assert.match(text, /\n( +)# irsa-ignore trust-condition-key-scheme\n\1variable = "\$\{aws_eks_cluster\.main\.identity\[0\]\.oidc\[0\]\.issuer\}:sub"/);
  await showProblems(page);
  const left = (await readProblems(page)).filter((p) => p.file === file && p.ruleId === 'trust-condition-key-scheme').map((p) => p.line);
  assert.deepEqual(left, [39], 'the :aud key (one line lower now) keeps its finding');
  await page.keyboard.press('Control+Shift+M');
  const shot = await screenshot(page, '5-ignored-on-this-line');
  if (process.env.IRSA_E2E_UPDATE_README_IMAGE === '1') fs.copyFileSync(shot, path.join(ROOT, 'docs', 'images', 'vscode-ignore-on-this-line.png'));
});

async function waitUntil(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('6. the walkthrough\'s "Open the Example" opens a fresh copy of the example in a new window, with its finding listed', async () => {
  // A folder is open, so the example opens in a new window: in code-server, a new page.
  const opened = page.context().waitForEvent('page', { timeout: 30_000 });
  await runCommand(page, 'IRSA: Open the example (a fresh copy)');
  const example = await opened;
  try {
    await example.setViewportSize({ width: 1400, height: 1000 });
    await example.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
    await showProblems(example);
    await waitForProblemCount(example, 2);
    const problems = (await readProblems(example)).map((p) => `${path.basename(p.file)}:${p.line} ${p.severity} ${p.ruleId}`).sort();
    await screenshot(example, '6-walkthrough-example');
    assert.deepEqual(problems, ['s3-reader.tf:15 warning trust-sub-no-service-account', 's3-reader.yaml:8 error sa-role-trust-mismatch']);
  } finally {
    await example.close();
  }
});

it('7. the IRSA view lists the namespaces of the links, refreshed after the fixes of the steps above', async () => {
  await runCommand(page, 'Focus on IRSA View');
  const view = page.locator('.pane:has(.pane-header:has-text("IRSA"))');
  const rows = view.locator('.monaco-list-row');
  await rows.first().waitFor({ timeout: 30_000 });
  // Namespaces are the first level (collapsed): one per namespace with a ServiceAccount ↔ role link in examples/.
  await waitUntilAsync(async () => {
    const labels = (await rows.locator('.label-name').allInnerTexts()).map((t) => t.trim());
    return ['analytics', 'demo', 'external-dns', 'karpenter'].every((ns) => labels.includes(ns));
  }, 'the four namespaces in the IRSA view');
  const shot = await screenshot(page, '7-irsa-view');
  if (process.env.IRSA_E2E_UPDATE_README_IMAGE === '1') fs.copyFileSync(shot, path.join(ROOT, 'docs', 'images', 'vscode-irsa-view.png'));
});

async function waitUntilAsync(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
