// Renders images/icon.svg to the 128x128 images/icon.png that the Marketplace
// and VS Code show (they do not accept SVG icons). Run it after editing the SVG
// and commit both: `node scripts/render-icon.mjs` (needs Debian chromium).
import { chromium } from 'playwright-core';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const svg = fs.readFileSync(path.join(root, 'images/icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: path.join(root, 'images/icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('wrote images/icon.png');
