/**
 * Every rule, sorted by id (a test keeps it so). Adding a rule: a file
 * named by its id (meta, check, payload, fixes), an entry here,
 * docs/rules/<id>.md, and its tests in test/rules/<id>/: fixtures and, if
 * it has fixes, fixes.test.ts.
 *
 * `RuleId` is derived from this list, so code that names a rule by id
 * (`RuleId`-typed) does not compile with a misspelt one.
 */
import { rule as eksctlWithOidc } from './eksctl-with-oidc';
import { rule as imdsHopLimit } from './imds-hop-limit';
import { rule as karpenterV21FargateIrsa } from './karpenter-v21-fargate-irsa';
import { rule as karpenterV21RemovedInputs } from './karpenter-v21-removed-inputs';
import { rule as moduleOutputUnknown } from './module-output-unknown';
import { rule as oidcProviderClientId } from './oidc-provider-client-id';
import { rule as oidcProviderDualstack } from './oidc-provider-dualstack';
import { rule as oidcProviderMissing } from './oidc-provider-missing';
import { rule as parseError } from './parse-error';
import { rule as podIdentityOnFargate } from './pod-identity-on-fargate';
import { rule as roleUnused } from './role-unused';
import { rule as saAnnotationTypo } from './sa-annotation-typo';
import { rule as saAnnotationValue } from './sa-annotation-value';
import { rule as saAudienceMismatch } from './sa-audience-mismatch';
import { rule as saLiveDrift } from './sa-live-drift';
import { rule as saLiveMissing } from './sa-live-missing';
import { rule as saRoleArnMalformed } from './sa-role-arn-malformed';
import { rule as saRoleMissing } from './sa-role-missing';
import { rule as saRoleNotWebIdentity } from './sa-role-not-web-identity';
import { rule as saRoleTrustMismatch } from './sa-role-trust-mismatch';
import { rule as saSharedRole } from './sa-shared-role';
import { rule as saTokenExpiration } from './sa-token-expiration';
import { rule as trustActionMismatch } from './trust-action-mismatch';
import { rule as trustAudValue } from './trust-aud-value';
import { rule as trustCiMissingSub } from './trust-ci-missing-sub';
import { rule as trustConditionKeyScheme } from './trust-condition-key-scheme';
import { rule as trustConditionOperator } from './trust-condition-operator';
import { rule as trustCrossAccountNoExternalId } from './trust-cross-account-no-external-id';
import { rule as trustDuplicateKey } from './trust-duplicate-key';
import { rule as trustIssuerMismatch } from './trust-issuer-mismatch';
import { rule as trustIssuerStale } from './trust-issuer-stale';
import { rule as trustLiveDrift } from './trust-live-drift';
import { rule as trustMissingAud } from './trust-missing-aud';
import { rule as trustMissingSub } from './trust-missing-sub';
import { rule as trustPolicySize } from './trust-policy-size';
import { rule as trustPrincipalMalformed } from './trust-principal-malformed';
import { rule as trustSharedRole } from './trust-shared-role';
import { rule as trustSubCommonAccount } from './trust-sub-common-account';
import { rule as trustSubFormat } from './trust-sub-format';
import { rule as trustSubNoServiceAccount } from './trust-sub-no-service-account';
import { rule as trustSubSeveralRoles } from './trust-sub-several-roles';
import { rule as trustSubWildcard } from './trust-sub-wildcard';
import { rule as trustWildcardUnderStringequals } from './trust-wildcard-under-stringequals';
import type { Rule } from './types';

export const RULES = [
  eksctlWithOidc,
  imdsHopLimit,
  karpenterV21FargateIrsa,
  karpenterV21RemovedInputs,
  moduleOutputUnknown,
  oidcProviderClientId,
  oidcProviderDualstack,
  oidcProviderMissing,
  parseError,
  podIdentityOnFargate,
  roleUnused,
  saAnnotationTypo,
  saAnnotationValue,
  saAudienceMismatch,
  saLiveDrift,
  saLiveMissing,
  saRoleArnMalformed,
  saRoleMissing,
  saRoleNotWebIdentity,
  saRoleTrustMismatch,
  saSharedRole,
  saTokenExpiration,
  trustActionMismatch,
  trustAudValue,
  trustCiMissingSub,
  trustConditionKeyScheme,
  trustConditionOperator,
  trustCrossAccountNoExternalId,
  trustDuplicateKey,
  trustIssuerMismatch,
  trustIssuerStale,
  trustLiveDrift,
  trustMissingAud,
  trustMissingSub,
  trustPolicySize,
  trustPrincipalMalformed,
  trustSharedRole,
  trustSubCommonAccount,
  trustSubFormat,
  trustSubNoServiceAccount,
  trustSubSeveralRoles,
  trustSubWildcard,
  trustWildcardUnderStringequals,
] as const satisfies readonly Rule[];

export type RuleId = (typeof RULES)[number]['meta']['id'];

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));

export const RULE_IDS: ReadonlySet<string> = new Set(BY_ID.keys());

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
