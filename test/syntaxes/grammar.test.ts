/**
 * The TextMate grammars the extension ships (`syntaxes/`), tokenised as
 * VS Code tokenises them: what a theme colours in a Terraform file, and what
 * the IRSA injection marks inside JSON, YAML and Terraform strings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { assertNoScope, assertScope, CONTRIBUTED_GRAMMARS, tokenize, tokensOf, type Token } from './support';

const SAMPLE = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'syntaxes', 'samples', 'irsa-role.tf'), 'utf8');

describe('Terraform grammar', () => {
  let tokens: Token[];
  before(async () => {
    tokens = await tokenize('source.terraform', SAMPLE);
  });
  const has = (needle: string, scope: string, occurrence = 1): void => assertScope(tokens, SAMPLE, needle, scope, occurrence);
  const lacks = (needle: string, scope: string, occurrence = 1): void => assertNoScope(tokens, SAMPLE, needle, scope, occurrence);

  it('is the grammar package.json contributes for the terraform language', () => {
    assert.deepEqual(
      CONTRIBUTED_GRAMMARS.filter((g) => g.language === 'terraform').map((g) => [g.scopeName, g.path]),
      [['source.terraform', './syntaxes/terraform.tmLanguage.json']],
    );
  });

  it('comments: #, // and /* */ over lines', () => {
    has('# The role the ledger', 'comment.line.number-sign.terraform');
    has('// the name the annotation uses', 'comment.line.double-slash.terraform');
    has('/* A block comment', 'comment.block.terraform');
    has('over two lines */', 'comment.block.terraform');
    lacks('data "aws_iam_policy_document"', 'comment');
  });

  it('blocks: the type and its labels, nested blocks', () => {
    has('resource', 'storage.type.block.terraform');
    has('resource "«aws_iam_role»"', 'entity.name.label.terraform');
    has('"aws_iam_role" "«exporter»"', 'entity.name.label.terraform');
    has('locals', 'storage.type.block.terraform');
    has('statement', 'storage.type.block.terraform');
    has('principals', 'storage.type.block.terraform');
    has('condition', 'storage.type.block.terraform');
    has('output', 'storage.type.block.terraform');
  });

  it('attributes and object keys', () => {
    has('namespace', 'variable.other.property.terraform');
    has('assume_role_policy', 'variable.other.property.terraform');
    has('team', 'variable.other.property.terraform');
    has('=', 'keyword.operator.assignment.terraform');
    lacks('tags', 'storage.type');
  });

  it('strings with ${} interpolation, escapes and %{} directives', () => {
    has('"ledger"', 'string.quoted.double.terraform');
    has('${local.namespace}', 'meta.interpolation.terraform');
    has('${«local».namespace}', 'variable.language.terraform');
    has('«$${»literal}', 'constant.character.escape.template.terraform');
    lacks('{literal} and', 'meta.interpolation');
    has('%%{', 'constant.character.escape.template.terraform');
    has('«\\"»quoted', 'constant.character.escape.terraform');
    has('%{ if', 'meta.directive.terraform');
    has('%{ «if» local', 'keyword.control.directive.terraform');
    has('endif', 'keyword.control.directive.terraform');
    has('many', 'string.quoted.double.terraform');
    lacks('many', 'meta.directive');
  });

  it('heredocs: <<-EOT to its closing marker, with interpolation inside', () => {
    has('<<-', 'keyword.operator.heredoc.terraform');
    has('"Statement": [{', 'string.unquoted.heredoc.terraform');
    has('${local.issuer}', 'meta.interpolation.terraform');
    has('EOT', 'keyword.control.heredoc.terraform', 2);
    // After the marker the grammar is back in the block body.
    lacks('output "subjects"', 'string.unquoted.heredoc');
    has('output', 'storage.type.block.terraform');
  });

  it('numbers, language constants, operators', () => {
    has('replicas  = «3»', 'constant.numeric.terraform');
    has('0.25e2', 'constant.numeric.terraform');
    has('3600', 'constant.numeric.terraform');
    has('true', 'constant.language.terraform');
    has('&&', 'keyword.operator.logical.terraform');
    has('hours «*» 3600', 'keyword.operator.arithmetic.terraform');
    has('replicas «>» 1', 'keyword.operator.comparison.terraform');
  });

  it('functions and references', () => {
    has('replace', 'support.function.terraform');
    has('module', 'variable.language.terraform');
    has('«var».cost_center', 'variable.language.terraform');
    has('«data».aws_iam_policy_document.exporter_trust.json', 'variable.language.terraform');
  });

  it('for expressions: for, in, if as keywords', () => {
    has('[«for» sa', 'keyword.control.terraform');
    has('«in» var.service_accounts', 'keyword.control.terraform');
    has('«if» sa.enabled', 'keyword.control.terraform');
  });

  it('every line of the sample ends outside any string or block it opened', () => {
    const last = tokens.filter((t) => t.line === SAMPLE.split('\n').length - 2);
    assert.deepEqual(last.map((t) => t.scopes), [['source.terraform', 'meta.block.terraform', 'punctuation.section.block.end.terraform']]);
  });
});

