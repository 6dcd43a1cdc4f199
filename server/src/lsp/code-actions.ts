/**
 * `textDocument/codeAction`: the engine's fixes as `quickfix` actions on our
 * diagnostics, every preferred fix of a file as `source.fixAll.irsa` (what
 * VS Code runs for "Fix All" and for `editor.codeActionsOnSave`), and
 * assists as `refactor`. Beside its fixes, every finding offers "Ignore
 * <rule> on this line" (the suppression comment in the file's syntax; in
 * JSON, which has none, an `ignore` entry in `.irsa-lint.json`),
 * "Turn off <rule> in this workspace" (`.irsa-lint.json`) and "Show
 * documentation for <rule>" (a server command), as vscode-eslint does.
 *
 * A diagnostic the client sends back is matched to the server's own current
 * finding by rule id and range; its `data` is never trusted to build edits.
 */
import { CodeActionKind, type ClientCapabilities, type CodeAction, type CodeActionParams, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver/node';
import { SERVER_COMMANDS } from '../../../shared/protocol';
import { jsonPointerAt, suppressionEdit } from '../analysis';
import { addIgnoreEntry, CONFIG_FILE_NAME, setRuleSeverity, type ConfigFileChange } from '../config';
import { fixAllInFile, fixesFor } from '../rules/fixes';
import type { Fix, FixContext } from '../edit/types';
import type { Finding } from '../rules/types';
import { DIAGNOSTIC_SOURCE, plainText, toWorkspaceEdit } from './convert';
import type { Feature } from './feature';
import { canonicalUri } from './uris';
import { readConfigFile } from '../node/config-file';
import { dirnameUri, isUnder, relativeUri, uriToPath } from '../common/uri';

const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.irsa`;
const CODE_ACTION_KINDS: readonly string[] = [CodeActionKind.QuickFix, CodeActionKind.Refactor, FIX_ALL_KIND];

export const CODE_ACTIONS: Feature = {
  methods: ['textDocument/codeAction'],
  capabilities: { codeActionProvider: { codeActionKinds: [...CODE_ACTION_KINDS], resolveProvider: false } },
  register: (connection, { analyzer, documents, folders, settings, log, guard, clientCapabilities, fixContext, assists }) => {
    connection.onCodeAction(
      guard('codeAction', [] as CodeAction[], (params) =>
        codeActions(params, {
          findings: () => analyzer.current(),
          context: fixContext,
          capabilities: clientCapabilities,
          clientUri: (uri) => documents.clientUri(uri),
          version: (uri) => documents.version(uri),
          onError: (message) => log.error(message),
          assists,
          configFileOf: (uri) => {
            const folder = folders.folderOf(uri);
            if (!folder) return undefined;
            const configUri = `${folder.uri}/${CONFIG_FILE_NAME}`;
            const open = documents.text(configUri);
            if (open !== undefined) return { uri: configUri, text: open };
            const read = readConfigFile(uriToPath(configUri), uriToPath(folder.uri));
            return read.ok ? { uri: configUri, text: read.text } : 'absent' in read ? { uri: configUri, text: undefined } : undefined;
          },
          editorSetsRule: (ruleId) => settings.editorSetsRule(ruleId),
        }),
      ),
    );
  },
};

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
  /**
   * The `.irsa-lint.json` that configures a file: its URI and text
   * (undefined text: the folder has none yet); undefined when the file is in
   * no workspace folder or the configuration cannot be read.
   */
  readonly configFileOf?: (uri: string) => { readonly uri: string; readonly text: string | undefined } | undefined;
  /** The editor's `irsa.rules` sets this rule: it wins over `.irsa-lint.json`, so turning it off there would change nothing. */
  readonly editorSetsRule?: (ruleId: string) => boolean;
}

function codeActions(params: CodeActionParams, deps: CodeActionDependencies): CodeAction[] {
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
      if (edit) actions.push({ title: plainText(fix.title), kind: CodeActionKind.Refactor, edit });
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
        if (edit) actions.push({ title: plainText(fix.title), kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred === true, edit });
      }
      actions.push(...findingActions(finding, diagnostic, context, deps));
    }
  }
  if (fixAll) {
    const fix = fixAllInFile(uri, findings, context, deps.onError);
    const edit = fix && toWorkspaceEdit(fix, deps);
    if (fix && edit) actions.push({ title: plainText(fix.title), kind: FIX_ALL_KIND, edit });
  }
  return actions;
}

function sameRange(finding: Finding, diagnostic: Diagnostic): boolean {
  const a = finding.span.range;
  const b = diagnostic.range;
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** What every finding offers besides its rule's fixes: ignore it here, turn its rule off, read its documentation. */
function findingActions(finding: Finding, diagnostic: Diagnostic, context: FixContext, deps: CodeActionDependencies): CodeAction[] {
  const actions: CodeAction[] = [];
  const { ruleId, span } = finding;
  const lines = context.lines(span.uri);
  const ignore = lines && suppressionEdit(span.uri, lines, span.range.start.line, ruleId);
  if (ignore) {
    const edit = toWorkspaceEdit({ title: '', changes: [{ kind: 'edit', uri: span.uri, edits: [ignore] }] }, deps);
    if (edit) actions.push({ title: `Ignore ${ruleId} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
  }
  const config = deps.configFileOf?.(span.uri);
  const configEdit = (change: ConfigFileChange): WorkspaceEdit | undefined =>
    config && toWorkspaceEdit({ title: '', changes: [change.kind === 'create' ? { kind: 'create', uri: config.uri, text: change.text } : { kind: 'edit', uri: config.uri, edits: change.edits }] }, deps);
  // JSON has no comments: the entry goes to `.irsa-lint.json`, keyed by file, rule and the JSON Pointer of the finding.
  if (!ignore && config && lines && /\.json$/i.test(span.uri) && isUnder(span.uri, dirnameUri(config.uri))) {
    const at = jsonPointerAt(lines, span.range.start);
    const change = addIgnoreEntry(config.text, { file: relativeUri(dirnameUri(config.uri), span.uri), rule: ruleId, ...(at !== '' ? { at } : {}) });
    const edit = change && configEdit(change);
    if (edit) actions.push({ title: `Ignore ${ruleId} here (${CONFIG_FILE_NAME})`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
  }
  const off = config && deps.editorSetsRule?.(ruleId) !== true ? setRuleSeverity(config.text, ruleId, 'off') : undefined;
  const offEdit = off && configEdit(off);
  if (offEdit) actions.push({ title: `Turn off ${ruleId} in this workspace (${CONFIG_FILE_NAME})`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: offEdit });
  const title = `Show documentation for ${ruleId}`;
  actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: SERVER_COMMANDS.showDocumentation, arguments: [ruleId] } });
  return actions;
}
