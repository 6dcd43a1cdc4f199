/**
 * Per-fact memoisation of rule reports across analyses.
 *
 * After an edit, only the edited file's facts are new objects; every other
 * fact keeps its identity (see `index/workspace.ts`), and so do the model's
 * shared inputs while they are unchanged (`index/model.ts`). A rule that
 * computes its reports for one fact (a statement, a ServiceAccount) from
 * that fact and a few other values can therefore reuse last analysis's
 * reports when all of them are the same objects. That keeps re-analysis
 * after an edit proportional to what changed, not to the workspace.
 *
 * The contract: `compute` may read only `key` and the values in `deps`
 * (and pure functions of them). Everything else it reads, from the model
 * or elsewhere, must be listed in `deps`. Deps are compared by identity.
 */
import type { EksStatement, WorkspaceModel } from '../../index/model';
import type { Report } from '../types';

interface Entry<P> {
  readonly owner: unknown;
  readonly deps: readonly unknown[];
  readonly reports: readonly Report<P>[];
}

const caches = new Map<string, WeakMap<object, Entry<unknown>>>();

/**
 * One cache per rule id, so every entry in it holds reports of one rule,
 * whose payload type is `P`: the cast only restores what was stored.
 */
function cacheOf<P>(ruleId: string): WeakMap<object, Entry<P>> {
  let cache = caches.get(ruleId);
  if (!cache) caches.set(ruleId, (cache = new WeakMap()));
  return cache as WeakMap<object, Entry<P>>;
}

/**
 * The reports of `compute` for `key`, reused while `owner` (e.g. the policy
 * of a statement) and every element of `deps` are the same objects. Callers
 * pass one `deps` array for a whole rule run: re-analysis after an edit
 * must not allocate per fact, or garbage collection eats the time saved.
 */
export function memoReports<P>(ruleId: string, key: object, deps: readonly unknown[], compute: () => Report<P>[], owner?: unknown): readonly Report<P>[] {
  return lookup(cacheOf<P>(ruleId), key, owner, deps, compute);
}

function lookup<P>(cache: WeakMap<object, Entry<P>>, key: object, owner: unknown, deps: readonly unknown[], compute: () => Report<P>[]): readonly Report<P>[] {
  const hit = cache.get(key);
  if (hit && hit.owner === owner && sameDeps(hit.deps, deps)) return hit.reports;
  const reports = compute();
  cache.set(key, { owner, deps, reports });
  return reports;
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Collects what a compute function reports, for `memoReports`. */
export function collect<P>(fill: (report: (r: Report<P>) => void) => void): Report<P>[] {
  const out: Report<P>[] = [];
  fill((r) => out.push(r));
  return out;
}

export type StatementCheck<P> = (statement: EksStatement, report: (r: Report<P>) => void) => void;

/**
 * Runs `check` for each EKS web-identity statement, reusing the reports of
 * statements that are unchanged (the same statement and policy objects, and
 * the same `deps`). `check` may read the statement, its policy and `deps`.
 */
export function forEachEksStatement<P>(model: WorkspaceModel, ruleId: string, deps: readonly unknown[], check: StatementCheck<P>, report: (r: Report<P>) => void): void {
  runOver(model.allEksWebIdentityStatements(), ruleId, deps, check, report);
}

/** The same over every statement of every trust policy, EKS or not. */
export function forEachStatement<P>(model: WorkspaceModel, ruleId: string, deps: readonly unknown[], check: StatementCheck<P>, report: (r: Report<P>) => void): void {
  runOver(model.allStatements(), ruleId, deps, check, report);
}

/**
 * A rule's whole run over a statement list: while editing ServiceAccounts the
 * model keeps the very same list (no policy changed), and with the same deps
 * the rule's reports are those of last time, without a lookup per statement.
 */
interface RunEntry<P> {
  readonly statements: readonly EksStatement[];
  readonly deps: readonly unknown[];
  readonly reports: readonly Report<P>[];
}

const runs = new Map<string, RunEntry<unknown>>();

function runOver<P>(statements: readonly EksStatement[], ruleId: string, deps: readonly unknown[], check: StatementCheck<P>, report: (r: Report<P>) => void): void {
  // Keyed by rule id, as the caches are: the entry holds this rule's reports.
  const last = runs.get(ruleId) as RunEntry<P> | undefined;
  if (last && last.statements === statements && sameDeps(last.deps, deps)) {
    for (let i = 0; i < last.reports.length; i++) report(last.reports[i]!);
    return;
  }
  const cache = cacheOf<P>(ruleId);
  const all: Report<P>[] = [];
  for (const s of statements) {
    const reports = lookup(cache, s.statement, s.policy, deps, () => collect((out) => check(s, out)));
    for (let i = 0; i < reports.length; i++) {
      report(reports[i]!);
      all.push(reports[i]!);
    }
  }
  runs.set(ruleId, { statements, deps, reports: all });
}
