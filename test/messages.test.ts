/**
 * No message shows an internal placeholder. Every finding's message and
 * every fix title the behaviour snapshot holds (rule fixtures, test
 * workspaces, examples) is scanned for the renderings a value the engine
 * cannot compute used to leak (`${?}`) and for the ones a bug in a template
 * string would leak (`undefined`, `[object Object]`, `NaN`, an empty `${}`).
 * An unknown value is shown as the expression it comes from or as a phrase
 * saying what is unknown (issue #13).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { display } from '../server/src/common/value';
import { initParsers } from '../server/src/node/host';
import { extractTerraformModule } from '../server/src/terraform/module';
import { parseHcl } from '../server/src/parse/hcl';
import { LineIndex } from '../server/src/common/text';

const GOLDEN = path.join(__dirname, '..', '..', 'test', 'golden', 'behaviour.json');
const INTERNAL = [/\$\{\?\}/, /\$\{\s*\}/, /\bundefined\b/, /\[object Object\]/, /\bNaN\b/];

before(async () => {
  await initParsers();
});

/** Every string under `message` or `title` keys, with where it is. */
function* texts(value: unknown, where: string): Generator<[string, string]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* texts(item, `${where}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if ((key === 'message' || key === 'title') && typeof inner === 'string') yield [`${where}.${key}`, inner];
      else yield* texts(inner, `${where}.${key}`);
    }
  }
}

describe('messages never show an internal placeholder', () => {
  it('holds for every message and fix title of the behaviour snapshot', () => {
    const golden: unknown = JSON.parse(fs.readFileSync(GOLDEN, 'utf8'));
    let count = 0;
    const leaks: string[] = [];
    for (const [where, text] of texts(golden, '')) {
      count++;
      if (INTERNAL.some((re) => re.test(text))) leaks.push(`${where}: ${text.slice(0, 200)}`);
    }
    assert.ok(count > 500, `the snapshot holds messages (${count})`);
    assert.deepEqual(leaks, []);
  });

  it('names the expression an unknown Terraform value comes from', () => {
    const text = [
      'variable "issuer" {}',
      'locals {',
      '  key    = "${var.issuer}:aud"',
      '  strip  = "${replace(var.issuer, "https://", "")}:sub"',
      '  name   = "${module.platform.cluster_name}-reader"',
      '}',
      'resource "aws_iam_role" "r" {',
      '  name_prefix = "reader-"',
      '  assume_role_policy = jsonencode({',
      '    Statement = [{',
      '      Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity",',
      '      Principal = { Federated = var.provider_arn },',
      '      Condition = { StringEquals = { (local.key) = "sts.amazonaws.com", (local.strip) = "system:serviceaccount:a:b" } }',
      '    }]',
      '  })',
      '}',
    ].join('\n');
    const uri = 'file:///w/main.tf';
    const facts = extractTerraformModule('file:///w', [{ uri, lines: new LineIndex(text), hcl: parseHcl(text), isTfvars: false, isAutoTfvars: false }]);
    const role = facts.roles[0];
    assert.ok(role);
    assert.equal(display(role.name), 'reader-<suffix Terraform generates for name_prefix>');
    const statement = facts.trustPolicies[0]?.statements[0];
    assert.ok(statement);
    assert.deepEqual(
      statement.conditions.map((c) => display(c.key.value)),
      ['${var.issuer}:aud', '${replace(var.issuer, "https://", "")}:sub'],
    );
  });
});
