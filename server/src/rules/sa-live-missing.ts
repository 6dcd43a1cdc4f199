/**
 * `sa-live-missing`: the workspace declares a ServiceAccount that the live
 * cluster it is for does not have (not applied yet, deleted, or applied to
 * another namespace). A note: a manifest ahead of the cluster is normal
 * while work is in progress. Judged only as `sa-live-drift` is: against the
 * context tied to the workspace's one cluster, for ServiceAccounts of known
 * namespace and name written in manifests (not add-ons, not eksctl's, not
 * ones without a namespace, which `kubectl apply -n` may place anywhere),
 * in a namespace the cluster has (one it lacks suggests a manifest for
 * another cluster or environment, such as a kustomize overlay's).
 */
import { knownNamespaceAndName } from '../index/irsa';
import { fetchedAtText } from '../live/roles';
import { contextOfWorkspace, liveServiceAccountOf, namespaceExists } from '../live/service-accounts';
import { defineRule } from './types';

export const rule = defineRule({
  meta: { id: 'sa-live-missing', defaultSeverity: 'note', title: 'ServiceAccount is not in the live cluster' },
  check(model, report, { live }) {
    const context = contextOfWorkspace(model, live);
    if (!context) return;
    for (const sa of model.serviceAccounts) {
      if (sa.origin === 'eks-addon' || sa.origin === 'eksctl' || sa.namespaceDefaulted) continue;
      const id = knownNamespaceAndName(sa);
      // A namespace the cluster lacks: the manifest is most likely for another cluster or environment.
      if (!id || !namespaceExists(context, id.namespace) || liveServiceAccountOf(context, sa) !== null) continue;
      report({
        span: sa.span,
        message:
          `ServiceAccount \`${id.namespace}/${id.name}\` is not in cluster \`${context.cluster}\` (context \`${context.context}\`, ${fetchedAtText(context.fetchedAt)}). ` +
          `Pods that name it are not admitted until it exists; apply this manifest, or check its namespace.`,
      });
    }
  },
});
