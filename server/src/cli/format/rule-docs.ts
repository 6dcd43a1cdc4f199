/**
 * Each rule's page, `docs/rules/<id>.md`, for SARIF's `fullDescription`
 * and `help`. From compiled sources the pages are read from the repository;
 * the bundle carries them instead: scripts/build.mjs replaces this module
 * with one that exports the same map, filled at build time, since the
 * installed package ships no docs/ folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULE_IDS } from '../../rules/registry';

/** Markdown by rule id; a rule without a page is absent. */
export const RULE_DOCS: Readonly<Record<string, string>> = readRuleDocs(path.join(__dirname, '..', '..', '..', '..', 'docs', 'rules'));

function readRuleDocs(dir: string): Record<string, string> {
  const docs: Record<string, string> = {};
  for (const id of RULE_IDS) {
    try {
      docs[id] = fs.readFileSync(path.join(dir, `${id}.md`), 'utf8');
    } catch {
      // No page: SARIF falls back to the title and the docs link.
    }
  }
  return docs;
}
