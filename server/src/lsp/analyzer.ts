/**
 * Runs the analysis and publishes its diagnostics. Changes arrive in bursts
 * (a paste, a branch switch, several messages in one read), so a request
 * only arms a short timer: one analysis covers the burst. The timer is far
 * below the edit-to-diagnostics budget (p95 ≤ 50 ms), not a debounce.
 */
import { performance } from 'node:perf_hooks';
import { analyze } from '../analysis';
import type { RuleSettings } from '../config';
import type { Workspace } from '../index/workspace';
import type { LiveFacts } from '../live/types';
import { rule as PARSE_ERROR } from '../rules/parse-error';
import type { Finding } from '../rules/types';
import type { TextRendering } from './convert';
import { diagnosticsByUri, type DiagnosticsPublisher } from './diagnostics';
import type { WorkspaceFolders } from './folders';
import { describeError, type Logger } from './log';
import { stableKey, type SettingsStore } from './settings';

const ANALYSIS_DELAY_MS = 10;
/** Analyses slower than this are logged: the budget is 50 ms from edit to diagnostics. */
const SLOW_ANALYSIS_MS = 100;

export interface AnalyzerDependencies {
  readonly workspace: Workspace;
  readonly folders: WorkspaceFolders;
  readonly settings: SettingsStore;
  readonly publisher: DiagnosticsPublisher;
  readonly log: Logger;
  readonly isOpen: (uri: string) => boolean;
  /** While the scan runs the model is incomplete: only open documents get diagnostics, the rest wait for the scan. */
  readonly isScanning: () => boolean;
  /** Live cluster facts, when they have arrived. */
  readonly liveFacts?: () => LiveFacts | undefined;
  /**
   * When the parse errors of a file may be shown (undefined: now). The
   * document being typed in holds its parse errors back (`documents.ts`).
   */
  readonly parseErrorsHeldUntil?: (uri: string) => number | undefined;
  readonly now?: () => number;
  /** How the client shows diagnostic messages (`convert.ts`). */
  readonly rendering?: () => TextRendering;
  /** After each analysis (live checks look for newly named clusters). */
  readonly onAnalyzed?: () => void;
}

export class Analyzer {
  private timer: NodeJS.Timeout | undefined;
  /** Armed while parse errors are held back: publishes again when the earliest may show. */
  private releaseTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** A failing rule fails on every keystroke: log each distinct failure once. */
  private readonly loggedFailures = new Set<string>();
  /** What the last analysis found, and the workspace version it saw. */
  private last: { readonly findings: readonly Finding[]; readonly version: number } | undefined;
  /** Files over a limit, logged once each (again only if they recover and go over again). */
  private loggedLimits = new Set<string>();
  /** Called after each analysis, after `onAnalyzed` (features that follow the index: the inventory). */
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly deps: AnalyzerDependencies) {}

  schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runNow();
    }, ANALYSIS_DELAY_MS);
  }

  /**
   * The findings of the workspace as it is now: a request (code actions)
   * arriving between an edit and its analysis runs the analysis first, so
   * fixes are never computed from stale findings.
   */
  current(): readonly Finding[] {
    if (this.timer || !this.last || this.last.version !== this.deps.workspace.version) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.runNow();
    }
    return this.last?.findings ?? [];
  }

  /** Calls `listener` after each analysis from now on. */
  onDidAnalyze(listener: () => void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.timer = undefined;
    this.releaseTimer = undefined;
  }

  runNow(): void {
    if (this.stopped) return;
    const { workspace, publisher, log } = this.deps;
    try {
      const started = performance.now();
      const findings = this.findings();
      this.last = { findings, version: workspace.version };
      this.logLimitedFiles();
      const scanning = this.deps.isScanning();
      const sent = publisher.publish(diagnosticsByUri(this.shown(findings), this.deps.rendering?.()), scanning ? this.deps.isOpen : undefined);
      const elapsed = performance.now() - started;
      this.deps.onAnalyzed?.();
      for (const listener of this.listeners) listener();
      if (elapsed > SLOW_ANALYSIS_MS) log.info(`Analysis of ${workspace.size} files took ${Math.round(elapsed)} ms (${findings.length} findings, ${sent} files updated).`);
    } catch (e) {
      log.error(`Analysis failed: ${describeError(e)}`);
    }
  }

  /**
   * The findings to publish: all but the parse errors held back while their
   * document is typed in; a timer publishes those when the text goes idle.
   * (Code actions still see every finding: `current()`.)
   */
  private shown(findings: readonly Finding[]): readonly Finding[] {
    const heldUntil = this.deps.parseErrorsHeldUntil;
    if (!heldUntil) return findings;
    let earliest: number | undefined;
    const shown = findings.filter((finding) => {
      if (finding.ruleId !== PARSE_ERROR.meta.id) return true;
      const until = heldUntil(finding.span.uri);
      if (until === undefined) return true;
      earliest = earliest === undefined ? until : Math.min(earliest, until);
      return false;
    });
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
    if (earliest !== undefined) {
      const wait = Math.max(0, earliest - (this.deps.now ?? Date.now)()) + 1;
      this.releaseTimer = setTimeout(() => {
        this.releaseTimer = undefined;
        this.runNow();
      }, wait);
    }
    return shown;
  }

  /**
   * Every folder's findings under its own rule settings (`.irsa-lint.json`
   * is per folder). Folders with equal settings share one analysis, so the
   * usual single-root workspace costs one.
   */
  private findings(): readonly Finding[] {
    const { folders, settings, workspace } = this.deps;
    const groups = new Map<string, { rules: RuleSettings; trustPolicyMaxLength: number; markdown: boolean; folderUris: Set<string | undefined> }>();
    for (const folderUri of [...folders.list().map((f) => f.uri), undefined]) {
      const rules = settings.rulesFor(folderUri);
      const trustPolicyMaxLength = settings.trustPolicyMaxLengthFor(folderUri);
      const markdown = settings.markdownFor(folderUri);
      const key = `${stableKey(rules)}|${trustPolicyMaxLength}|${markdown}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { rules, trustPolicyMaxLength, markdown, folderUris: new Set() }));
      group.folderUris.add(folderUri);
    }
    const all: Finding[] = [];
    const live = this.deps.liveFacts?.();
    const ignore = settings.ignores();
    for (const group of groups.values()) {
      const { findings, failures } = analyze(workspace, { rules: group.rules, ignore, trustPolicyMaxLength: group.trustPolicyMaxLength, markdown: group.markdown, ...(live ? { live } : {}) });
      for (const failure of failures) this.logFailure(failure.ruleId, failure.error);
      if (groups.size === 1) return findings;
      for (const finding of findings) if (group.folderUris.has(folders.folderOf(finding.span.uri)?.uri)) all.push(finding);
    }
    return all;
  }

  private logLimitedFiles(): void {
    const current = new Set<string>();
    for (const { uri, reason } of this.deps.workspace.limitedFiles()) {
      const key = `${uri}\n${reason}`;
      current.add(key);
      if (!this.loggedLimits.has(key)) this.deps.log.warn(`Skipped ${uri}: ${reason}; the rest of the workspace is analysed without it.`);
    }
    this.loggedLimits = current;
  }

  private logFailure(ruleId: string, error: string): void {
    const key = `${ruleId}\n${error}`;
    if (this.loggedFailures.has(key)) return;
    this.loggedFailures.add(key);
    this.deps.log.error(`Rule ${ruleId} failed; its findings are missing, the other rules ran. This is a bug in irsa-lint: ${error}`);
  }
}
