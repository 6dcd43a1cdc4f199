/**
 * "Ignore <rule> on this line" writes the comment `isSuppressed` reads: the
 * edit and the check are tested together, and where a comment would change
 * a value (a heredoc, a YAML block scalar) or cannot exist (JSON) no edit
 * is offered.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suppressionEdit } from '../server/src/analysis';
import { LineIndex } from '../server/src/common/text';

function apply(text: string, edit: { range: { start: { line: number; character: number } }; newText: string }): string {
  const lines = new LineIndex(text);
  const at = lines.offsetAt(edit.range.start);
  return text.slice(0, at) + edit.newText + text.slice(at);
}

describe('suppressionEdit', () => {
  it('adds "# irsa-ignore <id>" above the line, at its indentation, keeping CRLF', () => {
    const yaml = 'metadata:\r\n  annotations:\r\n    eks.amazonaws.com/role-arn: x\r\n';
    const edit = suppressionEdit('file:///w/sa.yaml', new LineIndex(yaml), 2, 'sa-role-arn-malformed');
    assert.ok(edit);
    assert.equal(apply(yaml, edit), 'metadata:\r\n  annotations:\r\n    # irsa-ignore sa-role-arn-malformed\r\n    eks.amazonaws.com/role-arn: x\r\n');
  });

  it('adds the id to an irsa-ignore comment already above; none when that comment already covers it', () => {
    const tf = 'locals {\n  // irsa-ignore trust-sub-wildcard\n  sub = "x"\n}\n';
    const edit = suppressionEdit('file:///w/main.tf', new LineIndex(tf), 2, 'trust-sub-format');
    assert.ok(edit);
    assert.equal(apply(tf, edit), tf.replace('trust-sub-wildcard', 'trust-sub-wildcard, trust-sub-format'));
    assert.equal(suppressionEdit('file:///w/main.tf', new LineIndex(tf), 2, 'trust-sub-wildcard'), undefined);
  });

  it('offers nothing in JSON, inside a Terraform heredoc or a YAML block scalar', () => {
    assert.equal(suppressionEdit('file:///w/trust.json', new LineIndex('{\n  "a": 1\n}\n'), 1, 'trust-missing-aud'), undefined);
    const heredoc = 'resource "aws_iam_role" "r" {\n  assume_role_policy = <<-EOT\n    {"Statement": []}\n  EOT\n  name = "r"\n}\n';
    assert.equal(suppressionEdit('file:///w/main.tf', new LineIndex(heredoc), 2, 'trust-missing-sub'), undefined);
    assert.ok(suppressionEdit('file:///w/main.tf', new LineIndex(heredoc), 4, 'trust-missing-sub'), 'after the closing marker a comment is fine');
    const block = 'data:\n  policy.json: |\n    {"Statement": []}\nkind: ConfigMap\n';
    assert.equal(suppressionEdit('file:///w/cm.yaml', new LineIndex(block), 2, 'trust-missing-sub'), undefined);
    assert.ok(suppressionEdit('file:///w/cm.yaml', new LineIndex(block), 3, 'trust-missing-sub'));
  });

  it('in a runbook, comments only where the block takes one: a YAML block, a shell command outside a heredoc', () => {
    const md = [
      '# Runbook', // 0
      '```json', // 1
      '{"Statement": []}', // 2
      '```', // 3
      '```yaml', // 4
      'metadata:', // 5
      '  name: x', // 6
      '```', // 7
      '```sh', // 8
      'cat > t.json <<EOF', // 9
      '{"Statement": []}', // 10
      'EOF', // 11
      'kubectl annotate sa x eks.amazonaws.com/role-arn=y', // 12
      '```', // 13
      'Prose.', // 14
      '',
    ].join('\n');
    const at = (line: number): boolean => suppressionEdit('file:///w/RUNBOOK.md', new LineIndex(md), line, 'sa-role-arn-malformed') !== undefined;
    assert.deepEqual([2, 6, 10, 12, 14].map(at), [false, true, false, true, false]);
  });
});
