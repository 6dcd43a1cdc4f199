import { editFile, indentationOf, lineBreak, replace, spanText } from '../edit/edits';
import type { TextEdit } from '../edit/types';
import type { ModuleArgument, ModuleCall } from '../facts/types';
import { admitsOnlyMajorAtLeast } from '../terraform/version';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

/**
 * `karpenter-v21-removed-inputs`: terraform-aws-modules/eks 21.0 removed these inputs of `//modules/karpenter`
 * (docs/UPGRADE-21.0.md): native IRSA is gone (Pod Identity is the default)
 * and the v1 controller policy is the only one. Terraform rejects an
 * argument a module does not declare, so the plan fails before anything runs.
 *
 * Fix: delete the argument with its whole line (only when it sits alone on
 * its lines). When the IRSA inputs go and the module's
 * `namespace`/`service_account` are not written, the values from
 * `irsa_namespace_service_accounts` (one known `ns:sa`) move into them, so
 * the 21.x module keeps serving the same ServiceAccount.
 */
const REMOVED: Readonly<Record<string, string>> = {
  enable_irsa: 'native IRSA support was removed',
  irsa_oidc_provider_arn: 'native IRSA support was removed',
  irsa_namespace_service_accounts: 'native IRSA support was removed',
  irsa_assume_role_condition_test: 'native IRSA support was removed',
  enable_pod_identity: 'Pod Identity is always enabled (`create_pod_identity_association` defaults to true)',
  enable_v1_permissions: 'the Karpenter v1 controller policy is now the only one',
};

const IRSA_INPUTS = new Set(['enable_irsa', 'irsa_oidc_provider_arn', 'irsa_namespace_service_accounts', 'irsa_assume_role_condition_test']);

interface Payload {
  readonly call: ModuleCall;
  readonly argument: ModuleArgument;
}

export const rule = defineRule({
  meta: { id: 'karpenter-v21-removed-inputs', defaultSeverity: 'error', title: 'Input removed from the karpenter submodule in terraform-aws-modules/eks 21.0' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    for (const call of model.moduleCalls) {
      if (call.kind !== 'eks-karpenter' || admitsOnlyMajorAtLeast(call.version?.value, 21) !== true) continue;
      for (const argument of call.arguments) {
        const why = REMOVED[argument.name];
        if (why === undefined) continue;
        const what = IRSA_INPUTS.has(argument.name)
          ? 'If the controller needs IRSA (it runs on Fargate, or without the Pod Identity Agent), pass an IRSA trust document through `iam_role_source_assume_policy_documents`; otherwise delete the argument.'
          : 'Delete the argument.';
        report({
          span: argument.span,
          message:
            `\`${argument.name}\` was removed from the karpenter submodule in terraform-aws-modules/eks 21.0 (${why}), and this module call admits only 21.x or later (\`version = "${call.version?.value ?? ''}"\`). ` +
            `\`terraform validate\` and \`plan\` stop with \`Unsupported argument: An argument named "${argument.name}" is not expected here.\` ${what}`,
          payload: { call, argument },
        });
      }
    }
  },
  fixes({ call, argument }, finding, context) {
    const lines = context.lines(finding.span.uri);
    if (!lines) return [];
    const first = finding.span.range.start.line;
    const last = finding.span.range.end.line;
    // Only when the argument sits alone on its lines: otherwise deleting lines would take its neighbours.
    const wholeLines = spanText(lines, { uri: finding.span.uri, range: { start: { line: first, character: 0 }, end: { line: last, character: lines.lineText(last).length } } });
    if (wholeLines.trim() !== spanText(lines, finding.span).trim()) return [];
    const eol = lineBreak(lines);
    const del: TextEdit = replace({ start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } }, '');
    const edits: TextEdit[] = [del];
    let title = `Delete \`${argument.name}\``;
    if (argument.name === 'irsa_namespace_service_accounts' && call.karpenter) {
      const text = spanText(lines, finding.span);
      const m = /=\s*\[\s*"([a-z0-9-]+):([a-z0-9.-]+)"\s*,?\s*\]\s*$/.exec(text);
      const moves: string[] = [];
      if (m && !call.karpenter.namespaceWritten && m[1] !== 'kube-system') moves.push(`namespace = "${m[1]}"`);
      if (m && !call.karpenter.serviceAccountWritten && m[2] !== 'karpenter') moves.push(`service_account = "${m[2]}"`);
      if (moves.length > 0) {
        const indent = indentationOf(lines, first);
        edits[0] = replace(del.range, moves.map((x) => `${indent}${x}${eol}`).join(''));
        title = `Replace \`irsa_namespace_service_accounts\` with ${moves.map((x) => `\`${x}\``).join(' and ')}`;
      }
    }
    return [{ title, changes: [editFile(finding.span.uri, ...edits)], preferred: true }];
  },
});
