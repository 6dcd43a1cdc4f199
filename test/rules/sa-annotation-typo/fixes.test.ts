import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { READER_ROLE_ARN as ROLE_ARN, serviceAccountTerraform, serviceAccountYaml } from '../../support/service-account-fixtures';

const RULE = 'sa-annotation-typo';

before(async () => {
  await initParsers();
});

const yaml = (key: string, extra = ''): string => serviceAccountYaml(key, `${ROLE_ARN}${extra}`);

const terraform = (key: string): string => serviceAccountTerraform(key, `"${ROLE_ARN}"`);

describe(`fixes for ${RULE}`, () => {
  it('renames a YAML key (preferred)', () => {
    checkFix({ rule: RULE, title: 'Rename the annotation to `eks.amazonaws.com/role-arn`', preferred: true, before: yaml('eks.amazon.com/role-arn'), after: yaml('eks.amazonaws.com/role-arn') });
  });

  it('renames a Terraform map key', () => {
    checkFix({ rule: RULE, title: 'Rename the annotation to `eks.amazonaws.com/role-arn`', before: terraform('eks.amazon.com/role-arn'), after: terraform('eks.amazonaws.com/role-arn') });
  });

  it('offers nothing when the intended key is already there', () => {
    checkNoFix(yaml('eks.amazon.com/role-arn', `\n    eks.amazonaws.com/role-arn: ${ROLE_ARN}`), RULE);
  });
});
