/**
 * The analysis façade used by the language server and the CLI: run every
 * enabled rule over the workspace model, apply severities and suppression
 * comments, and return findings in a stable order.
 */
import type { RuleSettings } from './config';
import { compareSpans } from './common/text';
import type { Workspace } from './index/workspace';
import type { LiveFacts } from './live/types';
import { RULES } from './rules/registry';
import type { Finding, Report, Rule, RuleContext } from './rules/types';

export interface AnalysisOptions {
  readonly rules?: RuleSettings;
  /** Live cluster facts; rules that need them stay silent without them. */
  readonly live?: LiveFacts;
}

export interface AnalysisResult {
  readonly findings: readonly Finding[];
  /** Rules that threw: a bug, reported so the caller can log it; the other rules still ran. */
  readonly failures: readonly { readonly ruleId: string; readonly error: string }[];
}

export function analyze(workspace: Workspace, options: AnalysisOptions = {}, rules: readonly Rule[] = RULES): AnalysisResult {
  const model = workspace.model();
  const findings: Finding[] = [];
  const failures: { ruleId: string; error: string }[] = [];
  const seen = new Set<string>();
  const context: RuleContext = options.live ? { live: options.live } : {};
  for (const rule of rules) {
    const setting = options.rules?.[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (setting === 'off') continue;
    const report = (r: Report<unknown>): void => {
      // A configured severity wins over the rule's own per-finding choice.
      const severity = options.rules?.[rule.meta.id] !== undefined ? setting : (r.severity ?? setting);
      const key = `${rule.meta.id}|${r.span.uri}|${r.span.range.start.line}:${r.span.range.start.character}|${r.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (isSuppressed(workspace, r.span.uri, r.span.range.start.line, rule.meta.id)) return;
      findings.push({ ruleId: rule.meta.id, severity, message: r.message, span: r.span, related: r.related ?? [], ...(r.payload !== undefined ? { payload: r.payload } : {}) });
    };
    try {
      rule.check(model, report, context);
    } catch (e) {
      failures.push({ ruleId: rule.meta.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }
  findings.sort((a, b) => compareSpans(a.span, b.span) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return { findings, failures };
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
