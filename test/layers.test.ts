/**
 * The layer order is enforced by lint (`irsa/layers`, scripts/eslint-layers.mjs):
 * this checks the rule fires through the project's own ESLint config, so an
 * import against the order fails `npm test`, and that the tree obeys it.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = path.join(__dirname, '..', '..');

async function layerErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'irsa/layers').map((m) => m.message);
}

describe('layer order', () => {
  it('refuses an import from a higher layer', async () => {
    const errors = await layerErrors('server/src/index/new-module.ts', "import { RULES } from '../rules/registry';\nexport const n = RULES.length;\n");
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /index\/ is below rules\//);
  });

  it('refuses imports between lsp/ and cli/, and anything but shared/ in the client', async () => {
    assert.equal((await layerErrors('server/src/cli/new-module.ts', "import { SERVER_NAME } from '../lsp/server';\nexport const n = SERVER_NAME;\n")).length, 1);
    assert.equal((await layerErrors('client/src/new-module.ts', "import { RULES } from '../../server/src/rules/registry';\nexport const n = RULES.length;\n")).length, 1);
    assert.deepEqual(await layerErrors('client/src/new-module.ts', "import { SETTINGS_SECTION } from '../../shared/settings';\nexport const n = SETTINGS_SECTION;\n"), []);
  });

  it('lets a layer import its own files and the layers below', async () => {
    assert.deepEqual(await layerErrors('server/src/rules/new-rule.ts', "import { subjectOf } from '../index/irsa';\nimport type { Rule } from './types';\nexport type R = Rule;\nexport const s = subjectOf;\n"), []);
  });
});
