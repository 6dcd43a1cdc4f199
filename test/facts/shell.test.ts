import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex } from '../../server/src/common/text';
import { extractShellRoleLinks } from '../../server/src/facts/shell';

const DIR = 'file:///repo/iam';
const links = (script: string) => extractShellRoleLinks(`${DIR}/create.sh`, DIR, new LineIndex(script)).map((l) => [l.roleName, l.policyUri, l.span.range.start.line]);

describe('shell role links', () => {
  it('reads create-role with line continuations and quotes', () => {
    const script = '#!/bin/sh\nset -e\naws iam create-role \\\n  --role-name "s3-reader" \\\n  --assume-role-policy-document file://trust/s3.json\n';
    assert.deepEqual(links(script), [['s3-reader', 'file:///repo/iam/trust/s3.json', 2]]);
  });

  it('reads update-assume-role-policy and the --opt=value form', () => {
    assert.deepEqual(links('aws iam update-assume-role-policy --role-name=app --policy-document=file://../app.json\n'), [['app', 'file:///repo/app.json', 0]]);
  });

  it('links nothing through shell variables or non-file documents', () => {
    assert.deepEqual(links('aws iam create-role --role-name "$ROLE" --assume-role-policy-document file://t.json\n'), []);
    assert.deepEqual(links('aws iam create-role --role-name app --assume-role-policy-document "$(cat t.json)"\n'), []);
    assert.deepEqual(links('aws iam create-role --role-name app --assume-role-policy-document file:///etc/t.json\n'), []);
  });

  it('does not run across commands', () => {
    const script = 'aws iam create-role --role-name a\naws s3 ls --assume-role-policy-document file://x.json\n';
    assert.deepEqual(links(script), []);
  });
});
