/**
 * Generates a platform-monorepo workspace, deterministically from a seed:
 * the shape `npm run bench` measures (issue #15). About 5–10 % of the files
 * concern IRSA (ServiceAccounts with role ARNs, the workloads that use them,
 * Terraform roles trusting them, JSON trust policies, Helm values with a
 * role annotation); the rest is what such repositories also hold: ordinary
 * Terraform, Kubernetes manifests, Helm charts (Go templates) and values,
 * `package.json` / `package-lock.json`, CloudFormation/CDK templates of
 * 0.2–2 MB and CRD bundles of 1–2 MB. `dense` makes about 60 % of the files
 * IRSA files (the worst case for cross-file rules).
 *
 * The same seed and options give the same bytes, so figures of two runs
 * (before and after a change) are of the same workspace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const GENERATOR_VERSION = 2;

export interface GenerateOptions {
  /** Approximate number of files (the generator stops at this count). */
  readonly files: number;
  readonly seed: number;
  /** About 60 % IRSA files instead of 5–10 %. */
  readonly dense: boolean;
}

/** What the benchmark edits, relative to the root. */
export interface Manifest {
  readonly version: number;
  readonly options: GenerateOptions;
  readonly files: number;
  readonly bytes: number;
  readonly irsaFiles: number;
  /** A ServiceAccount whose namespace the edit benchmark moves. */
  readonly serviceAccount: { readonly file: string; readonly namespace: string };
  /** The Terraform file of the role that trusts it (where `trust-sub-no-service-account` appears when it moves). */
  readonly trustFile: string;
  /** A CloudFormation template of about 1 MB with no IRSA content: the keystroke benchmark. */
  readonly unrelatedJson: string;
  /** The largest YAML files (CRD bundles): what `yaml-language-server` is timed on. */
  readonly largeYaml: readonly string[];
}

