/**
 * Finding the facts a finding points at. Rules anchor findings on fact spans,
 * so a provider looks the fact up by span instead of trusting data that a
 * client sends back.
 */
import type { Span } from '../common/text';
import type { Annotation, Condition, LStr, TrustPolicy, TrustStatement } from '../facts/types';
import type { WorkspaceModel } from '../index/model';
import type { StringSyntax } from './edits';

export function sameSpan(a: Span, b: Span): boolean {
  return (
    a.uri === b.uri &&
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line &&
    a.range.end.character === b.range.end.character
  );
}

export interface ConditionSite {
  readonly policy: TrustPolicy;
  readonly statement: TrustStatement;
  readonly condition: Condition;
}

/** The condition whose key is written at `key`. */
export function conditionWithKeyAt(model: WorkspaceModel, key: Span): ConditionSite | undefined {
  for (const policy of model.trustPolicies) {
    if (policy.span.uri !== key.uri) continue;
    for (const statement of policy.statements) {
      for (const condition of statement.conditions) if (sameSpan(condition.key.span, key)) return { policy, statement, condition };
    }
  }
  return undefined;
}

/** The condition one of whose values is written at `span` (which may lie outside the policy: a variable's default). */
export function conditionValueAt(model: WorkspaceModel, span: Span): (ConditionSite & { readonly value: LStr }) | undefined {
  for (const policy of model.trustPolicies) {
    for (const statement of policy.statements) {
      for (const condition of statement.conditions) {
        for (const value of condition.values) if (sameSpan(value.span, span)) return { policy, statement, condition, value };
      }
    }
  }
  return undefined;
}

/** How the strings of a policy are written: JSON in files and heredocs, HCL in jsonencode and policy documents, YAML in eksctl. */
export function policySyntax(policy: TrustPolicy): StringSyntax | undefined {
  switch (policy.origin) {
    case 'json-file':
    case 'heredoc':
      return 'json';
    case 'jsonencode':
    case 'policy-document':
      return 'hcl';
    case 'eksctl':
      return 'yaml';
    case 'iam-module':
      return undefined;
  }
}

/** The annotation (on a ServiceAccount or a pod template) whose value is written at `span`. */
export function annotationWithValueAt(model: WorkspaceModel, span: Span): Annotation | undefined {
  for (const owner of [...model.serviceAccounts.map((s) => s.annotations), ...model.workloads.map((w) => w.podAnnotations)]) {
    const found = owner.find((a) => sameSpan(a.value.span, span));
    if (found) return found;
  }
  return undefined;
}
