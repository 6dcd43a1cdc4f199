/**
 * `trust-policy-size`: a trust policy longer than IAM's role trust policy
 * quota ("Role trust policy length", 2,048 characters by default, white
 * space not counted). CreateRole and UpdateAssumeRolePolicy refuse it, so
 * the apply fails. The usual cause is one role trusted by many clusters, or
 * pinned to many ServiceAccounts.
 *
 * Counting (`facts/policy-size.ts`) is exact only where the whole document
 * is known; with a computed part the known parts are a lower bound, which
 * is reported (as a note) only when it alone is over the limit.
 */
import { DEFAULT_TRUST_POLICY_MAX_LENGTH } from '../../../shared/settings';
import type { Span } from '../common/text';
import { renderedStatementsSize } from '../facts/policy-size';
import type { PolicySize, TrustPolicy, TrustStatement } from '../facts/types';
import type { WorkspaceModel } from '../index/model';
import { collect, memoReports } from './support/memo';
import { defineRule, type Report } from './types';

const ID = 'trust-policy-size';
/** Below the limit, a policy this close to it gets a note: the next cluster or ServiceAccount tips it over. */
const NEAR = 0.9;

export const rule = defineRule({
  meta: { id: ID, defaultSeverity: 'error', title: "Trust policy longer than IAM's role trust policy quota" },
  check(model, report, context) {
    const limit = context.trustPolicyMaxLength ?? DEFAULT_TRUST_POLICY_MAX_LENGTH;
    // A policy's size and its roles change only with the roles, policies and providers (`linkEpoch`): an edit to a ServiceAccount re-measures nothing.
    const deps = [model.linkEpoch, limit];
    for (const policy of model.trustPolicies) for (const r of memoReports<never>(ID, policy, deps, () => collect<never>((report) => checkPolicy(model, policy, limit, report)))) report(r);
  },
});

/** The policy's finding, if any: a function of the policy, its roles and the limit alone (memoised above). */
function checkPolicy(model: WorkspaceModel, policy: TrustPolicy, limit: number, report: (r: Report) => void): void {
  const size = sizeOf(model, policy);
  if (!size) return;
  const count = size.chars.toLocaleString('en-US');
  const shownLimit = limit.toLocaleString('en-US');
  const refusal = `IAM refuses it at apply time (\`LimitExceeded: Cannot exceed quota for ACLSizePerRole: ${limit}\`), so the role is not created or its trust not updated`;
  const remedy = 'Split the role (one per cluster or per workload), or raise the quota "Role trust policy length" in Service Quotas and set `irsa.trustPolicyMaxLength` to it.';
  if (size.exact && size.chars > limit) {
    report({
      span: head(policy.span),
      message: `This trust policy is ${count} characters without white space, over the role trust policy limit of ${shownLimit}. ${refusal}. ${remedy}`,
    });
  } else if (!size.exact && size.chars > limit) {
    report({
      span: head(policy.span),
      severity: 'note',
      message:
        `This trust policy is at least ${count} characters without white space, over the role trust policy limit of ${shownLimit}. ` +
        `That counts only the parts the tool knows (some are computed, or written by a module), so it is certainly too long: ${refusal}. ${remedy}`,
    });
  } else if (size.exact && size.chars > limit * NEAR) {
    report({
      span: head(policy.span),
      severity: 'note',
      message:
        `This trust policy is ${count} characters without white space, ${Math.floor((size.chars / limit) * 100)} % of the role trust policy limit of ${shownLimit}. ` +
        `One more cluster or ServiceAccount may push it over, and then ${refusal}. Plan a second role, or raise the quota before you need it.`,
    });
  }
}

/**
 * The policy's length as IAM counts it, for the documents a role uses as
 * its trust: read from the JSON where it is written as JSON, rendered from
 * the statements where Terraform's data source or a module writes it.
 * eksctl writes one short statement per ServiceAccount: not measured.
 */
function sizeOf(model: WorkspaceModel, policy: TrustPolicy): PolicySize | undefined {
  const roles = model.rolesOfTrustPolicy(policy);
  // A document merged into another (the karpenter submodule's) is only part of a role's trust.
  if (roles.length === 0 || roles.every((r) => r.trust.kind === 'merged')) return undefined;
  switch (policy.origin) {
    case 'json-file':
    case 'jsonencode':
    case 'heredoc':
    // A runbook's JSON block (or a create-role command's document) is counted like a JSON file when its text is known.
    case 'markdown':
      return policy.size ? { chars: policy.size.chars, exact: policy.size.exact && policy.complete } : undefined;
    case 'policy-document':
      return renderedStatementsSize(lastOfEachSid(policy.statements), policy.complete);
    case 'iam-module':
      return renderedStatementsSize(policy.statements, false, true);
    case 'eksctl':
      return undefined;
  }
}

/**
 * `source_policy_documents` statements are replaced by a later statement
 * with the same `Sid`: the document holds one of them.
 */
function lastOfEachSid(statements: readonly TrustStatement[]): TrustStatement[] {
  const out: TrustStatement[] = [];
  const at = new Map<string, number>();
  for (const s of statements) {
    const sid = s.sid !== undefined && s.sid !== '' ? s.sid : undefined;
    const i = sid !== undefined ? at.get(sid) : undefined;
    if (i !== undefined) out[i] = s;
    else {
      if (sid !== undefined) at.set(sid, out.length);
      out.push(s);
    }
  }
  return out;
}

/** The first character of a document that spans lines (a JSON file, a `jsonencode` call), or the whole one-line span (a block header). */
function head(span: Span): Span {
  const { start, end } = span.range;
  if (start.line === end.line) return span;
  return { uri: span.uri, range: { start, end: { line: start.line, character: start.character + 1 } } };
}