/** mulberry32: small, fast, and the same everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNT = '111122223333';
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/7E1C0A3B9D2F4E5A6B7C8D9E0F1A2B3C';
const WORDS = ['alpha', 'billing', 'catalog', 'delivery', 'events', 'frontend', 'gateway', 'history', 'inventory', 'jobs', 'ledger', 'metrics', 'notify', 'orders', 'payments', 'queue', 'reports', 'search', 'tenant', 'users'];

class Writer {
  files = 0;
  bytes = 0;
  irsa = 0;
  constructor(readonly root: string) {}
  write(rel: string, text: string, irsa = false): void {
    const file = path.join(this.root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    this.files++;
    this.bytes += Buffer.byteLength(text);
    if (irsa) this.irsa++;
  }
}

export function generateWorkspace(root: string, options: GenerateOptions): Manifest {
  const random = rng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const w = new Writer(root);
  fs.mkdirSync(root, { recursive: true });

  // The cluster: one eks module the IRSA roles refer to.
  w.write('infra/cluster/main.tf', clusterTf(), true);
  w.write('infra/cluster/variables.tf', variablesTf(random, 12));
  w.write('infra/cluster/outputs.tf', `output "oidc_provider_arn" {\n  value = module.eks.oidc_provider_arn\n}\n`);

  // The pair the edit benchmark moves: a ServiceAccount and the Terraform role trusting it.
  const editApp = 'edit-target';
  w.write(`k8s/apps/${editApp}/serviceaccount.yaml`, serviceAccountYaml(editApp, 'team-edit'), true);
  w.write(`infra/cluster/irsa-${editApp}.tf`, irsaRoleTf(editApp, 'team-edit'), true);
  const unrelatedJson = 'services/edit-target/cdk.out/EditTargetStack.template.json';
  w.write(unrelatedJson, cloudFormation(random, 1_000_000));

  const irsaShare = options.dense ? 0.7 : 0.1;
  const largeYaml: string[] = [];
  let i = 0;
  while (w.files < options.files) {
    i++;
    const name = `${pick(WORDS)}-${i}`;
    const ns = `team-${i % 40}`;
    const r = random();
    if (r < irsaShare) {
      // An IRSA slice: SA + workload (YAML), a Terraform role or a JSON trust policy, sometimes Helm values.
      const shape = random();
      w.write(`k8s/apps/${name}/serviceaccount.yaml`, serviceAccountYaml(name, ns), true);
      w.write(`k8s/apps/${name}/deployment.yaml`, deploymentYaml(random, name, ns, true), true);
      if (shape < 0.5) w.write(`infra/cluster/irsa-${name}.tf`, irsaRoleTf(name, ns), true);
      else if (shape < 0.85) w.write(`iam/trust/${name}-irsa.json`, trustJson(name, ns), true);
      else w.write(`charts/${name}/values.yaml`, helmValues(random, name, true), true);
      continue;
    }
    const kind = random();
    if (kind < 0.3) {
      // An ordinary Terraform component: S3, security groups, variables, outputs.
      const dir = `infra/${pick(['prod', 'staging', 'dev'])}/${name}`;
      w.write(`${dir}/main.tf`, ordinaryTf(random, name));
      w.write(`${dir}/variables.tf`, variablesTf(random, int(4, 20)));
      w.write(`${dir}/outputs.tf`, `output "bucket" {\n  value = aws_s3_bucket.this.id\n}\n`);
    } else if (kind < 0.6) {
      // Kubernetes manifests without IRSA.
      const dir = `k8s/apps/${name}`;
      w.write(`${dir}/deployment.yaml`, deploymentYaml(random, name, ns, false));
      w.write(`${dir}/service.yaml`, serviceYaml(name, ns));
      w.write(`${dir}/configmap.yaml`, configMapYaml(random, name, ns));
      w.write(`${dir}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${ns}\nresources:\n  - deployment.yaml\n  - service.yaml\n  - configmap.yaml\n`);
    } else if (kind < 0.88) {
      // A Helm chart: Chart.yaml, values, Go templates.
      const dir = `charts/${name}`;
      w.write(`${dir}/Chart.yaml`, `apiVersion: v2\nname: ${name}\nversion: 0.${int(1, 40)}.0\nappVersion: "1.${int(0, 9)}"\n`);
      w.write(`${dir}/values.yaml`, helmValues(random, name, false));
      for (const t of ['deployment', 'service', 'serviceaccount', 'hpa']) w.write(`${dir}/templates/${t}.yaml`, helmTemplate(t));
    } else if (kind < 0.985) {
      // A Node service: package.json, package-lock.json (15–200 KB), tsconfig.
      const dir = `services/${name}`;
      w.write(`${dir}/package.json`, packageJson(random, name));
      w.write(`${dir}/package-lock.json`, packageLock(random, name, int(15_000, 200_000)));
      w.write(`${dir}/tsconfig.json`, JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, outDir: 'dist' } }, null, 2));
    } else if (kind < 0.996) {
      // A CDK synthesis output: a CloudFormation template of 0.2–2 MB (its roles are ordinary service roles).
      w.write(`services/${name}/cdk.out/${name}Stack.template.json`, cloudFormation(random, int(200_000, 1_950_000)));
    } else {
      // A CRD bundle of 1–2 MB.
      const file = `platform/crds/${name}-crds.yaml`;
      w.write(file, crdBundle(random, name, int(1_000_000, 1_950_000)));
      if (largeYaml.length < 5) largeYaml.push(file);
    }
  }
  const manifest: Manifest = {
    version: GENERATOR_VERSION,
    options,
    files: w.files,
    bytes: w.bytes,
    irsaFiles: w.irsa,
    serviceAccount: { file: `k8s/apps/${editApp}/serviceaccount.yaml`, namespace: 'team-edit' },
    trustFile: `infra/cluster/irsa-${editApp}.tf`,
    unrelatedJson,
    largeYaml,
  };
  fs.writeFileSync(path.join(root, '.bench-manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

// ─── IRSA files ──────────────────────────────────────────────────────────────

function clusterTf(): string {
  return `module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name    = "platform"
  cluster_version = "1.31"
  enable_irsa     = true
  vpc_id          = var.vpc_id
  subnet_ids      = var.subnet_ids
}
`;
}

function serviceAccountYaml(name: string, ns: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${ns}
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::${ACCOUNT}:role/${name}-irsa
`;
}

function irsaRoleTf(name: string, ns: string): string {
  const id = name.replace(/-/g, '_');
  return `resource "aws_iam_role" "${id}" {
  name = "${name}-irsa"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = module.eks.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "\${module.eks.oidc_provider}:sub" = "system:serviceaccount:${ns}:${name}"
          "\${module.eks.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "${id}" {
  role       = aws_iam_role.${id}.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}
`;
}

function trustJson(name: string, ns: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${ISSUER}:sub`]: `system:serviceaccount:${ns}:${name}`, [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
        },
      ],
    },
    null,
    2,
  );
}

// ─── Kubernetes ──────────────────────────────────────────────────────────────

function deploymentYaml(random: () => number, name: string, ns: string, withServiceAccount: boolean): string {
  const env = Array.from({ length: 3 + Math.floor(random() * 10) }, (_, k) => `            - name: SETTING_${k}\n              value: "${Math.floor(random() * 1e6)}"`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  replicas: ${1 + Math.floor(random() * 5)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
${withServiceAccount ? `      serviceAccountName: ${name}\n` : ''}      containers:
        - name: app
          image: registry.example.com/${name}:1.${Math.floor(random() * 50)}.0
          ports:
            - containerPort: 8080
          env:
${env}
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
`;
}

function serviceYaml(name: string, ns: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app.kubernetes.io/name: ${name}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
}

function configMapYaml(random: () => number, name: string, ns: string): string {
  const data = Array.from({ length: 5 + Math.floor(random() * 30) }, (_, k) => `  key_${k}: "${random().toString(36).slice(2)}"`).join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\n  namespace: ${ns}\ndata:\n${data}\n`;
}

// ─── Helm ────────────────────────────────────────────────────────────────────

function helmValues(random: () => number, name: string, irsa: boolean): string {
  const extra = Array.from({ length: 20 + Math.floor(random() * 200) }, (_, k) => `  option${k}: ${random() < 0.5 ? 'true' : Math.floor(random() * 1000)}`).join('\n');
  const sa = irsa
    ? `serviceAccount:\n  create: true\n  name: ${name}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::${ACCOUNT}:role/${name}-irsa\n`
    : `serviceAccount:\n  create: true\n  annotations: {}\n`;
  return `replicaCount: 2\nimage:\n  repository: registry.example.com/${name}\n  tag: latest\n${sa}resources:\n  limits:\n    cpu: 500m\nconfig:\n${extra}\n`;
}

function helmTemplate(kind: string): string {
  return `{{- if .Values.${kind}.enabled }}
apiVersion: v1
kind: {{ .Values.${kind}.kind | default "${kind}" }}
metadata:
  name: {{ include "chart.fullname" . }}
  labels:
    {{- include "chart.labels" . | nindent 4 }}
{{- end }}
`;
}

// ─── Node ────────────────────────────────────────────────────────────────────

function packageJson(random: () => number, name: string): string {
  const deps: Record<string, string> = {};
  for (let k = 0; k < 5 + Math.floor(random() * 20); k++) deps[`dep-${Math.floor(random() * 5000)}`] = `^${Math.floor(random() * 9)}.${Math.floor(random() * 20)}.0`;
  return JSON.stringify({ name, version: '1.0.0', private: true, scripts: { build: 'tsc', test: 'node --test' }, dependencies: deps }, null, 2);
}

function packageLock(random: () => number, name: string, size: number): string {
  const packages: Record<string, unknown> = { '': { name, version: '1.0.0' } };
  let approx = 0;
  for (let k = 0; approx < size; k++) {
    const dep = `dep-${Math.floor(random() * 50000)}-${k}`;
    const version = `${Math.floor(random() * 9)}.${Math.floor(random() * 20)}.${Math.floor(random() * 30)}`;
    packages[`node_modules/${dep}`] = {
      version,
      resolved: `https://registry.npmjs.org/${dep}/-/${dep}-${version}.tgz`,
      integrity: `sha512-${Buffer.from(String(random())).toString('base64')}${random().toString(36).slice(2)}==`,
      license: 'MIT',
      ...(random() < 0.3 ? { dependencies: { [`dep-${Math.floor(random() * 50000)}`]: `^${version}` } } : {}),
    };
    approx += 260;
  }
  return JSON.stringify({ name, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2);
}

// ─── Large files ─────────────────────────────────────────────────────────────

/** A CDK-style template: Lambda functions, service roles (lambda.amazonaws.com: no IRSA), buckets, queues. */
function cloudFormation(random: () => number, size: number): string {
  const resources: Record<string, unknown> = {};
  let approx = 0;
  for (let k = 0; approx < size; k++) {
    const id = `Handler${k}${Math.floor(random() * 1e8).toString(16).toUpperCase()}`;
    resources[`${id}ServiceRole`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }], Version: '2012-10-17' },
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }],
      },
      Metadata: { 'aws:cdk:path': `Stack/${id}/ServiceRole/Resource` },
    };
    resources[id] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: `${random().toString(16).slice(2)}${random().toString(16).slice(2)}.zip` },
        Role: { 'Fn::GetAtt': [`${id}ServiceRole`, 'Arn'] },
        Handler: 'index.handler',
        Runtime: 'nodejs20.x',
        Description: `Handles ${WORDS[k % WORDS.length]} events`,
        Environment: { Variables: { TABLE: `table-${k}`, QUEUE_URL: { Ref: `Queue${k}` } } },
      },
      DependsOn: [`${id}ServiceRole`],
    };
    resources[`Queue${k}`] = { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 300 }, UpdateReplacePolicy: 'Delete', DeletionPolicy: 'Delete' };
    approx += 1500;
  }
  return JSON.stringify({ Description: 'Generated by the benchmark', Resources: resources, Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } } }, null, 1);
}

