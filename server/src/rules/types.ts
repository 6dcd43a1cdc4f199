/**
 * The rule contract, in the manner of rust-analyzer's diagnostics: a rule is
 * one file named by its id, holding its metadata, its `check`, the payload
 * its findings carry, and its fixes, which receive that payload (the facts
 * the rule found) and never search the model for them again.
 *
 *     export const rule = defineRule({
 *       meta: { id: 'trust-missing-sub', defaultSeverity: 'error', title: '…' },
 *       check(model, report) { report({ span, message, payload: { policy, statement } }); },
 *       fixes({ policy, statement }, finding, context) { return [...]; },
 *     });
 *
 * Rules read the workspace model and never do IO or know about the protocol;
 * fixes return plain edits (`edit/types.ts`), which the language server
 * turns into code actions and the CLI writes with `--fix`.
 */
import type { SeveritySetting } from '../../../shared/settings';
import type { Span } from '../common/text';
import type { Fix, FixContext } from '../edit/types';
import type { WorkspaceModel } from '../index/model';
import type { LiveFacts } from '../live/types';

export type { SeveritySetting };
/** A finding's severity: what a rule may be set to, but `off`. */
export type Severity = Exclude<SeveritySetting, 'off'>;

export interface RuleMeta<Id extends string = string> {
  /** Product interface: users suppress and configure rules by this id. */
  readonly id: Id;
  readonly defaultSeverity: Severity;
  /** One line, for SARIF `shortDescription`, the README table and hovers. */
  readonly title: string;
  /** Whether the rule has fixes: its findings may come with quick fixes and `--fix` edits. */
  readonly fixable: boolean;
}

export interface RelatedInformation {
  readonly span: Span;
  readonly message: string;
}

/** What a rule reports about one place. `P` is what its fixes are handed. */
export interface Report<P = never> {
  readonly span: Span;
  readonly message: string;
  readonly related?: readonly RelatedInformation[];
  /** Overrides the default severity for this finding (e.g. a "did you mean" raises a note to a warning). */
  readonly severity?: Severity;
  /**
   * The facts the rule found, for its fixes. A finding without one gets no
   * fix: a rule leaves it out where no fix could apply.
   */
  readonly payload?: P;
}

/** Where a rule's `check` sends its reports. */
export type Reporter<P> = (finding: Report<P>) => void;

/** A report once analysed: its rule, its severity after settings, and its payload, opaque outside its rule. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly RelatedInformation[];
  /** Read only by the fixes of the rule `ruleId` names (see `defineRule`). */
  readonly payload?: unknown;
}

/** Inputs besides the workspace. */
export interface RuleContext {
  /** What AWS says about the clusters (live checks); absent when they are off or have not answered yet. */
  readonly live?: LiveFacts;
  /** IAM's role trust policy quota in characters (`trust-policy-size`); absent means IAM's default, 2,048. */
  readonly trustPolicyMaxLength?: number;
  /**
   * How many times `text` occurs in the workspace's files (those whose text
   * the index keeps) other than `exceptUri`: a plain search for rules that
   * must know whether anything at all mentions a name. Absent: the rule
   * assumes something does.
   */
  readonly mentions?: (text: string, exceptUri?: string) => number;
}

/** A rule as its file writes it: typed by its payload. */
export interface RuleDefinition<Id extends string, P> {
  readonly meta: Omit<RuleMeta<Id>, 'fixable'>;
  /** `report` is typed by the payload (`check(model: WorkspaceModel, report: Reporter<Payload>)`), from which the rule's payload type is taken. */
  check(model: WorkspaceModel, report: Reporter<P>, context: RuleContext): void;
  /**
   * The fixes for one finding, best first; none when a value they would
   * write is not known. `finding` is the finding as analysed (its span and
   * severity); `context` reads the workspace as it is now.
   */
  fixes?(payload: P, finding: Finding, context: FixContext): readonly Fix[];
}

/** A rule as the registry holds it: the payload type is the rule's own business. */
export interface Rule<Id extends string = string> {
  readonly meta: RuleMeta<Id>;
  check(model: WorkspaceModel, report: (finding: Report<unknown>) => void, context: RuleContext): void;
  /** The fixes of a finding this rule made; none for a finding without a payload. */
  fixes(finding: Finding, context: FixContext): readonly Fix[];
}

/**
 * Seals a rule's payload type inside it. A finding's payload is the one its
 * rule reported (`analyze` copies it from the report of the rule whose id the
 * finding carries), so handing it back to the same rule's fixes as `P` is safe.
 */
export function defineRule<const Id extends string, P = never>(definition: RuleDefinition<Id, P>): Rule<Id> {
  const { fixes } = definition;
  return {
    meta: { ...definition.meta, fixable: fixes !== undefined },
    check: (model, report, context) => definition.check(model, report, context),
    fixes: (finding, context) => (fixes && finding.payload !== undefined ? fixes(finding.payload as P, finding, context) : []),
  };
}

export const DOCS_BASE_URL = 'https://github.com/irsa-tools/irsa-lint/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
