import type { LineIndex, Span } from '../common/text';
import { editFile, indentationOf, indentUnit, insertAt, lineBreak, spanText } from '../edit/edits';
import type { TextEdit } from '../edit/types';
import type { ModuleCall } from '../facts/types';
import { STS_ACCESS_DENIED } from '../index/describe';
import { describeProfile, type FargateMatch } from '../index/fargate';
import { subjectOf } from '../index/irsa';
import { karpenterFargateProblem } from '../index/karpenter';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

/** A module whose controller role has no web-identity document, and what the document must say. */
interface Payload {
  readonly call: ModuleCall;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The root terraform-aws-modules/eks module of the cluster, whose OIDC outputs the document names. */
  readonly eksModule: string;
}

/**
 * terraform-aws-modules/eks 21.0 removed native IRSA from `//modules/karpenter`:
 * the controller role trusts EKS Pod Identity (`pods.eks.amazonaws.com`) and
 * nothing else unless documents are merged in through
 * `iam_role_source_assume_policy_documents`. Pod Identity needs its agent
 * DaemonSet, which Fargate cannot run, so a controller whose namespace a
 * Fargate profile serves can only authenticate with IRSA, and the role must
 * trust its web identity token. Two findings, both on the module header:
 * no web-identity document at all, or documents that all refuse the
 * controller's subject (`system:serviceaccount:<namespace>:<service_account>`).
 * The controller role is a role of the model: the ServiceAccount rules leave
 * the controller's own ServiceAccount to this finding (`index/karpenter.ts`).
 *
 * Fix, when the controller role has no web-identity document: write the
 * IRSA trust document the module needs, as a `data "aws_iam_policy_document"`
 * placed just before the module block, and pass it in
 * `iam_role_source_assume_policy_documents` (appended to the list when the
 * attribute exists, else added as the block's last argument). The document
 * pins `sub` to `system:serviceaccount:<namespace>:<service_account>` (the
 * module's inputs) and `aud` to `sts.amazonaws.com`, and names the root eks
 * module's `oidc_provider_arn` and `oidc_provider` outputs. Nothing is
 * offered when the root eks module is not known, or for the other finding
 * (a document that pins another ServiceAccount: which side is wrong is the
 * user's call).
 */
export const rule = defineRule({
  meta: { id: 'karpenter-v21-fargate-irsa', defaultSeverity: 'error', title: 'Karpenter v21 module on Fargate without an IRSA trust document for its controller' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    for (const call of model.moduleCalls) {
      const problem = karpenterFargateProblem(model, call);
      if (!problem) continue;
      const { verdict, namespace, serviceAccount, matches } = problem;
      const first = matches[0]!;
      const subject = subjectOf(namespace, serviceAccount);
      const context =
        `terraform-aws-modules/eks 21.x removed IRSA from the karpenter submodule: its controller role trusts EKS Pod Identity only. ` +
        `The controller's namespace \`${namespace}\`${call.karpenter!.namespaceWritten ? '' : ' (the module default)'} runs on Fargate (${describeProfile(first.profile)}), where the Pod Identity Agent DaemonSet cannot run, so the controller can authenticate only with IRSA`;
      const message =
        verdict === 'missing'
          ? `${context}, and no document in \`iam_role_source_assume_policy_documents\` trusts a web identity. The controller fails with ${STS_ACCESS_DENIED} (403). ` +
            `Add a \`data "aws_iam_policy_document"\` trusting the cluster's OIDC provider with \`sub\` = \`${subject}\` and \`aud\` = \`sts.amazonaws.com\`, and pass its \`.json\` in \`iam_role_source_assume_policy_documents\`.`
          : `${context}, and no web-identity statement in the documents passed through \`iam_role_source_assume_policy_documents\` admits \`${subject}\`. The controller fails with ${STS_ACCESS_DENIED} (403). ` +
            `Pin \`sub\` to \`${subject}\` in that document.`;
      const eksModule = eksModuleName(model, call, first);
      report({
        span: call.span,
        message,
        related: relatedOf(matches, namespace),
        ...(verdict === 'missing' && eksModule ? { payload: { call, namespace, serviceAccount, eksModule } } : {}),
      });
    }
  },
  fixes({ call, namespace, serviceAccount, eksModule: eks }, finding, context) {
    const lines = context.lines(finding.span.uri);
    if (!lines || !call.karpenter) return [];
    const name = freeDocumentName(lines.text, `${call.name}_irsa`);
    const reference = `data.aws_iam_policy_document.${name}.json`;
    const eol = lineBreak(lines);
    const unit = indentUnit(lines);
    const blockLine = call.span.range.start.line;
    const outer = indentationOf(lines, blockLine);
    const document = documentText(name, eks, `system:serviceaccount:${namespace}:${serviceAccount}`, outer, unit, eol);

    const edits: TextEdit[] = [insertAt({ line: blockLine, character: 0 }, document + eol)];
    const listEdit = appendToList(lines, call.karpenter.sourceDocumentsSpan, reference);
    if (call.karpenter.sourceDocumentsSpan) {
      if (!listEdit) return [];
      edits.push(listEdit);
    } else {
      // Before the closing brace, as the block's last argument after a blank line.
      const end = call.blockSpan.range.end;
      if (lines.lineText(end.line).trim() !== '}') return [];
      edits.push(insertAt({ line: end.line, character: 0 }, `${eol}${outer}${unit}iam_role_source_assume_policy_documents = [${reference}]${eol}`));
    }
    return [
      {
        // The controller's role gains a web-identity principal: a deliberate grant, so it is chosen, never applied by fix-all.
        title: `Add an IRSA trust document for \`system:serviceaccount:${namespace}:${serviceAccount}\` to \`iam_role_source_assume_policy_documents\` (widens the role's trust to that ServiceAccount's tokens)`,
        changes: [editFile(finding.span.uri, ...edits)],
        widens: true,
      },
    ];
  },
});