describe('IRSA injection grammar', () => {
  it('marks subjects, provider ARNs, the action and the condition key in Terraform strings and heredocs', async () => {
    const tokens = await tokenize('source.terraform', SAMPLE);
    const has = (needle: string, scope: string, occurrence = 1): void => assertScope(tokens, SAMPLE, needle, scope, occurrence);
    has('sts:AssumeRoleWithWebIdentity', 'keyword.other.irsa.action');
    has('sts:AssumeRoleWithWebIdentity', 'keyword.other.irsa.action', 2);
    has('system:serviceaccount', 'keyword.other.irsa.subject-prefix');
    has('}:«sub»', 'keyword.other.irsa.condition-key');
    has('210987654321', 'constant.numeric.irsa.account-id');
    has('oidc.eks.ap-south-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9', 'entity.name.namespace.irsa.issuer');
    has('«ledger»:*', 'entity.name.namespace.irsa.namespace');
    // Not inside an interpolation: that is Terraform code, not text.
    assertNoScope(tokens, SAMPLE, 'local.namespace', 'meta.irsa');
  });

  it("marks the same in HashiCorp's Terraform grammar, which VS Code may pick when both extensions are installed", async () => {
    const tokens = await tokenize('source.hcl.terraform', SAMPLE);
    const has = (needle: string, scope: string): void => assertScope(tokens, SAMPLE, needle, scope, 1);
    has('system:serviceaccount', 'keyword.other.irsa.subject-prefix');
    has('sts:AssumeRoleWithWebIdentity', 'keyword.other.irsa.action');
    has('oidc.eks.ap-south-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9', 'entity.name.namespace.irsa.issuer');
    assertNoScope(tokens, SAMPLE, 'local.namespace', 'meta.irsa');
  });

  it('marks a JSON trust policy: the subject, the issuer with its :sub key, the role ARN', async () => {
    const text = `{
  "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E" },
  "Condition": { "StringEquals": { "oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:aud": "sts.amazonaws.com",
    "oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:sub": "system:serviceaccount:payments:reader" } },
  "Note": "arn:aws:iam::111122223333:role/service/payments-reader"
}`;
    const tokens = await tokenize('source.json', text);
    assertScope(tokens, text, 'payments', 'entity.name.namespace.irsa.namespace');
    assertScope(tokens, text, 'reader"', 'string.quoted.double.json');
    assertScope(tokens, text, 'reader', 'entity.name.type.irsa.service-account');
    assertScope(tokens, text, 'aud', 'keyword.other.irsa.condition-key');
    assertScope(tokens, text, 'sub', 'keyword.other.irsa.condition-key');
    assertScope(tokens, text, 'oidc-provider/', 'support.constant.irsa.arn-prefix');
    assertScope(tokens, text, 'service/', 'support.constant.irsa.role-path');
    assertScope(tokens, text, 'payments-reader', 'entity.name.type.irsa.role');
    // Outside strings nothing is injected: JSON punctuation stays as it is.
    for (const t of tokensOf(tokens, text, '"Condition": {')) assert.ok(!t.scopes.some((s) => s.includes('irsa')), t.text);
  });

  it('marks a YAML ServiceAccount: the role-arn annotation key and the role ARN value', async () => {
    const text = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/payments-reader
`;
    const tokens = await tokenize('source.yaml', text);
    assertScope(tokens, text, 'eks.amazonaws.com/role-arn', 'support.constant.irsa.annotation');
    assertScope(tokens, text, '111122223333', 'constant.numeric.irsa.account-id');
    assertScope(tokens, text, 'payments-reader', 'entity.name.type.irsa.role');
    assertNoScope(tokens, text, 'ServiceAccount', 'meta.irsa');
  });
});

describe('Terraform language configuration', () => {
  const root = path.join(__dirname, '..', '..', '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { languages: { id: string; extensions: string[]; configuration?: string }[]; configurationDefaults: Record<string, Record<string, unknown>> };
  };

  it('.tf and .tfvars are terraform, commented with # and /* */, indented by 2 spaces', () => {
    const terraform = manifest.contributes.languages.find((l) => l.id === 'terraform');
    assert.deepEqual(terraform?.extensions, ['.tf', '.tfvars']);
    assert.ok(terraform.configuration);
    const configuration = JSON.parse(fs.readFileSync(path.join(root, terraform.configuration), 'utf8')) as {
      comments: { lineComment: string; blockComment: [string, string] };
      brackets: [string, string][];
      autoClosingPairs: { open: string; close: string }[];
    };
    assert.deepEqual(configuration.comments, { lineComment: '#', blockComment: ['/*', '*/'] });
    assert.deepEqual(configuration.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
    assert.ok(configuration.autoClosingPairs.some((p) => p.open === '"' && p.close === '"'));
    assert.deepEqual(manifest.contributes.configurationDefaults['[terraform]'], { 'editor.tabSize': 2, 'editor.insertSpaces': true });
  });
});
