/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The functions passed to page.evaluate run in the browser.)
/**
 * Drives the VS Code workbench (served by code-server) in Debian chromium
 * through playwright-core. Every wait is on the content of the page (the
 * Problems view, the editor's decorations, the hover), never on a delay.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ARTIFACTS, CHROMIUM, requireInstalled } from './paths';

/** One row of the Problems view: `folder/file:line ruleId`, as the user reads it. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: 'error' | 'warning' | 'info';
  readonly ruleId: string;
  readonly message: string;
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<Browser> {
  requireInstalled(CHROMIUM, 'scripts/e2e-install.sh (Debian chromium)');
  // playwright gives each launch a fresh, temporary profile directory.
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function openWorkbench(browser: Browser, url: string, folder: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs a command from the command palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Moves the cursor of the active editor with Go to Line/Column (1-based). */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  // Go to Line opens Quick Open with its `:` prefix.
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator(`.statusbar-item:has-text("Ln ${line}, Col ${column}")`).first().waitFor({ timeout: 10_000 });
}

/** Opens a workspace file through Quick Open and waits for its editor to be active. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = path.basename(relativePath);
  const dir = path.dirname(relativePath);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relativePath);
  // Several files share a name (main.tf): choose the row of this folder, not whichever comes first.
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasText: dir === '.' ? name : dir });
  await row.first().waitFor();
  await row.first().click();
  await page.locator(`.tab.active[aria-label*="${name}"]`).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** Opens the Problems view, maximised so that its virtual list renders every row. */
export async function showProblems(page: Page): Promise<void> {
  // The key toggles: pressed while the view is already open (an earlier step left it so), it would close it.
  if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor();
  if (!(await page.locator('.part.panel.maximized, .monaco-workbench.maximized-panel').count())) {
    await runCommand(page, 'View: Toggle Maximized Panel');
  }
}

/**
 * Waits until the Problems tab counts `expected` problems (the scan may still
 * be running) and the open Problems view has rendered that many marker rows
 * (the badge updates before the list does).
 */
export async function waitForProblemCount(page: Page, expected: number, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const tab = [...document.querySelectorAll('.panel .composite-bar .action-item')].find((e) => e.textContent?.startsWith('Problems') || e.getAttribute('aria-label')?.startsWith('Problems'));
      const badge = tab?.querySelector('.badge-content')?.textContent?.trim();
      const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].filter((e) => /^(Error|Warning|Info): /.test(e.getAttribute('aria-label') ?? ''));
      return badge === String(n) && rows.length === n;
    },
    expected,
    { timeout: timeoutMs, polling: 200 },
  );
}

/** The marker rows of the Problems view, with the file row each belongs to. */
export async function readProblems(page: Page): Promise<Problem[]> {
  const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
    els
      .map((e) => ({ index: Number(e.getAttribute('data-index')), aria: e.getAttribute('aria-label') ?? '', text: (e as HTMLElement).innerText }))
      .sort((a, b) => a.index - b.index),
  );
  const problems: Problem[] = [];
  let file = '';
  for (const row of rows) {
    const resource = /^\d+ problems? in file (.+) of folder (.+)$/.exec(row.aria);
    if (resource) {
      file = `${resource[2]}/${resource[1]}`;
      continue;
    }
    const marker = /^(Error|Warning|Info): /.exec(row.aria);
    if (!marker) continue; // related-information rows
    // The row reads: message, source, code, [Ln L, Col C].
    const lines = row.text.split('\n');
    const position = /\[Ln (\d+), Col (\d+)\]/.exec(lines.at(-1) ?? '');
    problems.push({
      file,
      line: Number(position?.[1]),
      column: Number(position?.[2]),
      severity: marker[1]!.toLowerCase() as Problem['severity'],
      ruleId: lines.at(-2) ?? '',
      message: lines[0] ?? '',
    });
  }
  return problems;
}
