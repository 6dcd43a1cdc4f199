/**
 * Markdown runbooks (`parse/markdown.ts`, `facts/markdown.ts`): which fenced
 * blocks are read and as what, positions in the `.md` file, placeholders as
 * unknown values, blocks that are not valid as written skipped whole, roles
 * named only by `aws iam create-role`, and each runbook analysed apart from
 * the workspace and from other runbooks.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis';
import { Deadline } from '../../server/src/common/budget';
import { LineIndex } from '../../server/src/common/text';
import { display, knownText } from '../../server/src/common/value';
import { extractMarkdownFacts, parseMarkdownFile } from '../../server/src/facts/markdown';
import { markdownMayHaveFacts } from '../../server/src/facts/prefilter';
import type { Facts } from '../../server/src/facts/types';
import { Workspace } from '../../server/src/index/workspace';
import { fencedBlocks } from '../../server/src/parse/markdown';
import { ISSUER, trustJson as sharedTrustJson } from '../support/trust-fixtures';

const URI = 'file:///repo/docs/runbook.md';

function extract(text: string): Facts {
  const file = { uri: URI, lines: new LineIndex(text), deadline: new Deadline(60_000) };
  return extractMarkdownFacts(parseMarkdownFile(file), file);
}

const fence = '```';

/** The shared trust policy JSON, without its fixture header; `extra` goes after the aud condition. */
const trustJson = (sub: string, extra = ''): string =>
  sharedTrustJson(sub)
    .replace(/^\/\/- .*\n/, '')
    .trimEnd()
    .replace('"sts.amazonaws.com"', `"sts.amazonaws.com"${extra}`);

describe('fenced blocks', () => {
  it('reads the languages it knows, sniffs untagged and loosely tagged blocks, and skips unclosed ones', () => {
    const text = [
      '# Title',
      `${fence}json title="trust.json"`,
      '{}',
      fence,
      '~~~yaml',
      'kind: ServiceAccount',
      '~~~',
      `${fence}t`,
      '# make the account',
      'kubectl create sa reader -n shop',
      fence,
      `${fence}python`,
      '{"not": "read"}',
      fence,
      `${fence}`,
      'apiVersion: v1',
      fence,
      `${fence}console`,
      '$ kubectl get pods',
      `${fence}${fence}`,
      `${fence}sh`,
      'never closed',
    ].join('\n');
    const blocks = fencedBlocks(text);
    assert.deepEqual(
      blocks.map((b) => [b.language, text.slice(b.start, b.end)]),
      [
        ['json', '{}\n'],
        ['yaml', 'kind: ServiceAccount\n'],
        ['shell', '# make the account\nkubectl create sa reader -n shop\n'],
        ['yaml', 'apiVersion: v1\n'],
        ['shell', '$ kubectl get pods\n'],
      ],
    );
  });

  it('pre-filter: a README without a block that may hold facts is set aside', () => {
    assert.equal(markdownMayHaveFacts('# Notes\n\nNo code here.\n'), false);
    assert.equal(markdownMayHaveFacts(`${fence}python\nprint("kind: ServiceAccount")\n${fence}\n`), false);
    assert.equal(markdownMayHaveFacts(`${fence}sh\nkubectl annotate sa x eks.amazonaws.com/role-arn=y\n${fence}\n`), true);
    assert.equal(markdownMayHaveFacts(`${fence}json\n${trustJson('system:serviceaccount:a:b')}\n${fence}\n`), true);
  });
});

