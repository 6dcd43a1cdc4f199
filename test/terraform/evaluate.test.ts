/**
 * The Terraform evaluator through the module extractor: what is known,
 * symbolic or unknown after locals, variables, tfvars and functions.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { LineIndex } from '../../server/src/common/text';
import { display, knownText, resolvedText, type StrValue } from '../../server/src/common/value';
import { parseHcl } from '../../server/src/parse/hcl';
import { initParsers } from '../../server/src/node/host';
import { extractTerraformModule, type TerraformFile } from '../../server/src/terraform/module';

before(async () => {
  await initParsers();
});

const DIR = 'file:///ws/infra';

function tfFile(name: string, text: string): TerraformFile {
  return { uri: `${DIR}/${name}`, lines: new LineIndex(text), hcl: parseHcl(text), isTfvars: name.endsWith('.tfvars'), isAutoTfvars: name.endsWith('.auto.tfvars') };
}

/** The `name` of the ServiceAccount `kubernetes_service_account_v1.probe` after evaluation. */
function evaluateName(expression: string, extra = '', tfvars?: string): StrValue {
  const files = [
    tfFile('main.tf', `${extra}\nresource "kubernetes_service_account_v1" "probe" {\n  metadata {\n    name = ${expression}\n  }\n}\n`),
    ...(tfvars !== undefined ? [tfFile('terraform.tfvars', tfvars)] : []),
  ];
  const sa = extractTerraformModule(DIR, files).serviceAccounts[0];
  assert.ok(sa, 'the probe ServiceAccount was extracted');
  return sa.name.value;
}

