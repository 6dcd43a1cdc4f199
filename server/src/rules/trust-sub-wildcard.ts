/**
 * `trust-sub-wildcard`: `StringLike` with a wildcard sub admits every
 * ServiceAccount the pattern matches. A pattern after a fixed name prefix
 * (what controllers with generated account names need) is a note; a
 * pattern another sub condition narrows to exact subjects is not reported.
 */
import { CROSSPLANE_PROVIDER_PREFIXES } from '../index/consumers';
import { knownText } from '../common/value';
import type { Condition, TrustStatement } from '../facts/types';
import { claimValues, conditionsForClaim, hasWildcard, operatorSemantics } from '../index/irsa';
import { subjectProblem } from '../index/well-formed';
import { forEachEksStatement } from './support/memo';
import { defineRule } from './types';

export const rule = defineRule({
  meta: { id: 'trust-sub-wildcard', defaultSeverity: 'warning', title: 'StringLike sub condition with a wildcard admits many ServiceAccounts' },
  check(model, report) {
    forEachEksStatement(
      model,
      'trust-sub-wildcard',
      [],
      ({ policy, statement }, report) => {
        // terraform-aws-modules builds the pattern from `namespace_service_accounts` and its condition test input.
        const inputs = policy.moduleInputs;
        const fix = inputs
          ? `List exact \`<namespace>:<name>\` entries in \`${inputs.subjects}\` and drop the StringLike condition test (one role per ServiceAccount).`
          : 'Pin the exact `system:serviceaccount:<namespace>:<name>` with StringEquals (one role per ServiceAccount).';
        const values = claimValues(statement, 'sub');
        for (const v of values) {
          if (v.semantics !== 'like' || !hasWildcard(v.value)) continue;
          // A pattern no subject can match widens nothing: trust-sub-format reports it.
          if (subjectProblem(v.value, true) !== undefined) continue;
          // Conditions are ANDed: another sub condition that pins exact subjects (StringEquals beside
          // StringLike on the same key) narrows the statement to those, whatever this pattern admits.
          if (pinnedByAnotherCondition(statement, v.condition)) continue;
          const prefix = controllerPrefix(v.value);
          if (prefix) {
            report({
              span: v.span,
              severity: 'note',
              message:
                `\`${v.value}\` under ${v.condition.operator.value} admits every ServiceAccount of namespace \`${prefix.namespace}\` whose name starts with \`${prefix.name}\`. ` +
                `That prefix is a controller's that adds a generated suffix (a Crossplane provider's revision hash, EMR on EKS job runs, the EFS CSI driver's accounts), ` +
                `so the exact names cannot be listed. Keep it only if nobody else can create ServiceAccounts with that prefix there.`,
            });
            continue;
          }
          const whom = /^system:serviceaccount:[*?]*$|^\*$/.test(v.value) ? 'every ServiceAccount in the cluster' : 'every ServiceAccount matching the pattern';
          report({
            span: v.span,
            message:
              `\`${v.value}\` under ${v.condition.operator.value} lets ${whom} assume this role, ` +
              `including ones created later by anyone who can create ServiceAccounts there. ${fix}`,
          });
        }
      },
      report,
    );
  },
});

/**
 * Name prefixes of accounts that controllers create with a generated
 * suffix, so a trust policy cannot list them:
 * - Crossplane provider packages run as `<package>-<revision hash>`
 *   (`upbound-aws-provider-*`, `provider-aws-*`; upbound/provider-aws docs);
 * - EMR on EKS job runs use `emr-containers-sa-*-*-<account>-<role>`
 *   (EMR on EKS "Using job execution roles with IRSA");
 * - the EFS CSI driver add-on's controller and node accounts, `efs-csi-*`
 *   (the EKS user guide widens the eksctl trust policy to this).
 */
const CONTROLLER_PREFIXES: readonly RegExp[] = [...CROSSPLANE_PROVIDER_PREFIXES, /^emr-containers-sa-/, /^efs-csi-$/];

/**
 * `system:serviceaccount:<namespace>:<prefix>…` with a literal namespace and
 * a known controller's literal name prefix before the first wildcard.
 * `<namespace>:*` (no prefix) is not one.
 */
function controllerPrefix(pattern: string): { namespace: string; name: string } | undefined {
  const m = /^system:serviceaccount:([^:*?]+):([^*?]+)[*?]/.exec(pattern);
  if (!m || !CONTROLLER_PREFIXES.some((p) => p.test(m[2]!))) return undefined;
  return { namespace: m[1]!, name: m[2]! };
}

/** Whether another `sub` condition of the statement admits only exact subjects (no pattern). */
function pinnedByAnotherCondition(statement: TrustStatement, condition: Condition): boolean {
  return conditionsForClaim(statement, 'sub').some((c) => {
    if (c === condition) return false;
    const semantics = operatorSemantics(c.operator.value);
    if (semantics === 'other' || !c.valuesComplete || c.values.length === 0) return false;
    return c.values.every((v) => {
      const text = knownText(v.value);
      return text !== undefined && (semantics === 'equals' || !hasWildcard(text));
    });
  });
}
