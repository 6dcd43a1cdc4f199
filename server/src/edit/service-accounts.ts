/**
 * Edits to ServiceAccounts: moving one to another namespace, renaming it.
 * The workloads that run as the ServiceAccount move or follow along (a pod
 * names its ServiceAccount in its own namespace), so the edit keeps them
 * working. When any of those values is computed or set by a kustomization,
 * or the ServiceAccount is an EKS add-on's own (its name is the add-on's),
 * nothing is offered.
 */
import { knownText } from '../common/value';
import type { ServiceAccount, Workload } from '../facts/types';
import { sameSpan } from '../common/text';
import { lineBreak, quoteLike, spanText, type StringSyntax } from './edits';
import { editableString, fileSyntax, rewriteString } from './values';
import type { FileChange, FixContext, TextEdit } from './types';

/** The title of the fix that moves a ServiceAccount (the e2e suite clicks it). */
export function moveServiceAccountTitle(namespace: string): string {
  return `Move the ServiceAccount to namespace \`${namespace}\``;
}

/** The edits that put the ServiceAccount, and the workloads that use it, in `namespace`. */
export function moveServiceAccount(context: FixContext, sa: ServiceAccount, namespace: string): FileChange[] | undefined {
  const name = knownText(sa.name.value);
  const current = knownText(sa.namespace.value);
  if (name === undefined || current === undefined || current === namespace || name === 'default' || sa.origin === 'helm' || sa.origin === 'eks-addon' || sa.origin === 'command') return undefined;
  if (context.model.serviceAccounts.some((other) => knownText(other.name.value) === name && knownText(other.namespace.value) === namespace)) return undefined;
  const edits: FileEdit[] = [];
  const own = setNamespace(context, sa.namespace, sa.name, sa.namespaceDefaulted, namespace);
  if (!own) return undefined;
  edits.push(own);
  for (const w of workloadsOf(context, sa, name, current)) {
    const edit = setNamespace(context, w.namespace, w.name, sameSpan(w.namespace.span, w.name.span), namespace);
    if (!edit) return undefined;
    edits.push(edit);
  }
  return byFile(edits);
}

/** The edits that rename the ServiceAccount to `name`, and point the workloads that use it at the new name. */
export function renameServiceAccount(context: FixContext, sa: ServiceAccount, name: string): FileChange[] | undefined {
  const current = knownText(sa.name.value);
  const namespace = knownText(sa.namespace.value);
  if (current === undefined || namespace === undefined || current === name || current === 'default' || sa.origin === 'helm' || sa.origin === 'eks-addon' || sa.origin === 'command') return undefined;
  if (context.model.serviceAccounts.some((other) => knownText(other.name.value) === name && knownText(other.namespace.value) === namespace)) return undefined;
  const target = editableString(context, sa.name);
  if (!target) return undefined;
  const edits: FileEdit[] = [{ uri: target.span.uri, edit: rewriteString(target, name) }];
  for (const w of workloadsOf(context, sa, current, namespace)) {
    const ref = w.serviceAccountName && editableString(context, w.serviceAccountName);
    if (!ref) return undefined;
    edits.push({ uri: ref.span.uri, edit: rewriteString(ref, name) });
  }
  return byFile(edits);
}

function workloadsOf(context: FixContext, sa: ServiceAccount, name: string, namespace: string): Workload[] {
  return context.model.workloads.filter((w) => w.serviceAccountName && knownText(w.serviceAccountName.value) === name && knownText(w.namespace.value) === namespace && w.id !== sa.id);
}

/**
 * Rewrites a namespace written as a literal, or inserts one under the
 * name when the object has none (Kubernetes' `default` applied).
 */
function setNamespace(context: FixContext, current: ServiceAccount['namespace'], name: ServiceAccount['name'], defaulted: boolean, namespace: string): FileEdit | undefined {
  if (!defaulted) {
    const target = editableString(context, current);
    return target && { uri: target.span.uri, edit: rewriteString(target, namespace) };
  }
  const lines = context.lines(name.span.uri);
  const syntax = fileSyntax(name.span.uri);
  if (!lines || !syntax || syntax === 'json') return undefined;
  const line = name.span.range.start.line;
  const lineText = lines.lineText(line);
  const nameToken = spanText(lines, name.span);
  const written = insertedNamespace(lineText, syntax, nameToken, namespace, name.span.range.start.character);
  if (!written) return undefined;
  const eol = lineBreak(lines);
  const end = { line, character: lineText.length };
  return { uri: name.span.uri, edit: { range: { start: end, end }, newText: `${eol}${written}` } };
}

/** `namespace: x` / `namespace = "x"` for the line after `name: …`, at the name key's indentation. */
function insertedNamespace(lineText: string, syntax: StringSyntax, nameToken: string, namespace: string, valueColumn: number): string | undefined {
  if (syntax === 'yaml') {
    const m = /^(\s*)(- )?name:\s*/.exec(lineText);
    if (!m || m[0].length !== valueColumn) return undefined;
    const indent = m[1]! + (m[2] ? '  ' : '');
    return `${indent}namespace: ${quoteLike(nameToken, namespace, 'yaml')}`;
  }
  const m = /^(\s*)name(\s*)=\s*/.exec(lineText);
  if (!m || m[0].length !== valueColumn) return undefined;
  return `${m[1]!}namespace = ${quoteLike(nameToken, namespace, 'hcl')}`;
}

/** An edit with the file it goes to. */
export interface FileEdit {
  readonly uri: string;
  readonly edit: TextEdit;
}

/** Edits grouped into one change per file, in first-seen order. */
export function byFile(edits: readonly FileEdit[]): FileChange[] {
  const grouped = new Map<string, TextEdit[]>();
  for (const { uri, edit } of edits) {
    const list = grouped.get(uri) ?? [];
    list.push(edit);
    grouped.set(uri, list);
  }
  return [...grouped].map(([uri, list]) => ({ kind: 'edit', uri, edits: list }));
}
