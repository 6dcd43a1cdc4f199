import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { serviceAccountTerraform as terraform, serviceAccountYaml as yaml } from '../../support/service-account-fixtures';

const REGIONAL = 'eks.amazonaws.com/sts-regional-endpoints';

before(async () => {
  await initParsers();
});

describe('fixes for sa-annotation-value', () => {
  const RULE = 'sa-annotation-value';

  it('writes "true" for yes (preferred)', () => {
    checkFix({ rule: RULE, title: 'Set sts-regional-endpoints to `"true"`', preferred: true, before: yaml(REGIONAL, '"yes"'), after: yaml(REGIONAL, '"true"') });
  });

  it('writes "false" for a plain off', () => {
    checkFix({ rule: RULE, title: 'Set sts-regional-endpoints to `"false"`', before: yaml(REGIONAL, "'off'"), after: yaml(REGIONAL, "'false'") });
  });

  it('fixes the case and spaces of a Go boolean', () => {
    checkFix({ rule: RULE, title: 'Set sts-regional-endpoints to `"true"`', before: yaml(REGIONAL, '" TRUE"'), after: yaml(REGIONAL, '"true"') });
    checkFix({ rule: RULE, title: 'Set sts-regional-endpoints to `"true"`', before: yaml(REGIONAL, '"tRue"'), after: yaml(REGIONAL, '"true"') });
  });

  it('rewrites a Terraform map value', () => {
    checkFix({ rule: RULE, title: 'Set sts-regional-endpoints to `"false"`', before: terraform(REGIONAL, '"disabled"'), after: terraform(REGIONAL, '"false"') });
  });

  it('offers nothing for a value that is not a yes or a no', () => {
    checkNoFix(yaml(REGIONAL, '"regional"'), RULE);
  });
});
