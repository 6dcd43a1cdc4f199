/**
 * Editing a value where it is set. A fact's value may be written in place
 * (a literal in the policy or manifest) or come from an expression: a
 * Terraform variable's default or tfvars entry, a local, a kustomization.
 * A fix rewrites the literal token only when that token *is* the value the
 * analysis used and nothing else in the workspace reads it; otherwise it
 * offers nothing rather than replacing an expression with a literal.
 */
import { sameSpan, type Span } from '../common/text';
import { basenameUri } from '../common/uri';
import { knownText } from '../common/value';
import { isKustomizationFile } from '../facts/kustomize';
import type { LStr } from '../facts/types';
import type { WorkspaceModel } from '../index/model';
import { quoteLike, replace, spanText, type StringSyntax } from './edits';
import { literalString } from './source';
import type { FixContext, TextEdit } from './types';

export interface EditableString {
  readonly span: Span;
  readonly syntax: StringSyntax;
  /** The token as written, quotes included. */
  readonly source: string;
}

/**
 * Where `value` can be rewritten: its literal token, in `site`'s syntax when
 * the token is inside `site` (the policy or manifest that uses it), else in
 * its file's syntax (variables.tf, terraform.tfvars). Undefined when the
 * value is computed, shared with another fact, or set by a kustomization.
 */
export function editableString(context: FixContext, value: LStr, site?: { readonly span: Span; readonly syntax: StringSyntax }): EditableString | undefined {
  const text = knownText(value.value);
  const lines = context.lines(value.span.uri);
  if (text === undefined || !lines || isKustomizationFile(value.span.uri)) return undefined;
  const syntax = site && contains(site.span, value.span) ? site.syntax : fileSyntax(value.span.uri);
  if (!syntax) return undefined;
  const source = spanText(lines, value.span);
  if (literalString(source, syntax) !== text) return undefined;
  if (usesOf(context.model, value.span) !== 1) return undefined;
  return { span: value.span, syntax, source };
}

/** The edit that writes `value` in place of the token, in its quoting style. */
export function rewriteString(target: EditableString, value: string): TextEdit {
  return replace(target.span.range, quoteLike(target.source, value, target.syntax));
}

/** ` (in variables.tf)` when the edit lands outside the file the user is looking at. */
export function elsewhere(target: EditableString, uri: string): string {
  return target.span.uri === uri ? '' : ` (in ${basenameUri(target.span.uri)})`;
}

export function fileSyntax(uri: string): StringSyntax | undefined {
  if (/\.json$/i.test(uri)) return 'json';
  if (/\.(tf|tfvars|hcl)$/i.test(uri)) return 'hcl';
  if (/\.ya?ml$/i.test(uri)) return 'yaml';
  return undefined;
}

function contains(outer: Span, inner: Span): boolean {
  if (outer.uri !== inner.uri) return false;
  const a = outer.range;
  const b = inner.range;
  const before = (p: typeof a.start, q: typeof a.start): boolean => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.start) && before(b.end, a.end);
}

/** How many facts of the workspace read the value at `span`. */
function usesOf(model: WorkspaceModel, span: Span): number {
  let count = 0;
  const see = (s: Span): void => {
    if (sameSpan(s, span)) count++;
  };
  for (const sa of model.serviceAccounts) {
    see(sa.name.span);
    if (!sa.namespaceDefaulted) see(sa.namespace.span);
    for (const a of sa.annotations) see(a.value.span);
    // eksctl's attachRoleARN is a role ARN that is no annotation.
    const roleArn = sa.roleArn;
    if (roleArn && !sa.annotations.some((a) => sameSpan(a.value.span, roleArn.span))) see(roleArn.span);
  }
  for (const w of model.workloads) {
    see(w.name.span);
    // A workload without a namespace points its namespace at its name.
    if (!sameSpan(w.namespace.span, w.name.span)) see(w.namespace.span);
    if (w.serviceAccountName) see(w.serviceAccountName.span);
  }
  for (const policy of model.trustPolicies) {
    for (const s of policy.statements) {
      for (const a of s.actions) see(a.span);
      for (const p of s.principals) see(p.value.span);
      for (const c of s.conditions) {
        see(c.key.span);
        for (const v of c.values) see(v.span);
      }
    }
  }
  for (const p of model.oidcProviders) for (const c of p.clientIds) see(c.span);
  return count;
}
