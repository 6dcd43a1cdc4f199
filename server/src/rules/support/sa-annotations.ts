/**
 * Annotations the EKS pod identity webhook reads, on ServiceAccounts and
 * (some) on Pods, shared by the annotation rules.
 */
import type { Annotation } from '../../facts/types';
import type { WorkspaceModel } from '../../index/model';
import type { Span } from '../../common/text';
import type { Report } from '../types';
import { collect, memoReports } from './memo';

export const WEBHOOK_ANNOTATIONS = ['eks.amazonaws.com/role-arn', 'eks.amazonaws.com/audience', 'eks.amazonaws.com/sts-regional-endpoints', 'eks.amazonaws.com/token-expiration'] as const;

/** Other real annotations under the prefix: never reported as typos. */
export const OTHER_EKS_ANNOTATIONS: ReadonlySet<string> = new Set(['eks.amazonaws.com/skip-containers', 'eks.amazonaws.com/compute-type', 'eks.amazonaws.com/fargate-profile', 'eks.amazonaws.com/nodegroup', 'eks.amazonaws.com/capacityType']);

/** Annotations the webhook reads on Pods (pkg/handler: the rest come from the ServiceAccount only). */
export const POD_ANNOTATIONS = ['eks.amazonaws.com/token-expiration', 'eks.amazonaws.com/skip-containers'] as const;

export interface AnnotationSite {
  readonly annotation: Annotation;
  /** Every annotation of the object the annotation sits on (itself included). */
  readonly annotations: readonly Annotation[];
  /** Whether the annotation sits on a ServiceAccount or on a Pod (template). */
  readonly on: 'ServiceAccount' | 'Pod';
  /** "ServiceAccount demo/app" or "Deployment demo/web (pod template)". */
  readonly owner: string;
  readonly span: Span;
}

/**
 * Runs `check` on every annotation site, memoised per ServiceAccount and
 * per workload: `check` may read only the site (see `memo.ts`).
 */
const NO_DEPS: readonly unknown[] = [];

export function forEachAnnotationSite<P>(model: WorkspaceModel, ruleId: string, check: (site: AnnotationSite, report: (r: Report<P>) => void) => void, report: (r: Report<P>) => void): void {
  for (const sa of model.serviceAccounts) {
    if (sa.annotations.length === 0) continue;
    const reports = memoReports<P>(ruleId, sa, NO_DEPS, () =>
      collect<P>((out) => {
        for (const annotation of sa.annotations) check({ annotation, annotations: sa.annotations, on: 'ServiceAccount', owner: 'ServiceAccount', span: sa.span }, out);
      }),
    );
    for (const r of reports) report(r);
  }
  for (const w of model.workloads) {
    if (w.podAnnotations.length === 0) continue;
    const reports = memoReports<P>(ruleId, w, NO_DEPS, () =>
      collect<P>((out) => {
        for (const annotation of w.podAnnotations) check({ annotation, annotations: w.podAnnotations, on: 'Pod', owner: `${w.kind} pod`, span: w.span }, out);
      }),
    );
    for (const r of reports) report(r);
  }
}
