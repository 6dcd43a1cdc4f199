/**
 * Every conversion between the engine's values and the protocol's, in one
 * place (as terraform-ls keeps them in `internal/lsp`): the feature files
 * ask the engine and hand its answer through here.
 *
 * The engine's positions are the protocol's already (zero-based lines,
 * UTF-16 characters: `common/text.ts`), so ranges pass as they are.
 */
import {
  CompletionItemKind,
  DiagnosticSeverity,
  MarkupKind,
  NotificationType,
  NotificationType0,
  RequestType,
  RequestType0,
  SymbolKind,
  type ClientCapabilities,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type Location,
  type MarkupContent,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { COMMANDS, DIAGNOSTIC_SOURCE, type NotificationDeclaration, type RequestDeclaration } from '../../../shared/protocol';
import type { Span } from '../common/text';
import { plainSnippetText } from '../edit/edits';
import type { Fix } from '../edit/types';
import type { RoleLens } from '../ide/code-lens';
import type { CompletionEntry } from '../ide/completion';
import type { IrsaSymbol, SymbolKind as IrsaSymbolKind } from '../ide/symbols';
import { docsUrl, type Finding, type Severity } from '../rules/types';

// `Diagnostic.source`: what the editor shows beside the message (shared with the client, which counts them).
export { DIAGNOSTIC_SOURCE };

export function toLocation(span: Span): Location {
  return { uri: span.uri, range: span.range };
}

const SEVERITIES: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

/**
 * The engine writes its messages and fix titles in Markdown (`code` in
 * backticks), which hovers render. Most clients show diagnostic messages,
 * related information and code action titles as plain text, where the
 * backticks would show raw: there they become plain quotes. A client that
 * renders Markdown in diagnostic messages (LSP 3.18 `markupMessageSupport`)
 * gets them as written. This is the one place that decides.
 */
export interface TextRendering {
  /** The client renders `MarkupContent` in `Diagnostic.message`. */
  readonly markdownMessages: boolean;
}

export function textRenderingOf(capabilities: ClientCapabilities): TextRendering {
  const marked = (c: object | undefined): boolean => c !== undefined && 'markupMessageSupport' in c && c.markupMessageSupport === true;
  return { markdownMessages: marked(capabilities.textDocument?.publishDiagnostics) || marked(capabilities.textDocument?.diagnostic) };
}

/** Markdown as plain text: `code` spans become 'code'. */
export function plainText(markdown: string): string {
  return markdown.replace(/`([^`\n]+)`/g, "'$1'");
}

/**
 * `code` is the rule id: code actions and suppressions find the rule by it,
 * never by message text. No `data`: a code action finds the server's own
 * finding (and the facts its fixes need) by rule and range.
 */
export function toDiagnostic(finding: Finding, rendering: TextRendering = { markdownMessages: false }): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.span.range,
    severity: SEVERITIES[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: rendering.markdownMessages ? toMarkupContent(finding.message) : plainText(finding.message),
  };
  if (finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: toLocation(r.span), message: plainText(r.message) }));
  }
  return diagnostic;
}

export function toMarkupContent(markdown: string): MarkupContent {
  return { kind: MarkupKind.Markdown, value: markdown };
}

const SYMBOL_KINDS: Readonly<Record<IrsaSymbolKind, SymbolKind>> = {
  role: SymbolKind.Class,
  'trust-policy': SymbolKind.Namespace,
  'trust-statement': SymbolKind.Property,
  'service-account': SymbolKind.Object,
};

export function toDocumentSymbol(symbol: IrsaSymbol): DocumentSymbol {
  return {
    name: symbol.name,
    ...(symbol.detail !== undefined ? { detail: symbol.detail } : {}),
    kind: SYMBOL_KINDS[symbol.kind],
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    children: symbol.children.map(toDocumentSymbol),
  };
}

/** The item replaces the whole value it completes (`textEdit`), and filters by the text it inserts. */
export function toCompletionItem(entry: CompletionEntry): CompletionItem {
  return {
    label: entry.label,
    kind: entry.kind === 'role' ? CompletionItemKind.Reference : CompletionItemKind.Value,
    detail: entry.detail,
    sortText: entry.sortText,
    filterText: entry.newText,
    textEdit: { range: entry.range, newText: entry.newText },
  };
}

/** A role's lens runs the client's `irsa.showReferences` with `(uri, position, locations)`, as `editor.action.showReferences` takes them. */
export function toCodeLens(uri: string, lens: RoleLens): CodeLens {
  return {
    range: lens.range,
    command: { title: lens.title, command: COMMANDS.showReferences, arguments: [uri, lens.range.start, lens.locations.map(toLocation)] },
  };
}

/** What `toWorkspaceEdit` needs to know of the client and its open documents. */
export interface EditTarget {
  readonly capabilities: () => ClientCapabilities;
  /** The URI as the client spelled it when it opened the document (edits must use it). */
  readonly clientUri: (uri: string) => string;
  /** The open document's version; null for a closed file. */
  readonly version: (uri: string) => number | null;
}

/**
 * The fix as the client can take it: versioned document edits (snippet edits
 * where supported, else their placeholders as text) and file creation when
 * the client can create files; undefined when it cannot apply the fix.
 */
export function toWorkspaceEdit(fix: Fix, target: EditTarget): WorkspaceEdit | undefined {
  const workspaceEdit = target.capabilities().workspace?.workspaceEdit;
  const snippets = fix.snippet === true && workspaceEdit?.snippetEditSupport === true;
  const text = (t: string): string => (fix.snippet && !snippets ? plainSnippetText(t) : t);
  const creates = fix.changes.some((c) => c.kind === 'create');
  if (!workspaceEdit?.documentChanges) {
    if (creates) return undefined;
    const changes: NonNullable<WorkspaceEdit['changes']> = {};
    for (const change of fix.changes) {
      if (change.kind !== 'edit') continue;
      (changes[target.clientUri(change.uri)] ??= []).push(...change.edits.map((e) => ({ range: e.range, newText: text(e.newText) })));
    }
    return { changes };
  }
  if (creates && !workspaceEdit.resourceOperations?.includes('create')) return undefined;
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  for (const change of fix.changes) {
    const uri = target.clientUri(change.uri);
    const empty = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const edits: TextDocumentEdit['edits'] =
      change.kind === 'create'
        ? [snippets ? { range: empty, snippet: { kind: 'snippet', value: change.text } } : { range: empty, newText: text(change.text) }]
        : change.edits.map((e) => (snippets ? { range: e.range, snippet: { kind: 'snippet', value: e.newText } } : { range: e.range, newText: text(e.newText) }));
    if (change.kind === 'create') documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
    documentChanges.push({ textDocument: { uri, version: change.kind === 'create' ? null : target.version(change.uri) }, edits });
  }
  return { documentChanges };
}

/** A request of `shared/protocol.ts` without parameters, as vscode-languageserver types it. */
export function requestType0<R>(request: RequestDeclaration<void, R>): RequestType0<R, void> {
  return new RequestType0<R, void>(request.method);
}

/** A request of `shared/protocol.ts` with parameters. */
export function requestType<P, R>(request: RequestDeclaration<P, R>): RequestType<P, R, void> {
  return new RequestType<P, R, void>(request.method);
}

/** A notification of `shared/protocol.ts` without parameters. */
export function notificationType0(notification: NotificationDeclaration<void>): NotificationType0 {
  return new NotificationType0(notification.method);
}

/** A notification of `shared/protocol.ts` with parameters. */
export function notificationType<P>(notification: NotificationDeclaration<P>): NotificationType<P> {
  return new NotificationType<P>(notification.method);
}
