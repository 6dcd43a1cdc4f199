/**
 * Every contributed snippet, expanded with its defaults (or the values a
 * test gives), placed in a workspace with what it needs (the EKS module it
 * refers to, the ServiceAccount its trust names), analyses with no parse
 * error and no finding. The manifest contributes exactly these files, and
 * every prefix starts with `irsa-`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyze } from '../server/src/analysis';
import { Workspace } from '../server/src/index/workspace';
import { initParsers } from '../server/src/node/host';
import { expandSnippet, tabStops } from './support/snippet';

before(async () => {
  await initParsers();
});

interface Snippet {
  readonly prefix: string;
  readonly description: string;
  readonly body: readonly string[];
}

const ROOT = path.join(__dirname, '..', '..');
const load = (file: string): Record<string, Snippet> => JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', file), 'utf8')) as Record<string, Snippet>;
const SNIPPETS = { terraform: load('terraform.json'), json: load('json.json'), yaml: load('yaml.json') };

function byPrefix(prefix: string): Snippet {
  for (const file of Object.values(SNIPPETS)) for (const s of Object.values(file)) if (s.prefix === prefix) return s;
  throw new Error(`no snippet ${prefix}`);
}

const EKS_MODULE = `module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "demo"
  enable_irsa  = true
}
`;

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
const PROVIDER_TF = `resource "aws_iam_openid_connect_provider" "eks" {
  url            = "https://${ISSUER}"
  client_id_list = ["sts.amazonaws.com"]
}
`;

function serviceAccountYaml(namespace: string, name: string, roleArn?: string): string {
  return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n${roleArn ? `  annotations:\n    eks.amazonaws.com/role-arn: ${roleArn}\n` : ''}`;
}

/** Analyses the files; returns the findings as `file rule: message`. */
function findings(files: Record<string, string>): string[] {
  const workspace = new Workspace();
  for (const [file, text] of Object.entries(files)) workspace.setFile(`file:///ws/${file}`, text);
  const { findings, failures } = analyze(workspace);
  assert.deepEqual(failures, []);
  return findings.map((f) => `${f.span.uri.slice('file:///ws/'.length)} ${f.ruleId}: ${f.message}`);
}

