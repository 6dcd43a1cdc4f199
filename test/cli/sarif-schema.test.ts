/**
 * Our SARIF against the SARIF 2.1.0 JSON schema (test/support/sarif-schema.ts):
 * on one root and on several, with cross-file related locations, skipped
 * files and rule metadata. A consumer such as GitHub code scanning rejects
 * a log that does not validate.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { assertValidSarif as assertValid, validateSarif as validate } from '../support/sarif-schema';
import { runCli, scratchWorkspace, WORKSPACES } from './support';

describe('irsa-lint --format sarif against the SARIF 2.1.0 schema', () => {
  it('validates on one root, several roots and the examples', () => {
    assertValid(runCli(['cli-mismatch', '--format', 'sarif']).stdout, 'cli-mismatch');
    assertValid(runCli(['infra', 'gitops', '--format', 'sarif'], { cwd: path.join(WORKSPACES, 'cli-roots') }).stdout, 'cli-roots');
    assertValid(runCli(['.', '--format', 'sarif', '--no-live'], { cwd: path.join(WORKSPACES, '..', '..', '..', 'examples') }).stdout, 'examples');
  });

  it('validates with skipped files and a clean workspace', () => {
    const dir = scratchWorkspace('cli-clean', { 'big.json': `{"a": "${'x'.repeat(3000)}"}` });
    assertValid(runCli(['.', '--format', 'sarif', '--max-file-size-kb', '1'], { cwd: dir }).stdout, 'skipped');
  });

  it('is a real check: a log missing a required property fails', () => {
    const log = JSON.parse(runCli(['cli-mismatch', '--format', 'sarif']).stdout) as { runs: { results: { message?: unknown }[] }[] };
    delete log.runs[0]!.results[0]!.message;
    assert.equal(validate(log), false);
  });
});
