/**
 * Pinning a trust policy's `sub` to one ServiceAccount: the trust side of
 * a sub mismatch. Shared by the fixes of `sa-role-trust-mismatch` (on the
 * ServiceAccount) and `trust-sub-no-service-account` (on the policy).
 */
import { known, knownText } from '../common/value';
import type { Condition, LStr, ServiceAccount, TrustPolicy, TrustStatement } from '../facts/types';
import { conditionsForClaim, globMatch, operatorSemantics, parseSubject, SUBJECT_PREFIX, subjectOfServiceAccount } from '../index/irsa';
import type { StringSyntax } from './edits';
import type { FileEdit } from './service-accounts';
import { policySyntax } from './trust-policies';
import type { FixContext } from './types';
import { editableString, elsewhere, rewriteString } from './values';

/** The exact subjects (no wildcard) a statement's StringEquals/StringLike sub conditions name. */
export function exactSubjects(statements: readonly TrustStatement[]): { namespace: string; name: string }[] {
  const out: { namespace: string; name: string }[] = [];
  for (const s of statements) {
    for (const c of conditionsForClaim(s, 'sub')) {
      if (operatorSemantics(c.operator.value) === 'other') continue;
      for (const v of c.values) {
        const text = knownText(v.value);
        const parsed = text !== undefined && !/[*?]/.test(text) ? parseSubject(text) : undefined;
        if (parsed) out.push(parsed);
      }
    }
  }
  return out;
}

export interface SubPin {
  readonly title: string;
  readonly edit: FileEdit;
}

/**
 * Rewrites the sub value `value` (of `condition`, in `policy`) to `subject`.
 * Offered only when the value is a literal (or a variable's literal default)
 * and no other ServiceAccount that uses one of the policy's roles, and is
 * admitted today, would lose access: pinning then never takes access away
 * from a pod that has it.
 */
export function pinSub(context: FixContext, policy: TrustPolicy, condition: Condition, value: LStr, subject: string, keep?: ServiceAccount): SubPin | undefined {
  const current = knownText(value.value);
  if (current === undefined || current === subject) return undefined;
  const written = writtenSubject(policy, { value: known(current), span: value.span });
  if (!written) return undefined;
  const semantics = operatorSemantics(condition.operator.value);
  if (semantics === 'other') return undefined;
  for (const role of context.model.rolesOfTrustPolicy(policy)) {
    for (const other of context.model.serviceAccountsOfRole(role)) {
      if (other === keep) continue;
      const otherSubject = subjectOfServiceAccount(other);
      if (otherSubject === undefined) return undefined; // it could be the one this value admits
      if (semantics === 'equals' ? otherSubject === current : globMatch(current, otherSubject)) return undefined;
    }
  }
  const target = editableString(context, written.value, { span: policy.span, syntax: written.syntax });
  const replacement = written.spell(subject);
  if (!target || replacement === undefined) return undefined;
  return { title: `Pin sub to \`${subject}\`${elsewhere(target, policy.span.uri)}`, edit: { uri: target.span.uri, edit: rewriteString(target, replacement) } };
}

/**
 * How a policy's sub value is written in the source. Policies the user
 * spells hold the subject itself. The terraform-aws-modules/iam IRSA modules
 * build theirs from `namespace_service_accounts` entries (`"<ns>:<sa>"`):
 * the entry is what gets edited. Other generated policies (eksctl's) have
 * no token to edit.
 */
function writtenSubject(policy: TrustPolicy, value: LStr): { value: LStr; syntax: StringSyntax; spell: (subject: string) => string | undefined } | undefined {
  if (policy.origin === 'iam-module') {
    if (!policy.generated) return { value, syntax: 'hcl', spell: (subject) => subject };
    // Only modules that take `"<ns>:<sa>"` entries (they name the input): others (aws-ia's add-on module) split the subject over fields.
    if (!policy.moduleInputs) return undefined;
    const text = knownText(value.value);
    if (text === undefined || !text.startsWith(SUBJECT_PREFIX)) return undefined;
    return {
      value: { value: known(text.slice(SUBJECT_PREFIX.length)), span: value.span },
      syntax: 'hcl',
      spell: (subject) => {
        const parsed = parseSubject(subject);
        return parsed ? `${parsed.namespace}:${parsed.name}` : undefined;
      },
    };
  }
  const syntax = policySyntax(policy);
  return syntax && !policy.generated ? { value, syntax, spell: (subject) => subject } : undefined;
}

/** The statement's only sub value, when it has exactly one (one condition, one value). */
export function onlySubValue(statements: readonly TrustStatement[]): { statement: TrustStatement; condition: Condition; value: LStr } | undefined {
  const found: { statement: TrustStatement; condition: Condition; value: LStr }[] = [];
  for (const statement of statements) {
    if (!statement.conditionsComplete) return undefined;
    for (const condition of conditionsForClaim(statement, 'sub')) {
      if (!condition.valuesComplete) return undefined;
      for (const value of condition.values) found.push({ statement, condition, value });
    }
  }
  return found.length === 1 ? found[0] : undefined;
}