/** CustomResourceDefinitions with long OpenAPI schemas, as operators ship them. */
function crdBundle(random: () => number, name: string, size: number): string {
  const docs: string[] = [];
  let total = 0;
  for (let k = 0; total < size; k++) {
    const kind = `${name.replace(/[^a-z]/g, '').replace(/^./, (c) => c.toUpperCase())}Thing${k}`;
    const props: string[] = [];
    for (let p = 0; p < 150; p++) {
      props.push(`                  field${p}:
                    description: Field ${p} of the ${kind} spec. When the Pod is scheduled, the controller copies it to the ServiceAccount token volume if set.
                    type: ${random() < 0.5 ? 'string' : 'integer'}`);
    }
    const doc = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things${k}.${name}.example.com
spec:
  group: ${name}.example.com
  names:
    kind: ${kind}
    listKind: ${kind}List
    plural: things${k}
    singular: thing${k}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion:
              type: string
            kind:
              description: Kind is a string value representing the REST resource this object represents.
              type: string
            spec:
              type: object
              properties:
                template:
                  type: object
                  properties:
${props.join('\n')}
`;
    docs.push(doc);
    total += doc.length;
  }
  return docs.join('---\n');
}

// ─── Ordinary Terraform ──────────────────────────────────────────────────────

function ordinaryTf(random: () => number, name: string): string {
  const rules = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, k) => `  ingress {\n    from_port   = ${1000 + k}\n    to_port     = ${1000 + k}\n    protocol    = "tcp"\n    cidr_blocks = ["10.${k}.0.0/16"]\n  }`).join('\n');
  return `resource "aws_s3_bucket" "this" {
  bucket = "${name}-\${var.environment}"
  tags   = local.tags
}

resource "aws_security_group" "this" {
  name   = "${name}"
  vpc_id = var.vpc_id
${rules}
}

locals {
  tags = { Service = "${name}", Environment = var.environment }
}
`;
}

function variablesTf(random: () => number, count: number): string {
  return Array.from({ length: count }, (_, k) => `variable "v${k}" {\n  type    = ${random() < 0.5 ? 'string' : 'number'}\n  default = ${random() < 0.5 ? `"x${k}"` : k}\n}\n`).join('\n') + `\nvariable "vpc_id" {\n  type = string\n  default = "vpc-0123"\n}\n\nvariable "subnet_ids" {\n  type = list(string)\n  default = []\n}\n\nvariable "environment" {\n  type = string\n  default = "prod"\n}\n`;
}
