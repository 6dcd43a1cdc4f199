import { before, describe, it } from 'node:test';
import { initParsers } from '../../../server/src/node/host';
import { checkFix, checkNoFix } from '../../support/fixes';
import { serviceAccountTerraform as terraform, serviceAccountYaml as yaml } from '../../support/service-account-fixtures';

const EXPIRATION = 'eks.amazonaws.com/token-expiration';

before(async () => {
  await initParsers();
});

const terraformFromVariable = `//- /infra/sa.tf
variable "expiration" {
  default = "300"
}

resource "kubernetes_service_account_v1" "reader" {
  metadata {
    name      = "reader"
    namespace = "payments"
    annotations = {
      "${EXPIRATION}" = var.expiration
    }
  }
}

resource "kubernetes_service_account_v1" "writer" {
  metadata {
    name      = "writer"
    namespace = "payments"
    annotations = {
      "${EXPIRATION}" = var.expiration
    }
  }
}
`;

describe('fixes for sa-token-expiration', () => {
  const RULE = 'sa-token-expiration';

  it('raises a quoted YAML value to 600 (preferred)', () => {
    checkFix({ rule: RULE, title: 'Set the token expiration to `600` seconds', preferred: true, before: yaml(EXPIRATION, '"300"'), after: yaml(EXPIRATION, '"600"') });
  });

  it('writes a plain YAML number as a quoted string', () => {
    checkFix({ rule: RULE, title: 'Set the token expiration to `600` seconds', before: yaml(EXPIRATION, '300'), after: yaml(EXPIRATION, '"600"') });
  });

  it('keeps single quotes', () => {
    checkFix({ rule: RULE, title: 'Set the token expiration to `600` seconds', before: yaml(EXPIRATION, "'60'"), after: yaml(EXPIRATION, "'600'") });
  });

  it('turns a duration with a unit into whole seconds', () => {
    checkFix({ rule: RULE, title: 'Set the token expiration to `3600` seconds', preferred: true, before: yaml(EXPIRATION, '"3600s"'), after: yaml(EXPIRATION, '"3600"') });
    checkFix({ rule: RULE, title: 'Set the token expiration to `7200` seconds', before: yaml(EXPIRATION, '"2h"'), after: yaml(EXPIRATION, '"7200"') });
  });

  it('a duration below the minimum becomes 600', () => {
    checkFix({ rule: RULE, title: 'Set the token expiration to `600` seconds', before: yaml(EXPIRATION, '"5m"'), after: yaml(EXPIRATION, '"600"') });
  });

  it('rewrites a Terraform map value', () => {
    checkFix({ rule: RULE, title: 'Set the token expiration to `600` seconds', before: terraform(EXPIRATION, '"120"'), after: terraform(EXPIRATION, '"600"') });
  });

  it('offers nothing for a value whose meaning is a guess', () => {
    checkNoFix(yaml(EXPIRATION, '"one hour"'), 'sa-token-expiration');
    checkNoFix(yaml(EXPIRATION, '"1.5h"'), 'sa-token-expiration');
  });

  it('offers nothing for a variable two ServiceAccounts read', () => {
    checkNoFix(terraformFromVariable, 'sa-token-expiration', undefined, 0);
  });
});
