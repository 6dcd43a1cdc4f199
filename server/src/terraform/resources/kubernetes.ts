/**
 * The Kubernetes provider: ServiceAccounts, the workloads that run as them,
 * and objects written as a `kubernetes_manifest`, or as YAML in a kubectl
 * provider's `kubectl_manifest.yaml_body`.
 */
import { known, knownText, unknown } from '../../common/value';
import { member, scalarString, type DocValue } from '../../parse/document';
import type { Hole } from '../../parse/json';
import { parseYaml } from '../../parse/yaml';
import { readAnnotations, readKubernetesObject, readYamlDocument, ROLE_ARN_ANNOTATION } from '../../facts/kubernetes';
import type { ServiceAccount } from '../../facts/types';
import { attribute, childBlocks, type Block } from '../../parse/hcl';
import type { ModuleContext, ResourceBlock } from '../context';
import type { ResourceFamily, ResourceHandler } from '../family';

/** The workload resources, each also as its `_v1` twin. */
const WORKLOAD_RESOURCES: readonly string[] = ['deployment', 'stateful_set', 'daemon_set', 'daemonset', 'replication_controller', 'job', 'cron_job', 'pod'].flatMap((k) => [`kubernetes_${k}`, `kubernetes_${k}_v1`]);

export const kubernetesResources: ResourceFamily = {
  resources: {
    kubernetes_service_account: { extract: extractServiceAccount },
    kubernetes_service_account_v1: { extract: extractServiceAccount },
    kubernetes_manifest: { extract: extractManifest },
    kubectl_manifest: { extract: extractKubectlManifest },
    ...Object.fromEntries(WORKLOAD_RESOURCES.map((type): [string, ResourceHandler] => [type, { extract: extractWorkload }])),
  },
};

function extractServiceAccount({ owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const metadata = childBlocks(block, 'metadata')[0];
  if (!metadata) return;
  const env = new Map<string, DocValue>();
  const name = ctx.str(attribute(metadata, 'name'), file, env) ?? { value: unknown('no metadata.name'), span: ctx.span(file, block.header) };
  const nsAttr = attribute(metadata, 'namespace');
  const namespace = ctx.str(nsAttr, file, env) ?? { value: known('default'), span: name.span };
  const annotationsValue = ctx.value(attribute(metadata, 'annotations'), file, env);
  const annotations = readAnnotations(annotationsValue);
  const roleArn = annotations.list.find((a) => a.key.value === ROLE_ARN_ANNOTATION)?.value;
  const sa: ServiceAccount = {
    id: owner,
    span: name.span,
    origin: 'terraform',
    name,
    namespace,
    namespaceDefaulted: nsAttr === undefined,
    annotations: annotations.list,
    annotationsComplete: annotations.complete,
    ...(roleArn ? { roleArn } : {}),
  };
  ctx.out.serviceAccounts.push(sa);
}

/**
 * `kubernetes_deployment_v1` and the other workload resources: the pod
 * template's annotations and `service_account_name`. (Pods have them on
 * the resource itself; cron jobs one level deeper, under `job_template`.)
 */
function extractWorkload({ type, owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const metadata = childBlocks(block, 'metadata')[0];
  const name = ctx.str(attribute(metadata ?? block, 'name'), file) ?? { value: unknown('no metadata.name'), span: ctx.span(file, block.header) };
  const namespace = ctx.str(metadata ? attribute(metadata, 'namespace') : undefined, file) ?? { value: known('default'), span: name.span };
  const spec = childBlocks(block, 'spec')[0];
  let podParent: Block | undefined;
  if (/^kubernetes_pod(_v1)?$/.test(type)) podParent = block;
  else if (/^kubernetes_cron_job(_v1)?$/.test(type)) podParent = descend(spec, 'job_template', 'spec', 'template');
  else podParent = descend(spec, 'template');
  const podSpec = podParent ? childBlocks(podParent, 'spec')[0] : undefined;
  const podMetadata = podParent ? childBlocks(podParent, 'metadata')[0] : undefined;
  const serviceAccountName = ctx.str(podSpec ? attribute(podSpec, 'service_account_name') : undefined, file);
  const annotations = readAnnotations(ctx.value(podMetadata ? attribute(podMetadata, 'annotations') : undefined, file));
  const labels = readAnnotations(ctx.value(podMetadata ? attribute(podMetadata, 'labels') : undefined, file));
  ctx.out.workloads.push({
    id: owner,
    span: name.span,
    kind: type.replace(/^kubernetes_/, '').replace(/_v1$/, ''),
    name,
    namespace,
    ...(serviceAccountName ? { serviceAccountName } : {}),
    podAnnotations: annotations.list,
    podLabels: labels.list,
    podLabelsComplete: labels.complete,
  });
}

function extractManifest({ owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const manifest = ctx.value(attribute(block, 'manifest'), file);
  if (manifest?.kind !== 'object') return;
  const kind = scalarString(member(manifest, 'kind'));
  const kindText = kind ? knownText(kind) : undefined;
  if (kindText) readKubernetesObject(manifest, owner, kindText, ctx.out);
}

/**
 * `kubectl_manifest.yaml_body`: a heredoc of YAML (its `${…}` interpolations
 * evaluated in place, positions true to the .tf file), or `yamlencode({…})`.
 */
function extractKubectlManifest({ owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const attr = attribute(block, 'yaml_body');
  if (!attr) return;
  const expr = attr.value;
  if (expr.kind === 'template' && expr.heredoc) {
    // With `%{ }` directives the YAML exists only once rendered.
    if (expr.parts.some((part) => part.kind === 'directive')) return;
    const holes: Hole[] = [];
    for (const part of expr.parts) if (part.kind === 'interpolation') holes.push({ start: part.start, end: part.end, value: ctx.evaluator.evaluateString(part.expr, file) });
    const parsed = parseYaml({ uri: file.uri, lines: file.lines, start: expr.heredoc.bodyStart, end: expr.heredoc.bodyEnd, holes });
    parsed.documents.forEach((d, i) => {
      if (d.value) readYamlDocument(d.value, `${owner}#${i}`, ctx.out);
    });
    return;
  }
  const value = ctx.value(attr, file);
  if (value?.kind === 'object') readYamlDocument(value, owner, ctx.out);
}

/** The first block of each type down a path (`spec` → `template` → …). */
function descend(block: Block | undefined, ...types: string[]): Block | undefined {
  let current = block;
  for (const type of types) current = current ? childBlocks(current, type)[0] : undefined;
  return current;
}