describe('runbook facts', () => {
  it('reads a JSON trust policy block with positions in the .md file', () => {
    const text = `# Role\n\n${fence}json\n${trustJson('system:serviceaccount:shop:reader')}\n${fence}\n`;
    const facts = extract(text);
    assert.equal(facts.trustPolicies.length, 1);
    const policy = facts.trustPolicies[0]!;
    assert.equal(policy.origin, 'markdown');
    const sub = policy.statements[0]!.conditions.find((c) => knownText(c.key.value)?.endsWith(':sub'))!;
    const lines = new LineIndex(text);
    assert.equal(lines.lineText(sub.values[0]!.span.range.start.line).trim(), `"${ISSUER}:sub": "system:serviceaccount:shop:reader",`);
    // A policy alone gets no role: the file's name names none.
    assert.deepEqual(facts.roles, []);
  });

  it('skips a block that is not valid as written (elisions, comments) rather than read part of it', () => {
    const elided = `${fence}json\n{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Principal": { "Federated": "arn" },\n      ...\n    }\n  ]\n}\n${fence}\n`;
    assert.deepEqual(extract(elided).trustPolicies, []);
    const yaml = `${fence}yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reader\n  ...\n  annotations: [\n${fence}\n`;
    assert.deepEqual(extract(yaml).serviceAccounts, []);
  });

  it('reads kubectl annotate and create commands, with placeholders unknown and an unwritten namespace unknown', () => {
    const text = [
      `${fence}bash`,
      'kubectl annotate serviceaccount -n shop reader \\',
      '  eks.amazonaws.com/role-arn=arn:aws:iam::<ACCOUNT_ID>:role/reader --overwrite',
      'kubectl annotate sa/$SA_NAME eks.amazonaws.com/role-arn=arn:aws:iam::${ACCOUNT_ID}:role/writer',
      'kubectl annotate node ip-10-0-0-1 example.com/x=y',
      'kubectl create serviceaccount auditor --namespace=ops',
      fence,
    ].join('\n');
    const sas = extract(text).serviceAccounts;
    assert.deepEqual(
      sas.map((sa) => [sa.origin, display(sa.name.value), display(sa.namespace.value), sa.roleArn ? display(sa.roleArn.value) : undefined]),
      [
        ['command', 'reader', 'shop', 'arn:aws:iam::<ACCOUNT_ID>:role/reader'],
        ['command', '$SA_NAME', '<not written: the namespace the reader applies it to>', 'arn:aws:iam::${ACCOUNT_ID}:role/writer'],
        ['command', 'auditor', 'ops', undefined],
      ],
    );
    assert.equal(knownText(sas[0]!.roleArn!.value), undefined, 'the placeholder account is unknown');
    assert.equal(new LineIndex(text).lineText(sas[0]!.roleArn!.span.range.start.line).slice(sas[0]!.roleArn!.span.range.start.character), 'arn:aws:iam::<ACCOUNT_ID>:role/reader --overwrite');
  });

  it('names a role only from aws iam create-role with the heredoc it wrote, and reads kubectl apply heredocs as YAML', () => {
    const text = [
      `${fence}sh`,
      'cat > reader-trust.json <<EOF',
      trustJson('system:serviceaccount:shop:reader', ',\n          "x:y": "$(aws sts get-caller-identity --query Account --output text)"'),
      'EOF',
      'aws iam create-role --role-name reader --assume-role-policy-document file://reader-trust.json',
      'aws iam create-role --role-name other --assume-role-policy-document file://elsewhere.json',
      "aws iam create-role --role-name inline --assume-role-policy-document '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}'",
      'cat <<EOF | kubectl apply -n shop -f -',
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata:',
      '  name: reader',
      '  annotations:',
      '    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/reader',
      'EOF',
      fence,
    ].join('\n');
    const facts = extract(text);
    assert.deepEqual(facts.roles.map((r) => knownText(r.name)), ['reader', 'inline']);
    assert.equal(facts.trustPolicies.length, 2);
    const x = facts.trustPolicies[0]!.statements[0]!.conditions.find((c) => knownText(c.key.value) === 'x:y')!;
    assert.equal(knownText(x.values[0]!.value), undefined, 'a command substitution is unknown');
    assert.deepEqual(facts.serviceAccounts.map((sa) => [display(sa.namespace.value), display(sa.name.value)]), [['shop', 'reader']]);
  });

  it('reads example issuer ids of AWS documentation as unknown', () => {
    const text = `${fence}json\n${trustJson('system:serviceaccount:shop:reader').split(ISSUER).join('oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE')}\n${fence}\n`;
    const key = extract(text).trustPolicies[0]!.statements[0]!.conditions[0]!.key.value;
    assert.equal(knownText(key), undefined);
    assert.equal(display(key), 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub');
  });
});

describe('runbooks are analysed on their own', () => {
  const runbook = (sa: string): string =>
    `${fence}sh\ncat > trust.json <<EOF\n${trustJson('system:serviceaccount:shop:reader')}\nEOF\naws iam create-role --role-name reader --assume-role-policy-document file://trust.json\n` +
    `kubectl annotate sa ${sa} -n shop eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/reader\n${fence}\n`;

  it('links a runbook\'s ServiceAccount to the role its own create-role names, not to another runbook\'s or the workspace\'s', () => {
    const workspace = new Workspace();
    workspace.setFile('file:///repo/a.md', runbook('writer'));
    workspace.setFile('file:///repo/b.md', runbook('reader'));
    // The workspace's own role of that name trusts nobody the runbooks name.
    workspace.setFile('file:///repo/reader.json', trustJson('system:serviceaccount:other:other'));
    workspace.setFile('file:///repo/sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reader\n  namespace: shop\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/other-role\n');
    const findings = analyze(workspace).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.span.uri, f.span.range.start.line]),
      [['sa-role-trust-mismatch', 'file:///repo/a.md', 20]],
    );
    assert.equal(workspace.model().serviceAccounts.length, 1, 'runbook facts stay out of the workspace model');
  });

  it('turns off with the markdown option', () => {
    const workspace = new Workspace();
    workspace.setFile('file:///repo/a.md', runbook('writer'));
    assert.ok(analyze(workspace).findings.length > 0);
    assert.deepEqual(analyze(workspace, { markdown: false }).findings, []);
  });
});
