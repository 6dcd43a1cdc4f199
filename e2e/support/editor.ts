/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The functions passed to page.evaluate run in the browser.)
/** Geometry of the active Monaco editor: where a text is, and where a squiggle is. */
import type { Page } from 'playwright-core';

export interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The screen box of `text` on the first rendered line of the active editor that contains `lineMarker`. */
export async function textBox(page: Page, lineMarker: string, text: string): Promise<Box> {
  const box = await page.evaluate(
    ([marker, needle]) => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      const line = [...(editor?.querySelectorAll('.view-line') ?? [])].find((l) => l.textContent?.includes(marker));
      if (!line) return undefined;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      const nodes: Text[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const full = nodes.map((n) => n.data).join('');
      const start = full.indexOf(needle);
      if (start < 0) return undefined;
      const at = (offset: number): [Text, number] => {
        for (const n of nodes) {
          if (offset <= n.data.length) return [n, offset];
          offset -= n.data.length;
        }
        throw new Error('offset out of range');
      };
      const range = document.createRange();
      range.setStart(...at(start));
      range.setEnd(...at(start + needle.length));
      const r = range.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    },
    [lineMarker, text] as const,
  );
  if (!box) throw new Error(`"${text}" is not rendered on a line with "${lineMarker}"`);
  return box;
}

/** The screen boxes of the squiggles of one severity in the active editor, once there is at least one. */
export async function squiggles(page: Page, severity: 'error' | 'warning'): Promise<Box[]> {
  const selector = `.editor-group-container.active .monaco-editor .squiggly-${severity}`;
  await page.locator(selector).first().waitFor({ timeout: 30_000 });
  return page.locator(selector).evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }),
  );
}

/** True when `inner` spans `outer` horizontally within `tolerance` pixels and overlaps it vertically. */
export function coversSameText(squiggle: Box, text: Box, tolerance = 3): boolean {
  return (
    Math.abs(squiggle.left - text.left) <= tolerance &&
    Math.abs(squiggle.right - text.right) <= tolerance &&
    squiggle.top < text.bottom + tolerance &&
    squiggle.bottom > text.top - tolerance
  );
}
