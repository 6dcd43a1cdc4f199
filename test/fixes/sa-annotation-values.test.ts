import { before, describe, it } from 'node:test';
import { initParsers } from '../../server/src/node/host';
import { checkFix, checkNoFix } from '../support/fixes';

const EXPIRATION = 'eks.amazonaws.com/token-expiration';
const REGIONAL = 'eks.amazonaws.com/sts-regional-endpoints';

before(async () => {
  await initParsers();
});

const yaml = (key: string, value: string): string => `//- /k8s/reader.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader
  namespace: payments
  annotations:
    ${key}: ${value}
`;

const terraform = (key: string, value: string): string => `//- /infra/sa.tf
resource "kubernetes_service_account_v1" "reader" {
  metadata {
    name      = "reader"
    namespace = "payments"
    annotations = {
      "${key}" = ${value}
    }
  }
}
`;

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
