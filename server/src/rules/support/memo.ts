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

interface Entry {
  readonly deps: readonly unknown[];
  readonly reports: readonly Report[];
}

const caches = new Map<string, WeakMap<object, Entry>>();

export function memoReports(ruleId: string, key: object, deps: readonly unknown[], compute: () => Report[]): readonly Report[] {
  let cache = caches.get(ruleId);
  if (!cache) caches.set(ruleId, (cache = new WeakMap()));
  const hit = cache.get(key);
  if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i])) return hit.reports;
  const reports = compute();
  cache.set(key, { deps, reports });
  return reports;
}

/** Collects what a compute function reports, for `memoReports`. */
export function collect(fill: (report: (r: Report) => void) => void): Report[] {
  const out: Report[] = [];
  fill((r) => out.push(r));
  return out;
}

/**
 * Runs `check` for each EKS web-identity statement, reusing the reports of
 * statements that are unchanged (the same statement and policy objects, and
 * the same `deps`). `check` may read the statement, its policy and `deps`.
 */
export function forEachEksStatement(
  model: WorkspaceModel,
  ruleId: string,
  deps: readonly unknown[],
  check: (statement: EksStatement, report: (r: Report) => void) => void,
  report: (r: Report) => void,
): void {
  for (const s of model.allEksWebIdentityStatements()) {
    for (const r of memoReports(ruleId, s.statement, [s.policy, ...deps], () => collect((out) => check(s, out)))) report(r);
  }
}

/** The same over every statement of every trust policy, EKS or not. */
export function forEachStatement(
  model: WorkspaceModel,
  ruleId: string,
  deps: readonly unknown[],
  check: (statement: EksStatement, report: (r: Report) => void) => void,
  report: (r: Report) => void,
): void {
  for (const policy of model.trustPolicies) {
    for (const statement of policy.statements) {
      for (const r of memoReports(ruleId, statement, [policy, ...deps], () => collect((out) => check({ policy, statement }, out)))) report(r);
    }
  }
}
