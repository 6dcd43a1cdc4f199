/**
 * Reads the IAM policy grammar (Version, Statement, Effect, Principal,
 * Action, Condition) from a DocValue, whatever syntax it came from.
 */
import type { Span } from '../common/text';
import { known, knownText } from '../common/value';
import { memberIgnoreCase, scalarString, stringList, type DocEntry, type DocValue } from '../parse/document';
import { documentSize } from './policy-size';
import type { Condition, DuplicateKey, Located, Effect, LStr, PolicyOrigin, Principal, TrustPolicy, TrustStatement } from './types';

/**
 * True when the document is an IAM policy with a principal somewhere: that is
 * what makes it a *trust* (resource-based) policy rather than a permissions
 * policy. Checked by content, never by file name.
 */
export function isTrustPolicyDocument(doc: DocValue | undefined): boolean {
  if (doc?.kind !== 'object') return false;
  const statement = memberIgnoreCase(doc, 'Statement')?.value;
  if (!statement) return false;
  const statements = statement.kind === 'array' ? statement.items : [statement];
  return statements.some((s) => s.kind === 'object' && (memberIgnoreCase(s, 'Principal') !== undefined || memberIgnoreCase(s, 'NotPrincipal') !== undefined));
}

/** True when the document looks like an IAM policy at all (has Statement and Version or Effect). */
export function isPolicyDocument(doc: DocValue | undefined): boolean {
  if (doc?.kind !== 'object') return false;
  return memberIgnoreCase(doc, 'Statement') !== undefined;
}

export function readTrustPolicy(written: DocValue, id: string, origin: PolicyOrigin, span: Span = written.span): TrustPolicy {
  const duplicateKeys: DuplicateKey[] = [];
  const doc = keepLastOccurrences(written, duplicateKeys);
  const statementEntry = doc.kind === 'object' ? memberIgnoreCase(doc, 'Statement') : undefined;
  const statementValue = statementEntry?.value;
  const statements: TrustStatement[] = [];
  let complete = doc.kind === 'object' && doc.complete && statementValue !== undefined;
  const items = statementValue === undefined ? [] : statementValue.kind === 'array' ? statementValue.items : [statementValue];
  if (statementValue?.kind === 'array' && !statementValue.complete) complete = false;
  for (const item of items) {
    if (item.kind !== 'object') {
      complete = false;
      continue;
    }
    statements.push(readStatement(item));
  }
  return { id, span, origin, statements, complete, generated: false, ...(duplicateKeys.length > 0 ? { duplicateKeys } : {}), size: documentSize(doc) };
}

/**
 * The document as a JSON parser leaves it: in each object, of several
 * entries with the same key only the last remains (Go's encoding/json in the
 * AWS provider, and IAM, both read it so). The dropped ones are recorded.
 */
function keepLastOccurrences(value: DocValue, duplicates: DuplicateKey[]): DocValue {
  if (value.kind === 'array') return { ...value, items: value.items.map((item) => keepLastOccurrences(item, duplicates)) };
  if (value.kind !== 'object') return value;
  const last = new Map<string, DocEntry>();
  for (const e of value.entries) {
    const key = knownText(e.key);
    if (key !== undefined) last.set(key, e);
  }
  const entries: DocEntry[] = [];
  for (const e of value.entries) {
    const key = knownText(e.key);
    const kept = key !== undefined ? last.get(key) : e;
    if (kept !== e && key !== undefined && kept) {
      duplicates.push({ key, dropped: e.keySpan, kept: kept.keySpan });
      continue;
    }
    entries.push({ ...e, value: keepLastOccurrences(e.value, duplicates) });
  }
  return { ...value, entries };
}

