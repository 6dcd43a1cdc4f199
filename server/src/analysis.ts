/**
 * The analysis façade used by the language server and the CLI: run every
 * enabled rule over the workspace model, apply severities and suppression
 * comments, and return findings in a stable order.
 */
import { getLocation } from 'jsonc-parser';
import { jsonPointer, type Ignore, type RuleSettings } from './config';
import { compareSpans, type LineIndex, type Position } from './common/text';
import { fencedBlocks } from './parse/markdown';
import type { TextEdit } from './edit/types';
import type { WorkspaceModel } from './index/model';
import type { Workspace } from './index/workspace';
import type { LiveFacts } from './live/types';
import { RULES } from './rules/registry';
import type { Finding, Report, Rule, RuleContext } from './rules/types';

export interface AnalysisOptions {
  readonly rules?: RuleSettings;
  /** Live cluster facts; rules that need them stay silent without them. */
  readonly live?: LiveFacts;
  /** `ignore` entries of the configuration files, their files resolved to URIs by the caller. */
  readonly ignore?: readonly Ignore[];
  /** IAM's role trust policy quota in characters (settings, `.irsa-lint.json`); absent means the default. */
  readonly trustPolicyMaxLength?: number;
  /**
   * Analyse the fenced blocks of Markdown runbooks (`irsa.markdown.enabled`,
   * `.irsa-lint.json` `markdown.enabled`, the CLI's `--no-markdown`); true by default.
   */
  readonly markdown?: boolean;
}

export interface AnalysisResult {
  readonly findings: readonly Finding[];
  /** Rules that threw: a bug, reported so the caller can log it; the other rules still ran. */
  readonly failures: readonly { readonly ruleId: string; readonly error: string }[];
}

