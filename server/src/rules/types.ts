/**
 * The rule contract. A rule is one file named by its id, exporting a `Rule`:
 * metadata plus `check(model, report)`. Rules read the workspace model (facts
 * and links) and never do IO or know about the protocol.
 */
import type { Span } from '../common/text';
import type { WorkspaceModel } from '../index/model';
import type { LiveFacts } from '../live/types';

export type Severity = 'error' | 'warning' | 'note';
export type SeveritySetting = Severity | 'off';

export interface RuleMeta {
  /** Product interface: users suppress and configure rules by this id. */
  readonly id: string;
  readonly defaultSeverity: Severity;
  /** One line, for SARIF `shortDescription`, the README table and hovers. */
  readonly title: string;
}

export interface RelatedInformation {
  readonly span: Span;
  readonly message: string;
}

/** What a rule reports. */
export interface Report {
  readonly span: Span;
  readonly message: string;
  readonly related?: readonly RelatedInformation[];
  /** Overrides the default severity for this finding (e.g. a "did you mean" raises a note to a warning). */
  readonly severity?: Severity;
  /** Plain data for quick fixes, carried through LSP `Diagnostic.data`. */
  readonly data?: FindingData;
}

export type FindingData = Readonly<Record<string, string | number | boolean | readonly string[]>>;

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly RelatedInformation[];
  readonly data?: FindingData;
}

/** Inputs besides the workspace. */
export interface RuleContext {
  /** What AWS says about the clusters (live checks); absent when they are off or have not answered yet. */
  readonly live?: LiveFacts;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(model: WorkspaceModel, report: (finding: Report) => void, context: RuleContext): void;
}

export const DOCS_BASE_URL = 'https://github.com/irsa-tools/irsa-lint/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