function relatedOf(matches: readonly FargateMatch[], namespace: string): { span: FargateMatch['selector']['span']; message: string }[] {
  return matches.map((m) => ({ span: m.selector.span, message: `${describeProfile(m.profile)} selects namespace \`${namespace}\`` }));
}

/** The root terraform-aws-modules/eks module of the cluster, for the fix's `module.<name>.oidc_provider_arn`. */
function eksModuleName(model: WorkspaceModel, call: ModuleCall, match: FargateMatch): string | undefined {
  if (match.profile.origin === 'eks-module') return /#module\.([^#]*)#/.exec(match.profile.id)?.[1];
  const dir = call.id.replace(/#[^#]*$/, '');
  const eks = model.moduleCalls.filter((m) => m.kind === 'eks' && m.id.replace(/#[^#]*$/, '') === dir);
  return eks.length === 1 ? eks[0]!.name : undefined;
}

function documentText(name: string, eks: string, subject: string, outer: string, unit: string, eol: string): string {
  const i = (n: number): string => outer + unit.repeat(n);
  return [
    `${outer}data "aws_iam_policy_document" "${name}" {`,
    `${i(1)}statement {`,
    `${i(2)}effect  = "Allow"`,
    `${i(2)}actions = ["sts:AssumeRoleWithWebIdentity"]`,
    '',
    `${i(2)}principals {`,
    `${i(3)}type        = "Federated"`,
    `${i(3)}identifiers = [module.${eks}.oidc_provider_arn]`,
    `${i(2)}}`,
    '',
    `${i(2)}condition {`,
    `${i(3)}test     = "StringEquals"`,
    `${i(3)}variable = "\${module.${eks}.oidc_provider}:sub"`,
    `${i(3)}values   = ["${subject}"]`,
    `${i(2)}}`,
    '',
    `${i(2)}condition {`,
    `${i(3)}test     = "StringEquals"`,
    `${i(3)}variable = "\${module.${eks}.oidc_provider}:aud"`,
    `${i(3)}values   = ["sts.amazonaws.com"]`,
    `${i(2)}}`,
    `${i(1)}}`,
    `${outer}}`,
    '',
  ].join(eol);
}

/** `karpenter_irsa`, or `karpenter_irsa_2`… when the file already declares that document. */
function freeDocumentName(text: string, base: string): string {
  const taken = (n: string): boolean => new RegExp(`data\\s+"aws_iam_policy_document"\\s+"${n}"`).test(text);
  let name = base;
  for (let k = 2; taken(name); k++) name = `${base}_${k}`;
  return name;
}

/** Appends an item to a written `attr = [ … ]` list, keeping its layout (one line, or one item per line). */
function appendToList(lines: LineIndex, attributeSpan: Span | undefined, item: string): TextEdit | undefined {
  if (!attributeSpan) return undefined;
  const text = spanText(lines, attributeSpan);
  const close = text.lastIndexOf(']');
  if (close < 0 || !/=\s*\[/.test(text)) return undefined;
  const inner = text.slice(text.indexOf('[') + 1, close);
  const closeOffset = lines.offsetAt(attributeSpan.range.start) + close;
  const at = lines.positionAt(closeOffset);
  if (inner.trim() === '') return insertAt(at, item);
  if (!inner.includes('\n')) return insertAt(lines.positionAt(lines.offsetAt(attributeSpan.range.start) + text.indexOf('[') + 1 + inner.trimEnd().length), `${inner.trimEnd().endsWith(',') ? ' ' : ', '}${item}`);
  // Multi-line: a new line with the previous item's indentation, before the closing bracket's line.
  const itemLine = at.line - 1;
  const prev = lines.lineText(itemLine);
  const trailing = prev.trimEnd().endsWith(',');
  const eol = lineBreak(lines);
  return insertAt({ line: itemLine, character: prev.trimEnd().length }, `${trailing ? '' : ','}${eol}${indentationOf(lines, itemLine)}${item}${trailing ? ',' : ''}`);
}
