/**
 * The ServiceAccount `payments/reader` (the one the statements of
 * trust-fixtures.ts admit) as a fixture file, with the annotations a test
 * gives: for the fix tests of the rules that read or edit its annotations.
 */
export const READER_ROLE_ARN = 'arn:aws:iam::111122223333:role/reader';

/** `annotations` as written, values included: a YAML scalar here, with its quotes if any. */
function manifest(annotations: readonly (readonly [key: string, value: string])[]): string {
  return `//- /k8s/reader.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader
  namespace: payments
  annotations:
${annotations.map(([key, value]) => `    ${key}: ${value}\n`).join('')}`;
}

/** The manifest with one annotation, `key: value`. */
export function serviceAccountYaml(key: string, value: string): string {
  return manifest([[key, value]]);
}

/** The manifest with its role-arn annotation and, when given, an audience annotation after it. */
export function serviceAccountYamlWithRole(roleArn: string, audience?: string): string {
  return manifest([['eks.amazonaws.com/role-arn', roleArn], ...(audience ? [['eks.amazonaws.com/audience', audience] as const] : [])]);
}

/** The ServiceAccount as a Terraform `kubernetes_service_account_v1` with one annotation; `value` is an HCL expression. */
export function serviceAccountTerraform(key: string, value: string): string {
  return `//- /infra/sa.tf
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
}