function readStatement(obj: Extract<DocValue, { kind: 'object' }>): TrustStatement {
  const effectEntry = memberIgnoreCase(obj, 'Effect');
  const effectText = effectEntry?.value.kind === 'string' ? knownText(effectEntry.value.value) : undefined;
  const effect: Effect = effectText === 'Allow' || effectText === 'Deny' ? effectText : 'unknown';

  const sid = memberIgnoreCase(obj, 'Sid')?.value;
  const sidText = sid?.kind === 'string' ? knownText(sid.value) : undefined;

  const actionValue = memberIgnoreCase(obj, 'Action')?.value;
  const actions = stringList(actionValue);

  const principals: Principal[] = [];
  let principalsComplete = obj.complete;
  const principalValue = memberIgnoreCase(obj, 'Principal')?.value;
  if (principalValue?.kind === 'string') {
    // `"Principal": "*"` is the only valid string form.
    principals.push({ type: '*', value: { value: principalValue.value, span: principalValue.span } });
  } else if (principalValue?.kind === 'object') {
    if (!principalValue.complete) principalsComplete = false;
    for (const e of principalValue.entries) {
      const type = knownText(e.key);
      if (type === undefined) {
        principalsComplete = false;
        continue;
      }
      const list = principalValues(e.value);
      if (!list.complete) principalsComplete = false;
      for (const item of list.items) principals.push({ type, value: item });
    }
  } else if (principalValue !== undefined) {
    principalsComplete = false;
  }

  const conditions: Condition[] = [];
  const conditionOperators: Located<string>[] = [];
  let conditionsComplete = obj.complete;
  const conditionValue = memberIgnoreCase(obj, 'Condition')?.value;
  if (conditionValue?.kind === 'object') {
    if (!conditionValue.complete) conditionsComplete = false;
    for (const opEntry of conditionValue.entries) {
      const operator = knownText(opEntry.key);
      if (operator !== undefined) conditionOperators.push({ value: operator, span: opEntry.keySpan });
      // A key that is no operator and holds no conditions (`"Comment": "…"`): IAM rejects it (trust-condition-operator),
      // and the statement's other conditions still say what it admits.
      if (operator !== undefined && opEntry.value.kind !== 'object' && !isConditionOperator(operator)) continue;
      if (operator === undefined || opEntry.value.kind !== 'object') {
        conditionsComplete = false;
        continue;
      }
      if (!opEntry.value.complete) conditionsComplete = false;
      for (const keyEntry of opEntry.value.entries) {
        const list = stringList(keyEntry.value);
        conditions.push({
          operator: { value: operator, span: opEntry.keySpan },
          key: { value: keyEntry.key, span: keyEntry.keySpan },
          values: list.items,
          valuesComplete: list.complete,
        });
      }
    }
  } else if (conditionValue !== undefined) {
    conditionsComplete = false;
  }

  const statement: TrustStatement = {
    span: obj.span,
    effect,
    actions: actions.items as LStr[],
    // No Action in an incomplete statement (a truncated file, an unparsable entry) is unknown, not empty.
    actionsComplete: actions.complete && (actionValue !== undefined || obj.complete) && memberIgnoreCase(obj, 'NotAction') === undefined,
    principals,
    principalsComplete: principalsComplete && memberIgnoreCase(obj, 'NotPrincipal') === undefined,
    conditions,
    conditionsComplete,
    ...(conditionOperators.length > 0 ? { conditionOperators } : {}),
  };
  return sidText === undefined ? statement : { ...statement, sid: sidText };
}

/**
 * A principal element's values. Unlike `stringList`, a value the tool cannot
 * compute (`Federated = var.provider_arn`, a remote state output) is kept as
 * a principal of unknown value: dropping it would make the statement look
 * as if it had no Federated principal, and hide it from the rules that
 * follow a ServiceAccount to its role. A whole unknown value might be a
 * list, so the principals are then not complete.
 */
export function principalValues(value: DocValue): { items: LStr[]; complete: boolean } {
  const unknownItem = (v: DocValue): LStr[] => {
    const s = scalarString(v);
    return s ? [{ value: s, span: v.span }] : [];
  };
  if (value.kind === 'unknown') return { items: unknownItem(value), complete: false };
  if (value.kind !== 'array') return stringList(value);
  const items: LStr[] = [];
  let complete = value.complete;
  for (const item of value.items) {
    const s = scalarString(item);
    if (s) items.push({ value: s, span: item.span });
    else complete = false;
  }
  return { items, complete };
}

/** The IAM condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators"). */
export const CONDITION_OPERATORS: readonly string[] = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
];
const LOWER = new Map(CONDITION_OPERATORS.map((o) => [o.toLowerCase(), o]));

/** Whether IAM accepts the operator: an operator, with an optional set qualifier and `IfExists` (not on `Null`). Case is not judged. */
export function isConditionOperator(text: string): boolean {
  let rest = text.toLowerCase();
  const qualifier = /^(forallvalues|foranyvalue):/.exec(rest);
  if (qualifier) rest = rest.slice(qualifier[0].length);
  if (LOWER.has(rest)) return true;
  return rest.endsWith('ifexists') && LOWER.has(rest.slice(0, -'ifexists'.length)) && rest !== 'nullifexists';
}

/** The service principal EKS Pod Identity assumes roles as. */
export const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';

/**
 * The statement a Terraform module writes for EKS Pod Identity (`sts:AssumeRole` and
 * `sts:TagSession` for `pods.eks.amazonaws.com`), located at the module header.
 */
export function podIdentityStatement(span: Span, options: { readonly sid?: string; readonly conditionsComplete?: boolean } = {}): TrustStatement {
  return {
    span,
    ...(options.sid !== undefined ? { sid: options.sid } : {}),
    effect: 'Allow',
    actions: [
      { value: known('sts:AssumeRole'), span },
      { value: known('sts:TagSession'), span },
    ],
    actionsComplete: true,
    principals: [{ type: 'Service', value: { value: known(POD_IDENTITY_SERVICE), span } }],
    principalsComplete: true,
    conditions: [],
    conditionsComplete: options.conditionsComplete ?? true,
  };
}
