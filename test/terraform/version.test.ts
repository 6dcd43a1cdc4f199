/**
 * Module version constraints, read as Terraform (hashicorp/go-version) reads
 * them: the Karpenter v21 rules hang on "is every admitted version 21 or later".
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admitsOnlyMajorAtLeast, exactVersion, parseVersionConstraint } from '../../server/src/terraform/version';

describe('version constraints', () => {
  it('reads the ranges Terraform admits', () => {
    assert.deepEqual(parseVersionConstraint('21.3.1'), { lower: [21, 3, 1], upper: [21, 3, 2] });
    assert.deepEqual(parseVersionConstraint('= 21.3.1'), { lower: [21, 3, 1], upper: [21, 3, 2] });
    assert.deepEqual(parseVersionConstraint('~> 21.0'), { lower: [21, 0, 0], upper: [22, 0, 0] });
    assert.deepEqual(parseVersionConstraint('~> 21.3.1'), { lower: [21, 3, 1], upper: [21, 4, 0] });
    assert.deepEqual(parseVersionConstraint('~> 21'), { lower: [21, 0, 0] }, '`~> 21` bounds nothing above, as in go-version');
    assert.deepEqual(parseVersionConstraint('>= 21'), { lower: [21, 0, 0] });
    assert.deepEqual(parseVersionConstraint('>= 21.0, < 22.0'), { lower: [21, 0, 0], upper: [22, 0, 0] });
    assert.deepEqual(parseVersionConstraint('> 20.9.9, != 21.1.0'), { lower: [20, 9, 10] });
    assert.deepEqual(parseVersionConstraint('<= 20.37.2'), { lower: [0, 0, 0], upper: [20, 37, 3] });
  });

  it('is unknown for what it cannot read, never a guess', () => {
    for (const text of ['~> 20 || 21', 'latest', '', '>= 22, < 21', '21.x', ', 21']) {
      assert.equal(parseVersionConstraint(text), undefined, text);
    }
  });

  it('answers "at least major 21" three-valued', () => {
    for (const yes of ['~> 21.0', '>= 21', '21.3.1', '>= 21.0, < 22.0', '~> 21.1', 'v21.0.1', '21.0.0-rc1']) assert.equal(admitsOnlyMajorAtLeast(yes, 21), true, yes);
    for (const no of ['~> 20.0', '20.37.2', '< 21.0.0', '>= 19, < 21']) assert.equal(admitsOnlyMajorAtLeast(no, 21), false, no);
    for (const maybe of [undefined, '>= 20', '~> 20', '>= 20.0, < 22.0', '~> 20 || 21']) assert.equal(admitsOnlyMajorAtLeast(maybe, 21), undefined, String(maybe));
  });

  it('recognises a single pinned release', () => {
    assert.deepEqual(exactVersion('21.0.0'), [21, 0, 0]);
    assert.deepEqual(exactVersion('= 21.0.0'), [21, 0, 0]);
    assert.deepEqual(exactVersion('>= 21.0.0, < 21.0.1'), [21, 0, 0]);
    assert.equal(exactVersion('~> 21.0.0'), undefined);
    assert.equal(exactVersion('21.0.0-rc1'), undefined);
    assert.equal(exactVersion(undefined), undefined);
  });
});
