/**
 * Code actions: the engine's fixes as `quickfix` actions on our diagnostics,
 * and every preferred fix of a file as `source.fixAll.irsa` (what VS Code
 * runs for "Fix All" and for `editor.codeActionsOnSave`).
 *
 * A diagnostic the client sends back is matched to the server's own current
 * finding by rule id and range; its `data` is never trusted to build edits.
 */
import {
  CodeActionKind,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { plainSnippetText } from '../edit/edits';
import { fixAllInFile, fixesFor } from '../rules/fixes';
import type { Fix, FixContext } from '../edit/types';
import type { Finding } from '../rules/types';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { canonicalUri } from './uris';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.irsa`;
export const CODE_ACTION_KINDS: readonly string[] = [CodeActionKind.QuickFix, CodeActionKind.Refactor, FIX_ALL_KIND];

export interface CodeActionDependencies {
  /** The current findings (analysing first if the workspace changed since the last analysis). */
  readonly findings: () => readonly Finding[];
  readonly context: () => FixContext;
  readonly capabilities: () => ClientCapabilities;
  readonly clientUri: (uri: string) => string;
  readonly version: (uri: string) => number | null;
  readonly onError: (message: string) => void;
  /** Assists at a position, tied to no finding ("Create role for this ServiceAccount"): offered as `refactor`. */
  readonly assists?: (uri: string, position: CodeActionParams['range']['start']) => readonly Fix[];
}

export function codeActions(params: CodeActionParams, deps: CodeActionDependencies): CodeAction[] {
  const uri = canonicalUri(params.textDocument.uri);
  const only = params.context.only;
  const wants = (kind: string): boolean => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string');
  const quickfix = wants(CodeActionKind.QuickFix) && ours.length > 0;
  // Source actions are offered only when asked for by kind, as VS Code does for fix-all and on-save.
  const fixAll = only !== undefined && wants(FIX_ALL_KIND);
  if (deps.assists && wants(CodeActionKind.Refactor)) {
    for (const fix of deps.assists(uri, params.range.start)) {
      const edit = toWorkspaceEdit(fix, deps);
      if (edit) actions.push({ title: fix.title, kind: CodeActionKind.Refactor, edit });
    }
  }
  if (!quickfix && !fixAll) return actions;

  const findings = deps.findings().filter((f) => f.span.uri === uri);
  const context = deps.context();
  if (quickfix) {
    for (const diagnostic of ours) {
      const finding = findings.find((f) => f.ruleId === diagnostic.code && sameRange(f, diagnostic));
      if (!finding) continue;
      for (const fix of fixesFor(finding, context, deps.onError)) {
        const edit = toWorkspaceEdit(fix, deps);
        if (edit) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred === true, edit });
      }
    }
  }
  if (fixAll) {
    const fix = fixAllInFile(uri, findings, context, deps.onError);
    const edit = fix && toWorkspaceEdit(fix, deps);
    if (fix && edit) actions.push({ title: fix.title, kind: FIX_ALL_KIND, edit });
  }
  return actions;
}

function sameRange(finding: Finding, diagnostic: Diagnostic): boolean {
  const a = finding.span.range;
  const b = diagnostic.range;
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * The fix as the client can take it: versioned document edits (snippet edits
 * where supported, else their placeholders as text) and file creation when
 * the client can create files; undefined when it cannot apply the fix.
 */
export function toWorkspaceEdit(fix: Fix, deps: Pick<CodeActionDependencies, 'capabilities' | 'clientUri' | 'version'>): WorkspaceEdit | undefined {
  const workspaceEdit = deps.capabilities().workspace?.workspaceEdit;
  const snippets = fix.snippet === true && workspaceEdit?.snippetEditSupport === true;
  const text = (t: string): string => (fix.snippet && !snippets ? plainSnippetText(t) : t);
  const creates = fix.changes.some((c) => c.kind === 'create');
  if (!workspaceEdit?.documentChanges) {
    if (creates) return undefined;
    const changes: NonNullable<WorkspaceEdit['changes']> = {};
    for (const change of fix.changes) {
      if (change.kind !== 'edit') continue;
      (changes[deps.clientUri(change.uri)] ??= []).push(...change.edits.map((e) => ({ range: e.range, newText: text(e.newText) })));
    }
    return { changes };
  }
  if (creates && !workspaceEdit.resourceOperations?.includes('create')) return undefined;
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  for (const change of fix.changes) {
    const uri = deps.clientUri(change.uri);
    const empty = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const edits: TextDocumentEdit['edits'] =
      change.kind === 'create'
        ? [snippets ? { range: empty, snippet: { kind: 'snippet', value: change.text } } : { range: empty, newText: text(change.text) }]
        : change.edits.map((e) => (snippets ? { range: e.range, snippet: { kind: 'snippet', value: e.newText } } : { range: e.range, newText: text(e.newText) }));
    if (change.kind === 'create') documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
    documentChanges.push({ textDocument: { uri, version: change.kind === 'create' ? null : deps.version(change.uri) }, edits });
  }
  return { documentChanges };
}
