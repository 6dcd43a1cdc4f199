/**
 * The SARIF 2.1.0 JSON schema (the final, rtm.5 one, as shipped by the
 * pinned @microsoft/jest-sarif package; ajv is pinned too), compiled once.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Ajv from 'ajv';

const SCHEMA = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
const DRAFT_04 = JSON.parse(fs.readFileSync(require.resolve('ajv/lib/refs/json-schema-draft-04.json'), 'utf8')) as object;

// The schema is draft-04 (`id`, not `$id`).
const ajv = new Ajv({ schemaId: 'id', allErrors: true });
ajv.addMetaSchema(DRAFT_04);
export const validateSarif = ajv.compile(SCHEMA);

/** Fails with ajv's list of errors when `log` (JSON text) is not valid SARIF 2.1.0. */
export function assertValidSarif(log: string, what: string): void {
  const ok = validateSarif(JSON.parse(log));
  assert.ok(ok, `${what}: ${ajv.errorsText(validateSarif.errors, { separator: '\n' })}`);
}
