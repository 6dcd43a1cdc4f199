/**
 * `sa-live-drift`: the ServiceAccount in the live cluster carries another
 * `eks.amazonaws.com/role-arn` than the workspace gives it (or none, or
 * the workspace gives none): what runs is not what the code says. Judged
 * only against the context `contextOfWorkspace` ties to the workspace's one
 * cluster, for a ServiceAccount whose namespace, name and ARN are known
 * and declared once (overlays of several environments are left alone).
 */
import { knownText } from '../common/value';
import { knownNamespaceAndName } from '../index/irsa';
import { fetchedAtText } from '../live/roles';
import { ambiguousServiceAccounts, contextOfWorkspace, liveServiceAccountOf } from '../live/service-accounts';
import { defineRule } from './types';

export const rule = defineRule({
  meta: { id: 'sa-live-drift', defaultSeverity: 'warning', title: 'Live ServiceAccount has another role annotation than the workspace' },
  check(model, report, { live }) {
    const context = contextOfWorkspace(model, live);
    if (!context) return;
    const ambiguous = ambiguousServiceAccounts(model);
    for (const sa of model.serviceAccounts) {
      if (sa.origin === 'eks-addon' || sa.impliedRoleId || sa.namespaceDefaulted || !sa.annotationsComplete) continue;
      const id = knownNamespaceAndName(sa);
      if (!id || ambiguous.has(`${id.namespace}/${id.name}`)) continue;
      const declared = sa.roleArn ? knownText(sa.roleArn.value) : '';
      if (declared === undefined) continue;
      const running = liveServiceAccountOf(context, sa);
      if (!running) continue; // absent: sa-live-missing
      const actual = running.roleArn ?? '';
      if (actual === declared) continue;
      const where = `in cluster \`${context.cluster}\` (context \`${context.context}\`, ${fetchedAtText(context.fetchedAt)})`;
      const message =
        declared === ''
          ? `ServiceAccount \`${id.namespace}/${id.name}\` ${where} is annotated with role \`${actual}\`, which this manifest does not set. Its pods assume a role the code does not show; add the annotation here, or remove it from the cluster (\`kubectl apply\` keeps an annotation added by hand).`
          : actual === ''
            ? `ServiceAccount \`${id.namespace}/${id.name}\` ${where} has no role annotation, unlike this one (\`${declared}\`). Its pods run without IRSA credentials and fall back to the node's role; apply this manifest (pods pick the role up when restarted).`
            : `ServiceAccount \`${id.namespace}/${id.name}\` ${where} is annotated with role \`${actual}\`, not \`${declared}\` as here. Its pods assume the live role; apply this manifest and restart them, or bring the live change into the code.`;
      report({ span: sa.roleArn?.span ?? sa.span, message });
    }
  },
});
