/**
 * Fix for `karpenter-v21-fargate-irsa` when the controller role has no
 * web-identity document: write the IRSA trust document the module needs,
 * as a `data "aws_iam_policy_document"` placed just before the module block,
 * and pass it in `iam_role_source_assume_policy_documents` (appended to the
 * list when the attribute exists, else added as the block's last argument).
 * The document pins `sub` to `system:serviceaccount:<namespace>:<service_account>`
 * (the module's inputs) and `aud` to `sts.amazonaws.com`, and names the
 * root eks module's `oidc_provider_arn` and `oidc_provider` outputs. Nothing
 * is offered when the root eks module is not known, or for the other
 * finding (a document that pins another ServiceAccount: which side is wrong
 * is the user's call).
 */
import type { LineIndex } from '../common/text';
import { editFile, indentationOf, indentUnit, insertAt, lineBreak, spanText } from './edits';
import { sameSpan } from './locate';
import type { FixProvider, TextEdit } from './types';

export const fix: FixProvider = {
  ruleId: 'karpenter-v21-fargate-irsa',
  fixes(finding, context) {
    const data = finding.data;
    const lines = context.lines(finding.span.uri);
    const call = context.model.moduleCalls.find((c) => sameSpan(c.span, finding.span));
    if (!lines || !call?.karpenter || data?.['kind'] !== 'missing-document') return [];
    const eks = data['eksModule'];
    const namespace = data['namespace'];
    const serviceAccount = data['serviceAccount'];
    if (typeof eks !== 'string' || typeof namespace !== 'string' || typeof serviceAccount !== 'string') return [];
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
};

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
function appendToList(lines: LineIndex, attributeSpan: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } } | undefined, item: string): TextEdit | undefined {
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
