import type { Span } from '../common/text';
import type { TrustPolicy, TrustStatement } from '../facts/types';

/**
 * A module's own trust policy merged with the documents it is passed, as
 * `aws_iam_policy_document` merges them: the source documents' statements,
 * then its own (replacing a source statement of the same `Sid`), then the
 * override documents' (replacing any statement of the same `Sid`). The
 * statements keep their identity and spans, so findings and edits land in
 * the document that holds them. Complete only when every document is known
 * and complete.
 */
export function mergedTrustPolicy(id: string, span: Span, own: TrustPolicy | undefined, sources: readonly (TrustPolicy | undefined)[], overrides: readonly (TrustPolicy | undefined)[], listsComplete: boolean): TrustPolicy {
  const statements: TrustStatement[] = [];
  const add = (statement: TrustStatement, replace: boolean): void => {
    const at = replace && statement.sid !== undefined && statement.sid !== '' ? statements.findIndex((s) => s.sid === statement.sid) : -1;
    if (at >= 0) statements[at] = statement;
    else statements.push(statement);
  };
  for (const p of sources) for (const s of p?.statements ?? []) add(s, false);
  for (const s of own?.statements ?? []) add(s, true);
  for (const p of overrides) for (const s of p?.statements ?? []) add(s, true);
  const all = [own, ...sources, ...overrides];
  const complete = listsComplete && all.every((p) => p !== undefined && p.complete);
  return { id, span, origin: 'iam-module', statements, complete, generated: true };
}