describe('snippets', () => {
  it('are contributed for terraform, json and yaml, with irsa- prefixes, descriptions and tab stops in order', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { snippets: { language: string; path: string }[] } };
    assert.deepEqual(
      manifest.contributes.snippets.map((s) => [s.language, s.path]),
      [
        ['terraform', './snippets/terraform.json'],
        ['json', './snippets/json.json'],
        ['yaml', './snippets/yaml.json'],
      ],
    );
    const prefixes: string[] = [];
    for (const file of Object.values(SNIPPETS)) {
      for (const [name, s] of Object.entries(file)) {
        assert.match(s.prefix, /^irsa-[a-z0-9-]+$/, name);
        assert.ok(s.description.length > 20, name);
        const stops = tabStops(s.body).filter((n) => n !== 0);
        assert.deepEqual(stops, stops.map((_, i) => i + 1), `${name}: tab stops in order`);
        prefixes.push(s.prefix);
      }
    }
    assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
    assert.ok(prefixes.includes('irsa-karpenter-fargate'), 'the e2e suite types irsa-karpenter-fargate');
  });

  it('the expander handles the syntax used: defaults, mirrors, choices, escapes, $0 and indentation', () => {
    assert.equal(expandSnippet(['a ${1:x} ${1} \\${b} ${2|p,q|}$0', '${3:n${4:m}}'], {}, '  '), 'a x x ${b} p\n  nm');
    assert.equal(expandSnippet('${1:x}-$1-${2|p,q|}', { 1: 'y', 2: 'q' }), 'y-y-q');
  });

  it('irsa-serviceaccount: a ServiceAccount whose role trusts it', () => {
    const yaml = expandSnippet(byPrefix('irsa-serviceaccount').body);
    const trust = expandSnippet(byPrefix('irsa-trust-policy').body, { 1: '111122223333' });
    assert.deepEqual(findings({ 'k8s/app.yaml': yaml, 'iam/app-irsa-trust.json': trust }), []);
    // The analysis did follow the link: the same ServiceAccount in another namespace is caught.
    const elsewhere = expandSnippet(byPrefix('irsa-serviceaccount').body, { 2: 'other' });
    assert.match(findings({ 'k8s/app.yaml': elsewhere, 'iam/app-irsa-trust.json': trust }).join('\n'), /sa-role-trust-mismatch/);
  });

  it('irsa-trust-policy: clean with the ServiceAccount it names', () => {
    const trust = expandSnippet(byPrefix('irsa-trust-policy').body, { 4: 'demo', 5: 'reader' });
    assert.deepEqual(findings({ 'reader.json': trust, 'k8s/sa.yaml': serviceAccountYaml('demo', 'reader', 'arn:aws:iam::111122223333:role/reader') }), []);
  });

  it('irsa-cross-account: clean (it carries its ExternalId)', () => {
    assert.deepEqual(findings({ 'cross.json': expandSnippet(byPrefix('irsa-cross-account').body) }), []);
  });

  it('irsa-policy-document: clean beside the EKS module it refers to', () => {
    const tf = expandSnippet(byPrefix('irsa-policy-document').body);
    assert.deepEqual(findings({ 'tf/eks.tf': EKS_MODULE, 'tf/trust.tf': tf, 'k8s/sa.yaml': serviceAccountYaml('default', 'app') }), []);
  });

  it('irsa-policy-document: clean with an aws_iam_openid_connect_provider instead of the module', () => {
    const tf = expandSnippet(byPrefix('irsa-policy-document').body, { 2: 'aws_iam_openid_connect_provider.eks.arn', 3: 'replace(aws_iam_openid_connect_provider.eks.url, "https://", "")' });
    assert.deepEqual(findings({ 'tf/oidc.tf': PROVIDER_TF, 'tf/trust.tf': tf, 'k8s/sa.yaml': serviceAccountYaml('default', 'app') }), []);
  });

  it('irsa-role: role, trust and ServiceAccount link up and agree', () => {
    const tf = expandSnippet(byPrefix('irsa-role').body, { 4: 'logging', 5: 'shipper' });
    assert.deepEqual(findings({ 'tf/eks.tf': EKS_MODULE, 'tf/irsa.tf': tf }), []);
    const workspace = new Workspace();
    workspace.setFile('file:///ws/tf/eks.tf', EKS_MODULE);
    workspace.setFile('file:///ws/tf/irsa.tf', tf);
    const model = workspace.model();
    assert.equal(model.serviceAccounts.length, 1);
    assert.deepEqual(model.roleLinks(model.serviceAccounts[0]!).map((l) => [l.role.id.replace(/^.*#/, ''), l.by]), [['aws_iam_role.app', 'reference']]);
    assert.equal(model.eksWebIdentityStatements(model.trustPolicyOfRole(model.roles[0]!)!).length, 1);
  });

  it('irsa-module: clean beside the EKS module and the ServiceAccount it admits', () => {
    const tf = expandSnippet(byPrefix('irsa-module').body);
    // The role's ARN leaves through an output (role-unused notes a role nothing attaches).
    const output = 'output "app_role_arn" {\n  value = module.app_irsa.arn\n}\n';
    assert.deepEqual(findings({ 'tf/eks.tf': EKS_MODULE, 'tf/irsa.tf': tf, 'tf/outputs.tf': output, 'k8s/sa.yaml': serviceAccountYaml('default', 'app') }), []);
  });

  it('irsa-eksctl-serviceaccount: clean inside a ClusterConfig with withOIDC', () => {
    const entry = expandSnippet(byPrefix('irsa-eksctl-serviceaccount').body, {}, '    ');
    const config = `apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: demo\n  region: eu-west-1\niam:\n  withOIDC: true\n  serviceAccounts:\n    ${entry}\n`;
    assert.deepEqual(findings({ 'cluster.yaml': config }), []);
  });

  it('irsa-karpenter-fargate: clean with the Karpenter controller ServiceAccount', () => {
    const tf = expandSnippet(byPrefix('irsa-karpenter-fargate').body);
    assert.deepEqual(findings({ 'tf/eks.tf': EKS_MODULE, 'tf/karpenter.tf': tf, 'k8s/karpenter.yaml': serviceAccountYaml('kube-system', 'karpenter') }), []);
    // The trust document is read: with another ServiceAccount in its place, its subject is reported as defined nowhere.
    assert.match(findings({ 'tf/eks.tf': EKS_MODULE, 'tf/karpenter.tf': tf, 'k8s/karpenter.yaml': serviceAccountYaml('karpenter', 'karpenter') }).join('\n'), /trust-sub-no-service-account/);
  });

  it('irsa-karpenter-fargate: is the workaround karpenter-v21-fargate-irsa asks for, on a cluster whose kube-system runs on Fargate', () => {
    const eks = `module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name = "demo"

  fargate_profiles = {
    kube_system = {
      selectors = [{ namespace = "kube-system" }]
    }
  }
}
`;
    const withoutWorkaround = `module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name = module.eks.cluster_name
}
`;
    const sa = serviceAccountYaml('kube-system', 'karpenter');
    assert.match(findings({ 'tf/eks.tf': eks, 'tf/karpenter.tf': withoutWorkaround, 'k8s/karpenter.yaml': sa }).join('\n'), /karpenter-v21-fargate-irsa/);
    const tf = expandSnippet(byPrefix('irsa-karpenter-fargate').body);
    assert.deepEqual(findings({ 'tf/eks.tf': eks, 'tf/karpenter.tf': tf, 'k8s/karpenter.yaml': sa }), []);
  });
});
