/**
 * Every rule is documented: its page in docs/rules/ has the sections users
 * rely on, and both READMEs list it with a link. A new rule without docs
 * fails here, not in a user's editor.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../server/src/rules/registry';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('rule documentation', () => {
  const readme = read('README.md');
  const index = read('docs/rules/README.md');
  for (const { meta } of RULES) {
    it(meta.id, () => {
      const page = read(`docs/rules/${meta.id}.md`);
      assert.match(page, new RegExp(`^# ${meta.id}\\b`), 'title is the rule id');
      assert.match(page, new RegExp(`Default severity: \\*\\*${meta.defaultSeverity}\\*\\*`), 'states the default severity');
      for (const section of ['## Why it breaks', '## How to fix', '## Quick fix', '### Bad', '### Good', '## What the rule does not report', '## Configuration']) {
        assert.ok(page.includes(section), `has "${section}"`);
      }
      // The Quick fix section names the fixes of a fixable rule, and says "None" (with why) for the others.
      const quickFix = /## Quick fix\n([\s\S]*?)\n## /.exec(page)?.[1] ?? '';
      if (meta.fixable) assert.match(quickFix, /\*\*[^*]+\*\*/, 'a fixable rule names its fixes in bold, as the lightbulb shows them');
      else assert.match(quickFix, /^None: /, 'a rule without fixes says so, and why');
      assert.ok(readme.includes(`](docs/rules/${meta.id}.md)`), 'README.md links the page');
      assert.ok(index.includes(`(${meta.id}.md)`), 'docs/rules/README.md links the page');
    });
  }

  it('the registry lists each rule once, sorted by id, each from the file named by its id', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    const files = fs.readdirSync(path.join(ROOT, 'server', 'src', 'rules')).filter((f) => f.endsWith('.ts') && !['registry.ts', 'types.ts', 'fixes.ts'].includes(f));
    assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), ids);
  });

  it('the README rules table has one row per rule, no more', () => {
    const rows = [...readme.matchAll(/^\| \[`([a-z0-9-]+)`\]\(docs\/rules\//gm)].map((m) => m[1]!);
    assert.deepEqual([...rows].sort(), RULES.map((r) => r.meta.id).sort());
  });
});
