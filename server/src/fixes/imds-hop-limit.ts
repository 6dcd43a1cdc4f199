/**
 * Fixes for `imds-hop-limit`. Terraform (a launch template, or a
 * terraform-aws-modules/eks node group's `metadata_options`): the hop limit
 * value becomes `1`. eksctl: `disablePodIMDS: true` goes on the line after `disableIMDSv1`, at
 * its indentation (eksctl then builds the template with hop limit 1).
 */
import { editFile, indentationOf, insertAt, lineBreak, replace } from './edits';
import type { FixProvider } from './types';

export const fix: FixProvider = {
  ruleId: 'imds-hop-limit',
  fixes(finding, context) {
    const lines = context.lines(finding.span.uri);
    if (!lines) return [];
    // The finding sits on the hop limit (or eksctl's disableIMDSv1), which may be in another file than the template's header (a local).
    const template = context.model.launchTemplates.find((t) => {
      const at = t.origin === 'eksctl' ? t.eksctl?.disableImdsV1?.span : t.hopLimit?.span;
      return at?.uri === finding.span.uri && at.range.start.line === finding.span.range.start.line;
    });
    if (!template) return [];
    if (template.origin !== 'eksctl') {
      return [{ title: 'Set `http_put_response_hop_limit = 1`', changes: [editFile(finding.span.uri, replace(finding.span.range, '1'))], preferred: true }];
    }
    const line = finding.span.range.start.line;
    const eol = lineBreak(lines);
    const at = { line, character: lines.lineText(line).length };
    return [{ title: 'Add `disablePodIMDS: true` to the node group', changes: [editFile(finding.span.uri, insertAt(at, `${eol}${indentationOf(lines, line)}disablePodIMDS: true`))], preferred: true }];
  },
};