describe('evaluator', () => {
  it('evaluates locals, templates and string functions', () => {
    const locals = 'locals {\n  ns = "payments"\n  parts = ["a", "b"]\n}';
    assert.equal(knownText(evaluateName('"sa-${local.ns}"', locals)), 'sa-payments');
    assert.equal(knownText(evaluateName('format("%s-%s", local.ns, "api")', locals)), 'payments-api');
    assert.equal(knownText(evaluateName('join("-", local.parts)', locals)), 'a-b');
    assert.equal(knownText(evaluateName('lower(upper("MiXeD"))')), 'mixed');
    assert.equal(knownText(evaluateName('replace("a.b.c", ".", "-")')), 'a-b-c');
    assert.equal(knownText(evaluateName('replace("arn:x:oidc-provider/host", "/^(.*provider/)/", "")')), 'host');
    assert.equal(knownText(evaluateName('trimprefix("https://x", "https://")')), 'x');
    assert.equal(knownText(evaluateName('lookup({ a = "1" }, "b", "fallback")')), 'fallback');
    assert.equal(knownText(evaluateName('coalesce("", "second")')), 'second');
    assert.equal(knownText(evaluateName('try(local.missing, "fallback")')), 'fallback');
    assert.equal(knownText(evaluateName('true ? "yes" : "no"')), 'yes');
    assert.equal(knownText(evaluateName('element([for s in local.parts : upper(s)], 1)', locals)), 'B');
  });

  it('runs replace(), regex() and regexall() patterns with RE2 semantics, and leaves what RE2 refuses unknown', () => {
    const arn = '"arn:aws:iam::111122223333:role/app"';
    assert.equal(knownText(evaluateName('replace("a-b_c", "/[-_]/", ".")')), 'a.b.c');
    // Go's template expansion: `${2}` and `$first` name groups, `$$` is a dollar.
    assert.equal(knownText(evaluateName('replace("hello world", "/(?P<first>\\\\w+) (\\\\w+)/", "$${2}-$first-$$")')), 'world-hello-$');
    // Go skips an empty match right after a match: one dash per gap, where JavaScript writes two.
    assert.equal(knownText(evaluateName('replace("baaac", "/a*/", "-")')), '-b-c-');
    assert.equal(knownText(evaluateName(`element(regex("^arn:aws:iam::(\\\\d+):role/(.+)$", ${arn}), 1)`)), 'app');
    assert.equal(knownText(evaluateName(`lookup(regex("::(?P<account>\\\\d{12}):", ${arn}), "account")`)), '111122223333');
    assert.equal(knownText(evaluateName('regex("[a-z]+", "123abc")')), 'abc');
    assert.equal(knownText(evaluateName('join("/", regexall("[a-z]+", "ab-cd"))')), 'ab/cd');
    const unknownBecause = (expression: string): string => evaluateName(expression).segments.map((seg) => (seg.kind === 'unknown' ? seg.reason : '')).join('');
    assert.match(unknownBecause('regex("x", "abc")'), /did not match/);
    assert.match(unknownBecause('replace("aa", "/(a)\\\\1/", "x")'), /not understood/);
    assert.match(unknownBecause('replace("aa", "/(?=a)/", "x")'), /not understood/);
    assert.match(unknownBecause(`replace("a", "/${'a'.repeat(300)}/", "x")`), /longer than 256/);
  });

  it('does not hang on a pattern that makes a backtracking engine take minutes', () => {
    const started = Date.now();
    // JavaScript's engine needs about 2^30 steps here; RE2 reads the text once.
    assert.equal(knownText(evaluateName(`replace("${'a'.repeat(30)}b", "/^(a+)+$/", "x")`)), `${'a'.repeat(30)}b`);
    assert.equal(knownText(evaluateName(`replace("${'a'.repeat(30)}", "/^(a+)+$/", "x")`)), 'x');
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  it('takes terraform.tfvars over variable defaults, and leaves variables without either unknown', () => {
    const vars = 'variable "ns" {\n  default = "from-default"\n}\nvariable "free" {}';
    assert.equal(knownText(evaluateName('var.ns', vars)), 'from-default');
    assert.equal(knownText(evaluateName('var.ns', vars, 'ns = "from-tfvars"\n')), 'from-tfvars');
    const free = evaluateName('"x-${var.free}"', vars);
    assert.equal(knownText(free), undefined);
    assert.equal(free.segments[0]?.kind, 'text');
    assert.equal(free.segments[1]?.kind, 'unknown');
  });

  it('turns module outputs of terraform-aws-modules/eks into issuer symbols, and strips https:// from them', () => {
    const eks = 'module "eks" {\n  source = "terraform-aws-modules/eks/aws"\n}';
    const host = evaluateName('module.eks.oidc_provider', eks);
    assert.deepEqual(host.segments.map((s) => (s.kind === 'symbol' ? s.symbol : s.kind)), ['issuer-host']);
    const url = evaluateName('module.eks.cluster_oidc_issuer_url', eks);
    assert.deepEqual(url.segments.map((s) => (s.kind === 'symbol' ? s.symbol : s.kind)), ['issuer-url']);
    const stripped = evaluateName('replace(module.eks.cluster_oidc_issuer_url, "https://", "")', eks);
    assert.deepEqual(stripped.segments.map((s) => (s.kind === 'symbol' ? s.symbol : s.kind)), ['issuer-host']);
    assert.equal(display(evaluateName('"${module.eks.oidc_provider}:sub"', eks)), '${module.eks.oidc_provider}:sub');
    // Outputs of modules the tool does not model are unknown, never guessed.
    const other = evaluateName('module.other.anything', 'module "other" {\n  source = "./other"\n}');
    assert.equal(other.segments[0]?.kind, 'unknown');
  });

  it("reads a provider's url as the issuer without https://, as IAM stores it", () => {
    const provider = 'resource "aws_iam_openid_connect_provider" "p" {\n  url = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"\n}';
    const url = evaluateName('aws_iam_openid_connect_provider.p.url', provider).segments[0];
    assert.ok(url?.kind === 'symbol');
    assert.equal(url.symbol, 'issuer-host');
    assert.equal(url.resolved, 'oidc.eks.eu-west-1.amazonaws.com/id/ABC');
    // replace() around it, the future-proof spelling, is the same host.
    assert.equal(resolvedText(evaluateName('replace(aws_iam_openid_connect_provider.p.url, "https://", "")', provider)), 'oidc.eks.eu-west-1.amazonaws.com/id/ABC');
    const read = 'data "aws_iam_openid_connect_provider" "p" {\n  url = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"\n}';
    const first = evaluateName('data.aws_iam_openid_connect_provider.p.url', read).segments[0];
    assert.ok(first?.kind === 'symbol' && first.symbol === 'issuer-host' && first.resolved === 'oidc.eks.eu-west-1.amazonaws.com/id/ABC');
  });

  it('stops on cycles and never throws on nonsense', () => {
    const cyclic = 'locals {\n  a = local.b\n  b = local.a\n}';
    assert.equal(evaluateName('local.a', cyclic).segments[0]?.kind, 'unknown');
    assert.equal(evaluateName('nosuchfunction(1, 2)').segments[0]?.kind, 'unknown');
    assert.equal(evaluateName('1 + 2').segments[0]?.kind, 'unknown');
  });
});

describe('HCL parsing', () => {
  it('recovers the blocks after an unclosed jsonencode({', () => {
    const text = [
      'resource "aws_iam_role" "broken" {',
      '  assume_role_policy = jsonencode({',
      '    Version = "2012-10-17"',
      '}',
      '',
      'resource "kubernetes_service_account_v1" "after" {',
      '  metadata {',
      '    name = "still-read"',
      '  }',
      '}',
      '',
    ].join('\n');
    const file = parseHcl(text);
    assert.ok(file.problems.length > 0, 'the syntax error is reported');
    assert.ok(file.blocks.some((b) => b.labels[1] === 'after'), 'the next block is still parsed');
    const facts = extractTerraformModule(DIR, [tfFile('main.tf', text)]);
    assert.equal(knownText(facts.serviceAccounts[0]!.name.value), 'still-read');
    assert.equal(facts.problems.length, 1);
  });

  it('unescapes quoted strings and keeps offsets in UTF-16 code units', () => {
    const text = 'locals {\n  a = "é😀 \\"q\\" $${lit}"\n}\nresource "kubernetes_service_account_v1" "probe" {\n  metadata {\n    name = local.a\n  }\n}\n';
    const facts = extractTerraformModule(DIR, [tfFile('main.tf', text)]);
    assert.equal(knownText(facts.serviceAccounts[0]!.name.value), 'é😀 "q" ${lit}');
    assert.deepEqual(facts.serviceAccounts[0]!.name.span.range.start, { line: 5, character: 11 });
  });
});
