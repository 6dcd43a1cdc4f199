import { editFile, indentationOf, insertAt, lineBreak, replace } from '../edit/edits';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

/** Which setting the finding's place holds: the hop limit value, or eksctl's `disableIMDSv1`. */
type Payload = 'hop-limit' | 'eksctl-disable-imds-v1';

/**
 * `imds-hop-limit`: with an IMDS hop limit above 1, a pod's request to 169.254.169.254 still
 * gets an answer after the extra hop through the pod network, so every pod
 * can read the node role's credentials. When IRSA breaks (the webhook did
 * not inject, an annotation typo) the SDK then falls back to the node role
 * silently instead of failing. AWS's EKS best practices ask for hop limit 1.
 *
 * Terraform: an `aws_launch_template` with `http_put_response_hop_limit` > 1,
 * a warning when an `aws_eks_node_group` uses it, a note otherwise (it may
 * serve something else). eksctl: it builds node group launch templates with
 * hop limit 2 unless `disablePodIMDS: true`; reported where the user wrote
 * `disableIMDSv1: true`, believing IMDS closed, when only tokens are required.
 * terraform-aws-modules/eks: a hop limit the user wrote in a node group's
 * `metadata_options` (or the `*_node_group_defaults` ones the groups use, or
 * a node group submodule's), always a warning: the module builds the group's
 * launch template from it. The module's own default is not reported.
 *
 * Fixes. Terraform (a launch template, or a terraform-aws-modules/eks node
 * group's `metadata_options`): the hop limit value becomes `1`. eksctl:
 * `disablePodIMDS: true` goes on the line after `disableIMDSv1`, at its
 * indentation (eksctl then builds the template with hop limit 1).
 */
export const rule = defineRule({
  meta: { id: 'imds-hop-limit', defaultSeverity: 'warning', title: 'IMDS hop limit above 1 lets pods use the node role' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    // One `metadata_options` local may serve several module node groups: one finding where it is written.
    const reportedModuleValues = new Set<string>();
    for (const template of model.launchTemplates) {
      const hop = template.hopLimit?.value;
      if (!template.hopLimit || hop === undefined || hop <= 1) continue;
      const why =
        `pods can reach the instance metadata service (169.254.169.254) and take the node role's credentials. ` +
        `When IRSA breaks for a pod (webhook not run, annotation typo, trust mismatch), the AWS SDK falls back to the node role silently instead of failing with ` +
        '`WebIdentityErr`, so the pod runs with the node\'s permissions.';
      if (template.origin === 'eksctl') {
        const v1 = template.eksctl?.disableImdsV1;
        if (v1?.value !== true) continue;
        report({
          span: v1.span,
          message:
            `eksctl builds node group \`${template.name}\`'s launch template with IMDS hop limit ${hop}: \`disableIMDSv1: true\` only requires IMDSv2 tokens, which pods still obtain over ${hop} hops, so ${why} ` +
            'Add `disablePodIMDS: true` to the node group (hop limit 1, and pods are blocked from IMDS).',
          payload: 'eksctl-disable-imds-v1',
        });
        continue;
      }
      if (template.origin === 'eks-module' && template.module) {
        const { start } = template.hopLimit.span.range;
        const place = `${template.hopLimit.span.uri}:${start.line}:${start.character}`;
        if (reportedModuleValues.has(place)) continue;
        reportedModuleValues.add(place);
        const { call, input, group, defaultsFor = [] } = template.module;
        const groups = defaultsFor.map((g) => `\`${g}\``).join(', ');
        const where =
          group !== undefined
            ? `node group \`${group}\` of \`${call}\` \`${input}\`: the module builds the group's launch template`
            : input === 'metadata_options'
              ? `node group module \`${call}\`: it builds the node group's launch template`
              : `\`${call}\` \`${input}\`, which node groups without \`metadata_options\` of their own take (${groups}): the module builds their launch templates`;
        report({
          span: template.hopLimit.span,
          message:
            `\`http_put_response_hop_limit = ${hop}\` in the \`metadata_options\` of ${where} with it, so ${why} ` +
            'Set `http_put_response_hop_limit = 1`.',
          payload: 'hop-limit',
        });
        continue;
      }
      const used = template.usedByNodeGroup === 'yes';
      report({
        span: template.hopLimit.span,
        message:
          `\`http_put_response_hop_limit = ${hop}\`${used ? ' on a launch template used by an EKS node group' : ''}: ${why} ` +
          `Set \`http_put_response_hop_limit = 1\`${used ? '' : ' if this template launches EKS nodes'}.`,
        ...(used ? {} : { severity: 'note' as const }),
        payload: 'hop-limit',
      });
    }
  },
  fixes(setting, finding, context) {
    const lines = context.lines(finding.span.uri);
    if (!lines) return [];
    if (setting === 'hop-limit') {
      return [{ title: 'Set `http_put_response_hop_limit = 1`', changes: [editFile(finding.span.uri, replace(finding.span.range, '1'))], preferred: true }];
    }
    const line = finding.span.range.start.line;
    const eol = lineBreak(lines);
    const at = { line, character: lines.lineText(line).length };
    return [{ title: 'Add `disablePodIMDS: true` to the node group', changes: [editFile(finding.span.uri, insertAt(at, `${eol}${indentationOf(lines, line)}disablePodIMDS: true`))], preferred: true }];
  },
});
