/**
 * Annotations the EKS pod identity webhook reads, on ServiceAccounts and
 * (some) on Pods, shared by the annotation rules.
 */
import type { Annotation } from '../../facts/types';
import type { WorkspaceModel } from '../../index/model';
import type { Span } from '../../common/text';

export const WEBHOOK_ANNOTATIONS = ['eks.amazonaws.com/role-arn', 'eks.amazonaws.com/audience', 'eks.amazonaws.com/sts-regional-endpoints', 'eks.amazonaws.com/token-expiration'] as const;

/** Other real annotations under the prefix: never reported as typos. */
export const OTHER_EKS_ANNOTATIONS: ReadonlySet<string> = new Set(['eks.amazonaws.com/skip-containers', 'eks.amazonaws.com/compute-type', 'eks.amazonaws.com/fargate-profile', 'eks.amazonaws.com/nodegroup', 'eks.amazonaws.com/capacityType']);

/** Annotations the webhook reads on Pods (pkg/handler: the rest come from the ServiceAccount only). */
export const POD_ANNOTATIONS = ['eks.amazonaws.com/token-expiration', 'eks.amazonaws.com/skip-containers'] as const;

export interface AnnotationSite {
  readonly annotation: Annotation;
  /** Whether the annotation sits on a ServiceAccount or on a Pod (template). */
  readonly on: 'ServiceAccount' | 'Pod';
  /** "ServiceAccount demo/app" or "Deployment demo/web (pod template)". */
  readonly owner: string;
  readonly span: Span;
}

/** Every annotation of ServiceAccounts and workload pod templates. */
export function* annotationSites(model: WorkspaceModel): Generator<AnnotationSite> {
  for (const sa of model.serviceAccounts) {
    for (const annotation of sa.annotations) yield { annotation, on: 'ServiceAccount', owner: 'ServiceAccount', span: sa.span };
  }
  for (const w of model.workloads) {
    for (const annotation of w.podAnnotations) yield { annotation, on: 'Pod', owner: `${w.kind} pod`, span: w.span };
  }
}
