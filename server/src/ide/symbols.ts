/**
 * Document symbols of one file: roles, trust policies with their statements
 * (named by Sid, else by the subject they pin, else by principal), and
 * ServiceAccounts. A child is nested only where its range lies inside its
 * parent's, as the protocol requires.
 */
import { comparePositions, rangeContains, type Range } from '../common/text';
import { display, displayAddress, knownText } from '../common/value';
import type { TrustPolicy, TrustStatement } from '../facts/types';
import { conditionsForClaim } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { describeServiceAccount } from '../index/describe';

export type SymbolKind = 'role' | 'trust-policy' | 'trust-statement' | 'service-account';

export interface IrsaSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: SymbolKind;
  readonly range: Range;
  readonly selectionRange: Range;
  readonly children: readonly IrsaSymbol[];
}

export function documentSymbols(model: WorkspaceModel, uri: string): readonly IrsaSymbol[] {
  const out: IrsaSymbol[] = [];
  for (const role of model.roles) {
    if (role.span.uri !== uri) continue;
    const name = knownText(role.name);
    out.push({ name: name ?? displayAddress(role.id), detail: 'IAM role', kind: 'role', range: role.span.range, selectionRange: role.span.range, children: [] });
  }
  for (const policy of model.trustPolicies) {
    if (policy.span.uri !== uri) continue;
    const statements = policy.statements.filter((s) => s.span.uri === uri).map((s, i) => statementSymbol(s, i));
    // A policy document's span is its header: its symbol encloses its statements too.
    const range = statements.reduce((r, s) => union(r, s.range), policy.span.range);
    const nested = statements.filter((s) => rangeContains(range, s.range));
    const roles = model.rolesOfTrustPolicy(policy).map((r) => knownText(r.name) ?? displayAddress(r.id));
    out.push({
      name: roles.length > 0 ? `trust policy of ${roles.join(', ')}` : 'trust policy',
      detail: policyDetail(policy),
      kind: 'trust-policy',
      range,
      selectionRange: policy.span.range,
      children: nested,
    });
    out.push(...statements.filter((s) => !nested.includes(s)));
  }
  for (const sa of model.serviceAccounts) {
    if (sa.span.uri !== uri) continue;
    out.push({ name: describeServiceAccount(sa), detail: 'ServiceAccount', kind: 'service-account', range: sa.span.range, selectionRange: sa.span.range, children: [] });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function union(a: Range, b: Range): Range {
  return { start: comparePositions(a.start, b.start) <= 0 ? a.start : b.start, end: comparePositions(a.end, b.end) >= 0 ? a.end : b.end };
}

function statementSymbol(statement: TrustStatement, index: number): IrsaSymbol {
  const subs = conditionsForClaim(statement, 'sub').flatMap((c) => c.values.map((v) => display(v.value)));
  const principal = statement.principals[0];
  const name = statement.sid ?? (subs.length > 0 ? subs.join(', ') : principal ? `${principal.type}: ${display(principal.value.value)}` : `statement ${index + 1}`);
  return { name, detail: `${statement.effect} statement`, kind: 'trust-statement', range: statement.span.range, selectionRange: statement.span.range, children: [] };
}

function policyDetail(policy: TrustPolicy): string {
  switch (policy.origin) {
    case 'json-file':
      return 'JSON';
    case 'jsonencode':
      return 'jsonencode';
    case 'heredoc':
      return 'heredoc JSON';
    case 'markdown':
      return 'Markdown JSON';
    case 'policy-document':
      return 'aws_iam_policy_document';
    case 'iam-module':
      return 'terraform-aws-modules/iam';
    case 'eksctl':
      return 'eksctl';
  }
}
