/**
 * The fix providers, one per rule id, and the two ways fixes are asked for:
 * the fixes of one finding (the lightbulb) and the fixes of a whole file
 * (`source.fixAll.irsa`, fix on save).
 */
import type { Workspace } from '../index/workspace';
import type { Finding } from '../rules/types';
import { editsConflict, invalidEdits } from './edits';
import { fix as eksctlWithOidc } from './eksctl-with-oidc';
import { fix as imdsHopLimit } from './imds-hop-limit';
import { fix as karpenterV21FargateIrsa } from './karpenter-v21-fargate-irsa';
import { fix as karpenterV21RemovedInputs } from './karpenter-v21-removed-inputs';
import { fix as oidcProviderDualstack } from './oidc-provider-dualstack';
import { fix as oidcProviderClientId } from './oidc-provider-client-id';
import { fix as saAnnotationValue } from './sa-annotation-value';
import { fix as saAudienceMismatch } from './sa-audience-mismatch';
import { fix as saRoleArnMalformed } from './sa-role-arn-malformed';
import { fix as saTokenExpiration } from './sa-token-expiration';
import { fix as trustActionMismatch } from './trust-action-mismatch';
import { fix as trustAudValue } from './trust-aud-value';
import { fix as trustIssuerMismatch } from './trust-issuer-mismatch';
import { fix as trustSubFormat } from './trust-sub-format';
import { fix as saAnnotationTypo } from './sa-annotation-typo';
import { fix as saRoleTrustMismatch } from './sa-role-trust-mismatch';
import { fix as trustConditionKeyScheme } from './trust-condition-key-scheme';
import { fix as trustCrossAccountNoExternalId } from './trust-cross-account-no-external-id';
import { fix as trustIssuerStale } from './trust-issuer-stale';
import { fix as trustMissingAud } from './trust-missing-aud';
import { fix as trustMissingSub } from './trust-missing-sub';
import { fix as trustSubNoServiceAccount } from './trust-sub-no-service-account';
import { fix as trustWildcardUnderStringEquals } from './trust-wildcard-under-stringequals';
import type { Fix, FixContext, FixProvider, TextEdit } from './types';

export const FIX_PROVIDERS: readonly FixProvider[] = [
  oidcProviderClientId,
  saAnnotationValue,
  saAudienceMismatch,
  saRoleArnMalformed,
  saTokenExpiration,
  trustActionMismatch,
  trustAudValue,
  trustIssuerMismatch,
  trustSubFormat,
  eksctlWithOidc,
  imdsHopLimit,
  karpenterV21FargateIrsa,
  karpenterV21RemovedInputs,
  oidcProviderDualstack,
  saAnnotationTypo,
  saRoleTrustMismatch,
  trustConditionKeyScheme,
  trustCrossAccountNoExternalId,
  trustIssuerStale,
  trustMissingAud,
  trustMissingSub,
  trustSubNoServiceAccount,
  trustWildcardUnderStringEquals,
];

const PROVIDERS = new Map<string, FixProvider>(FIX_PROVIDERS.map((p) => [p.ruleId, p]));

export function hasFixes(ruleId: string): boolean {
  return PROVIDERS.has(ruleId);
}

/**
 * The fixes for one finding. A provider that throws or returns an edit that
 * cannot apply costs its fixes, not the request: `onError` hears why.
 * Enforces the contract's mechanics: at most one preferred fix, never a
 * widening one.
 */
export function fixesFor(finding: Finding, context: FixContext, onError?: (message: string) => void): readonly Fix[] {
  const provider = PROVIDERS.get(finding.ruleId);
  if (!provider) return [];
  let fixes: readonly Fix[];
  try {
    fixes = provider.fixes(finding, context);
  } catch (e) {
    onError?.(`The ${finding.ruleId} fix provider failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return [];
  }
  const valid: Fix[] = [];
  let preferredSeen = false;
  for (const fix of fixes) {
    const problem = fixProblem(fix, context);
    if (problem) {
      onError?.(`Dropped the ${finding.ruleId} fix "${fix.title}": ${problem}.`);
      continue;
    }
    const preferred: boolean = fix.preferred === true && !fix.widens && !preferredSeen;
    preferredSeen ||= preferred;
    valid.push(preferred === (fix.preferred === true) ? fix : { ...fix, preferred });
  }
  return valid;
}

function fixProblem(fix: Fix, context: FixContext): string | undefined {
  if (fix.changes.length === 0) return 'it changes nothing';
  for (const change of fix.changes) {
    if (change.kind === 'create') {
      if (context.text(change.uri) !== undefined) return `it would overwrite ${change.uri}`;
      continue;
    }
    const text = context.text(change.uri);
    if (text === undefined) return `it edits ${change.uri}, which is not in the workspace`;
    const problem = invalidEdits(text, change.edits);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * One fix holding the preferred fix of every finding in `uri` whose edits
 * stay in that file, skipping any that would touch text an earlier one
 * edits (the next run picks it up). Undefined when there is nothing to fix.
 */
export function fixAllInFile(uri: string, findings: readonly Finding[], context: FixContext, onError?: (message: string) => void): Fix | undefined {
  const edits: TextEdit[] = [];
  let count = 0;
  for (const finding of findings) {
    if (finding.span.uri !== uri) continue;
    const preferred = fixesFor(finding, context, onError).find((f) => f.preferred);
    if (!preferred || preferred.snippet || !preferred.changes.every((c) => c.kind === 'edit' && c.uri === uri)) continue;
    const candidate = preferred.changes.flatMap((c) => (c.kind === 'edit' ? c.edits : []));
    if (editsConflict([...edits, ...candidate])) continue;
    edits.push(...candidate);
    count++;
  }
  if (count === 0) return undefined;
  return { title: count === 1 ? 'Fix the IRSA problem in this file' : `Fix ${count} IRSA problems in this file`, changes: [{ kind: 'edit', uri, edits }], preferred: true };
}

/** The context for fixes of the workspace as it is now. */
export function fixContextOf(workspace: Workspace): FixContext {
  return { model: workspace.model(), text: (uri) => workspace.text(uri), lines: (uri) => workspace.lines(uri) };
}