export function analyze(workspace: Workspace, options: AnalysisOptions = {}, rules: readonly Rule[] = RULES): AnalysisResult {
  const findings: Finding[] = [];
  const failures: { ruleId: string; error: string }[] = [];
  const seen = new Set<string>();
  const sizeLimit: RuleContext = options.trustPolicyMaxLength !== undefined ? { trustPolicyMaxLength: options.trustPolicyMaxLength } : {};
  // Each runbook is a workspace of its own (`Workspace.islands`), and never checked against live clusters: it holds examples.
  const models: { readonly model: WorkspaceModel; readonly context: RuleContext }[] = [
    {
      model: workspace.model(),
      context: { ...(options.live ? { live: options.live } : {}), ...sizeLimit, mentions: (text, exceptUri) => mentions(workspace, text, exceptUri) },
    },
    ...(options.markdown === false ? [] : workspace.islands().map((island) => ({ model: island.model, context: sizeLimit }))),
  ];
  const ignored = ignoreMatcher(workspace, options.ignore ?? []);
  for (const rule of rules) {
    const setting = options.rules?.[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (setting === 'off') continue;
    const report = (r: Report<unknown>): void => {
      // A configured severity wins over the rule's own per-finding choice.
      const severity = options.rules?.[rule.meta.id] !== undefined ? setting : (r.severity ?? setting);
      const key = `${rule.meta.id}|${r.span.uri}|${r.span.range.start.line}:${r.span.range.start.character}|${r.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (isSuppressed(workspace, r.span.uri, r.span.range.start.line, rule.meta.id) || ignored(r.span.uri, r.span.range.start, rule.meta.id)) return;
      findings.push({ ruleId: rule.meta.id, severity, message: r.message, span: r.span, related: r.related ?? [], ...(r.payload !== undefined ? { payload: r.payload } : {}) });
    };
    for (const { model, context } of models) {
      try {
        rule.check(model, report, context);
      } catch (e) {
        failures.push({ ruleId: rule.meta.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    }
  }
  findings.sort((a, b) => compareSpans(a.span, b.span) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return { findings, failures };
}

/**
 * Whether an `ignore` entry covers a finding: one without `at` covers its
 * file; one with `at` covers the JSON value at that pointer and everything
 * inside it, wherever it moves in the file.
 */
function ignoreMatcher(workspace: Workspace, ignore: readonly Ignore[]): (uri: string, at: Position, ruleId: string) => boolean {
  if (ignore.length === 0) return () => false;
  const byFile = new Map<string, Ignore[]>();
  for (const entry of ignore) byFile.set(entry.uri, [...(byFile.get(entry.uri) ?? []), entry]);
  return (uri, position, ruleId) => {
    const entries = byFile.get(uri)?.filter((e) => e.ruleId === ruleId);
    if (!entries || entries.length === 0) return false;
    if (entries.some((e) => e.at === undefined)) return true;
    const lines = workspace.lines(uri);
    if (!lines) return false;
    const pointer = jsonPointerAt(lines, position);
    return entries.some((e) => pointer === e.at || pointer.startsWith(`${e.at}/`));
  };
}

/** The JSON Pointer of the value or key at a position of a JSON file, for an `ignore` entry's `at`. */
export function jsonPointerAt(lines: LineIndex, position: Position): string {
  return jsonPointer(getLocation(lines.text, lines.offsetAt(position)).path);
}

/**
 * Occurrences of `text` in every file but `exceptUri`. Of a file the
 * pre-filter set aside only the role names in its role ARNs are known:
 * there `text` counts once when it is one of them.
 */
function mentions(workspace: Workspace, text: string, exceptUri: string | undefined): number {
  if (text === '') return 0;
  let n = 0;
  for (const uri of workspace.uris()) {
    if (uri === exceptUri) continue;
    const content = workspace.text(uri);
    if (content === undefined) {
      if (workspace.roleNamesInArns(uri)?.includes(text)) n++;
      continue;
    }
    for (let at = content.indexOf(text); at >= 0; at = content.indexOf(text, at + text.length)) n++;
  }
  return n;
}

const IGNORE_COMMENT = /(?:#|\/\/)\s*irsa-ignore\b(.*)$/;

/**
 * `# irsa-ignore <id>[, <id>…]` (or `//` in HCL) on the line above a
 * finding suppresses it; without ids it suppresses every rule on that line.
 */
function isSuppressed(workspace: Workspace, uri: string, line: number, ruleId: string): boolean {
  const lines = workspace.lines(uri);
  if (!lines || line === 0) return false;
  const match = IGNORE_COMMENT.exec(lines.lineText(line - 1));
  if (!match) return false;
  const ids = (match[1] ?? '').split(/[\s,]+/).filter((s) => s.length > 0 && !s.startsWith('--'));
  return ids.length === 0 || ids.includes(ruleId);
}

/**
 * The edit that suppresses `ruleId` on `line` with the comment
 * `isSuppressed` reads, in the file's own syntax: a `# irsa-ignore <id>`
 * line above it at its indentation, or the id added to an `irsa-ignore`
 * comment already there. Undefined where a comment cannot go: JSON has
 * none, and a line inside a Terraform heredoc or a YAML block scalar is
 * text, where a `#` line would change the value.
 */
export function suppressionEdit(uri: string, lines: LineIndex, line: number, ruleId: string): TextEdit | undefined {
  if (/\.json$/i.test(uri) || line < 0 || line >= lines.lineCount) return undefined;
  if (/\.(md|markdown)$/i.test(uri) && !commentableInRunbook(lines, line)) return undefined;
  if (/\.(tf|tfvars|hcl)$/i.test(uri) ? insideHeredoc(lines, line) : /\.ya?ml$/i.test(uri) && insideBlockScalar(lines, line)) return undefined;
  if (line > 0) {
    const above = lines.lineText(line - 1);
    const match = IGNORE_COMMENT.exec(above);
    if (match) {
      const ids = (match[1] ?? '').split(/[\s,]+/).filter((s) => s.length > 0 && !s.startsWith('--'));
      // Without ids it already suppresses every rule, so the finding is not shown; with them, add ours.
      if (ids.length === 0 || ids.includes(ruleId)) return undefined;
      const last = ids[ids.length - 1]!;
      const at = { line: line - 1, character: above.lastIndexOf(last) + last.length };
      return { range: { start: at, end: at }, newText: `, ${ruleId}` };
    }
  }
  const indent = /^\s*/.exec(lines.lineText(line))?.[0] ?? '';
  const eol = lines.text.includes('\r\n') ? '\r\n' : '\n';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# irsa-ignore ${ruleId}${eol}` };
}

/**
 * In a runbook, a comment goes only where the block's own syntax takes one:
 * a YAML block outside block scalars, a shell block outside heredocs.
 */
function commentableInRunbook(lines: LineIndex, line: number): boolean {
  const at = lines.offsetAt({ line, character: 0 });
  const block = fencedBlocks(lines.text).find((b) => b.start <= at && at < b.end);
  if (!block || (block.language !== 'yaml' && block.language !== 'shell')) return false;
  if (block.language === 'yaml') return !insideBlockScalar(lines, line);
  let marker: string | undefined;
  for (let i = lines.positionAt(block.start).line; i < line; i++) {
    const text = lines.lineText(i);
    if (marker === undefined) marker = /<<-?\s*(['"]?)([A-Za-z_]\w*)\1/.exec(text)?.[2];
    else if (text.trim() === marker) marker = undefined;
  }
  return marker === undefined;
}

/** Whether `line` is in the body of a `<<EOT` / `<<-EOT` heredoc (or is its closing marker). */
function insideHeredoc(lines: LineIndex, line: number): boolean {
  let marker: string | undefined;
  for (let i = 0; i < line; i++) {
    const text = lines.lineText(i);
    if (marker === undefined) marker = /<<-?\s*([A-Za-z_][\w-]*)\s*$/.exec(text)?.[1];
    else if (text.trim() === marker) marker = undefined;
  }
  return marker !== undefined;
}

/** Whether `line` is in a YAML block scalar (`key: |` or `key: >-` above it, less indented). */
function insideBlockScalar(lines: LineIndex, line: number): boolean {
  const indentOf = (text: string): number => /^\s*/.exec(text)?.[0].length ?? 0;
  let indent = indentOf(lines.lineText(line));
  for (let i = line - 1; i >= 0 && indent > 0; i--) {
    const text = lines.lineText(i);
    if (text.trim() === '' || indentOf(text) >= indent) continue;
    if (/(?:^|[:\s-])[|>][-+0-9]*\s*(?:#.*)?$/.test(text)) return true;
    indent = indentOf(text);
  }
  return false;
}
