/**
 * Kubernetes objects, eksctl ClusterConfigs and Helm values files, read from
 * DocValues (YAML documents, or Terraform `kubernetes_manifest` objects).
 */
import type { Span } from '../common/text';
import { known, knownText, symbol, unknown, type StrValue } from '../common/value';
import { entry, knownString, member, path, scalarString, type DocValue } from '../parse/document';
import { addonServiceAccount } from './addons';
import { emptyFacts, type Annotation, type FactsBuilder, type FargateSelector, type LabelRequirement, type LStr, type TrustPolicy } from './types';

export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
export const AUDIENCE_ANNOTATION = 'eks.amazonaws.com/audience';
export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';

/** What the Kubernetes and eksctl readers collect: every kind of fact but parse problems. */
export type KubernetesFacts = Omit<FactsBuilder, 'problems'>;

export function emptyKubernetesFacts(): KubernetesFacts {
  return emptyFacts();
}

const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController']);

/**
 * Every `kind` of a document that yields facts here or in the kustomize
 * reader; a document of any other kind (a CRD, a ConfigMap) yields none.
 * `facts/prefilter.ts` reads this list to skip files before parsing them.
 */
export const KINDS_WITH_FACTS: ReadonlySet<string> = new Set([...WORKLOAD_KINDS, 'ServiceAccount', 'List', 'ClusterConfig', 'Kustomization', 'Component', 'SecretStore', 'ClusterSecretStore', 'DeploymentRuntimeConfig', 'ControllerConfig']);

/**
 * Reads one YAML document. `id` must be unique per document in the
 * workspace (uri + document index).
 */
export function readYamlDocument(doc: DocValue, id: string, out: KubernetesFacts, defaultNamespace: StrValue = known('default')): void {
  if (doc.kind !== 'object') return;
  const kind = knownString(member(doc, 'kind'));
  const apiVersion = knownString(member(doc, 'apiVersion')) ?? '';
  if (kind === 'List') {
    const items = member(doc, 'items');
    if (items?.kind === 'array') items.items.forEach((item, i) => readYamlDocument(item, `${id}/${i}`, out, defaultNamespace));
    return;
  }
  if (kind === 'ClusterConfig' && apiVersion.startsWith('eksctl.io/')) {
    readEksctlConfig(doc, id, out);
    return;
  }
  if (kind !== undefined) {
    readKubernetesObject(doc, id, kind, out, defaultNamespace);
    return;
  }
  if (member(doc, 'apiVersion') === undefined) readHelmValues(doc, id, out);
}

/**
 * `defaultNamespace`: where the object lives when it names none: `default`
 * for `kubectl apply`, the release's namespace for a Helm chart template.
 */
export function readKubernetesObject(doc: DocValue, id: string, kind: string, out: KubernetesFacts, defaultNamespace: StrValue = known('default')): void {
  const metadata = member(doc, 'metadata');
  const nameValue = member(metadata, 'name');
  const name = located(nameValue, doc.span, unknown('no metadata.name'));
  const namespaceValue = member(metadata, 'namespace');
  // A template's directives may write the namespace (`{{- with .Values.namespace }}`): absent is not `default` then.
  const namespaceDefault = metadata?.kind === 'object' && !metadata.complete ? unknown('a template directive may set metadata.namespace') : defaultNamespace;
  const namespace = located(namespaceValue, name.span, namespaceDefault);
  if (kind === 'ServiceAccount') {
    const annotations = readAnnotations(member(metadata, 'annotations'));
    const roleArn = annotations.list.find((a) => a.key.value === ROLE_ARN_ANNOTATION)?.value;
    out.serviceAccounts.push({
      id,
      span: name.span,
      origin: 'yaml',
      name,
      namespace,
      namespaceDefaulted: namespaceValue === undefined && knownText(namespace.value) === 'default',
      annotations: annotations.list,
      annotationsComplete: annotations.complete,
      ...(roleArn ? { roleArn } : {}),
    });
    return;
  }
  if (readServiceAccountConsumer(doc, id, kind, name, namespace, out)) return;
  if (!WORKLOAD_KINDS.has(kind)) return;
  const podSpecParent = kind === 'Pod' ? doc : kind === 'CronJob' ? path(doc, 'spec', 'jobTemplate', 'spec', 'template') : path(doc, 'spec', 'template');
  const podSpec = kind === 'Pod' ? member(doc, 'spec') : member(podSpecParent, 'spec');
  const saValue = member(podSpec, 'serviceAccountName') ?? member(podSpec, 'serviceAccount');
  const serviceAccountName = saValue ? located(saValue, saValue.span, unknown('')) : undefined;
  // Labels and annotations are both string maps: one reader.
  const labels = readAnnotations(path(podSpecParent, 'metadata', 'labels'));
  out.workloads.push({
    id,
    span: name.span,
    kind,
    name,
    namespace,
    ...(serviceAccountName ? { serviceAccountName } : {}),
    podAnnotations: readAnnotations(path(podSpecParent, 'metadata', 'annotations')).list,
    podLabels: labels.list,
    podLabelsComplete: labels.complete,
  });
}

/**
 * Objects that are no workload yet name a ServiceAccount whose token their
 * controller exchanges with STS: External Secrets `SecretStore` and
 * `ClusterSecretStore` (`spec.provider.aws.auth.jwt.serviceAccountRef`),
 * read as workloads of that kind running as that account (no pods: see
 * `runsPods`). A Crossplane `DeploymentRuntimeConfig` with
 * `spec.serviceAccountTemplate.metadata.name` defines the provider's
 * ServiceAccount, in the namespace Crossplane runs in (not written there).
 * A Crossplane `ControllerConfig` (deprecated) with a `role-arn`
 * annotation is a consumer of kind `ControllerConfig`: Crossplane copies
 * its annotations to the account each provider revision runs as, named
 * `<provider>-<revision hash>` unless `spec.serviceAccountName` names one,
 * in Crossplane's namespace. That name is unknown, so it is left out
 * (`serviceAccountName` absent): the index matches it with the known
 * Crossplane provider name prefixes only (`index/consumers.ts`).
 */
function readServiceAccountConsumer(doc: DocValue, id: string, kind: string, name: LStr, namespace: LStr, out: KubernetesFacts): boolean {
  const apiVersion = knownString(member(doc, 'apiVersion')) ?? '';
  if ((kind === 'SecretStore' || kind === 'ClusterSecretStore') && apiVersion.startsWith('external-secrets.io/')) {
    const ref = path(doc, 'spec', 'provider', 'aws', 'auth', 'jwt', 'serviceAccountRef');
    const refName = member(ref, 'name');
    if (!refName) return true;
    const refNamespace = member(ref, 'namespace');
    // A SecretStore's account lives in the store's namespace; a ClusterSecretStore names one, or takes the ExternalSecret's.
    const ns = refNamespace
      ? located(refNamespace, refNamespace.span, unknown(''))
      : kind === 'SecretStore'
        ? namespace
        : { value: unknown('the namespace of each ExternalSecret that uses the store'), span: name.span };
    out.workloads.push({ id, span: name.span, kind, name, namespace: ns, serviceAccountName: located(refName, refName.span, unknown('')), podAnnotations: [], podLabels: [], podLabelsComplete: false });
    return true;
  }
  if (kind === 'ControllerConfig' && apiVersion.startsWith('pkg.crossplane.io/')) {
    const annotations = readAnnotations(path(doc, 'metadata', 'annotations'));
    const roleArn = annotations.list.find((a) => a.key.value === ROLE_ARN_ANNOTATION)?.value;
    // Without a role ARN the config says nothing about IRSA.
    if (!roleArn) return true;
    const named = member(path(doc, 'spec'), 'serviceAccountName');
    const crossplaneNamespace: LStr = { value: unknown('the namespace Crossplane runs in'), span: name.span };
    out.workloads.push({
      id,
      span: name.span,
      kind,
      name,
      namespace: crossplaneNamespace,
      ...(named ? { serviceAccountName: located(named, named.span, unknown('')) } : {}),
      podAnnotations: [],
      podLabels: [],
      podLabelsComplete: false,
      roleArn,
    });
    return true;
  }
  if (kind === 'DeploymentRuntimeConfig' && apiVersion.startsWith('pkg.crossplane.io/')) {
    const template = path(doc, 'spec', 'serviceAccountTemplate', 'metadata');
    const saName = member(template, 'name');
    if (!saName) return true;
    const annotations = readAnnotations(member(template, 'annotations'));
    const roleArn = annotations.list.find((a) => a.key.value === ROLE_ARN_ANNOTATION)?.value;
    const saNameValue = located(saName, saName.span, unknown(''));
    out.serviceAccounts.push({
      id,
      span: saNameValue.span,
      origin: 'yaml',
      name: saNameValue,
      namespace: { value: unknown('the namespace Crossplane runs in'), span: saNameValue.span },
      namespaceDefaulted: false,
      annotations: annotations.list,
      annotationsComplete: annotations.complete,
      ...(roleArn ? { roleArn } : {}),
    });
    return true;
  }
  return false;
}

/** Kinds read as workloads that run no pods of their own (a controller uses their ServiceAccount's token). */
export const NON_POD_WORKLOAD_KINDS: ReadonlySet<string> = new Set(['SecretStore', 'ClusterSecretStore', 'ControllerConfig']);

export function readAnnotations(value: DocValue | undefined): { list: Annotation[]; complete: boolean } {
  if (value === undefined || value.kind === 'null') return { list: [], complete: true };
  if (value.kind !== 'object') return { list: [], complete: false };
  const list: Annotation[] = [];
  let complete = value.complete;
  for (const e of value.entries) {
    const key = knownText(e.key);
    const v = scalarString(e.value);
    if (key === undefined || v === undefined) {
      complete = false;
      continue;
    }
    list.push({ key: { value: key, span: e.keySpan }, value: { value: v, span: e.value.span } });
  }
  return { list, complete };
}

function located(value: DocValue | undefined, fallback: Span, fallbackValue: StrValue): LStr {
  const s = scalarString(value);
  if (value && s) return { value: s, span: value.span };
  return { value: fallbackValue, span: fallback };
}

// ─── eksctl ──────────────────────────────────────────────────────────────────

/**
 * eksctl's `iam.serviceAccounts` entries imply three things: an annotated
 * ServiceAccount (unless `roleOnly`), a role (unless `attachRoleARN`), and
 * that role's trust policy, which eksctl pins with StringEquals on sub and
 * aud for the cluster's issuer.
 */
function readEksctlConfig(doc: DocValue, id: string, out: KubernetesFacts): void {
  const metadata = member(doc, 'metadata');
  const clusterName = knownString(member(metadata, 'name'));
  const region = knownString(member(metadata, 'region'));
  const iam = member(doc, 'iam');
  const withOidcValue = eksctlBoolean(member(iam, 'withOIDC'));
  const serviceAccountsEntry = entry(iam, 'serviceAccounts');
  const list = serviceAccountsEntry?.value.kind === 'array' ? serviceAccountsEntry.value.items : [];
  const clusterOwner = `eksctl:${id}`;
  out.eksctlConfigs.push({
    id: clusterOwner,
    span: member(metadata, 'name')?.span ?? doc.span,
    ...(clusterName !== undefined ? { clusterName } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(withOidcValue?.kind === 'boolean' ? { withOidc: { value: withOidcValue.value, span: withOidcValue.span } } : {}),
    ...(list.length > 0 && serviceAccountsEntry ? { serviceAccountsKey: serviceAccountsEntry.keySpan } : {}),
  });
  const nameValue = member(metadata, 'name');
  if (clusterName !== undefined && nameValue) out.clusters.push({ owner: clusterOwner, span: nameValue.span, name: known(clusterName), ...(region !== undefined ? { region } : {}) });
  if (withOidcValue?.kind === 'boolean' && withOidcValue.value) {
    out.oidcProviders.push({
      id: clusterOwner,
      span: withOidcValue.span,
      url: symbol('issuer-url', clusterOwner),
      clientIds: [{ value: known('sts.amazonaws.com'), span: withOidcValue.span }],
      clientIdsComplete: true,
    });
  }
  readEksctlCompute(doc, id, clusterOwner, clusterName, out);
  list.forEach((item, index) => {
    if (item.kind !== 'object') return;
    const saMeta = member(item, 'metadata');
    const nameValue = member(saMeta, 'name');
    const name = located(nameValue, item.span, unknown('no metadata.name'));
    const namespaceValue = member(saMeta, 'namespace');
    const namespace = located(namespaceValue, name.span, known('default'));
    const roleOnly = member(item, 'roleOnly')?.kind === 'boolean' && (member(item, 'roleOnly') as { value: boolean }).value;
    const attachRoleArnValue = member(item, 'attachRoleARN');
    const attachRoleArn = attachRoleArnValue ? located(attachRoleArnValue, attachRoleArnValue.span, unknown('')) : undefined;
    const entryId = `${id}/sa/${index}`;
    const roleId = `eksctl:${entryId}`;
    if (!attachRoleArn) {
      const roleName = knownString(member(item, 'roleName'));
      const policyId = `${roleId}#trust`;
      out.roles.push({
        id: roleId,
        span: name.span,
        origin: 'eksctl',
        name: roleName !== undefined ? known(roleName) : unknown('eksctl generates the role name'),
        trust: { kind: 'policy', policyId },
      });
      out.trustPolicies.push(eksctlTrustPolicy(policyId, clusterOwner, name, namespace, item.span));
    }
    if (!roleOnly) {
      const annotations = readAnnotations(member(saMeta, 'annotations'));
      const roleArn: LStr = attachRoleArn ?? { value: symbol('role-arn', roleId), span: name.span };
      out.serviceAccounts.push({
        id: entryId,
        span: name.span,
        origin: 'eksctl',
        name,
        namespace,
        namespaceDefaulted: namespaceValue === undefined,
        annotations: annotations.list,
        annotationsComplete: annotations.complete,
        roleArn,
        ...(attachRoleArn ? {} : { impliedRoleId: roleId }),
      });
    }
  });
}

/**
 * eksctl `fargateProfiles`, the Pod Identity associations of
 * `iam.podIdentityAssociations` and `addons[].podIdentityAssociations`, and
 * the launch template eksctl builds for each of `nodeGroups` and
 * `managedNodeGroups`: IMDS hop limit 2, or 1 with `disablePodIMDS: true` (eksctl's
 * `makeMetadataOptions`); `disableIMDSv1` only requires tokens. A managed
 * node group with its own `launchTemplate` uses that template instead.
 */
function readEksctlCompute(doc: DocValue, id: string, clusterOwner: string, clusterName: string | undefined, out: KubernetesFacts): void {
  const cluster = { name: clusterName !== undefined ? known(clusterName) : unknown('no metadata.name'), scope: id };
  const profiles = member(doc, 'fargateProfiles');
  (profiles?.kind === 'array' ? profiles.items : []).forEach((profile, index) => {
    const nameValue = member(profile, 'name');
    const { selectors, complete } = selectorsFromDoc(member(profile, 'selectors'));
    out.fargateProfiles.push({
      id: `${clusterOwner}#fargateProfiles/${index}`,
      name: knownString(nameValue) ?? `fargateProfiles[${index}]`,
      span: nameValue?.span ?? profile.span,
      origin: 'eksctl',
      cluster,
      selectors,
      selectorsComplete: complete,
    });
  });
  const associations = path(doc, 'iam', 'podIdentityAssociations');
  (associations?.kind === 'array' ? associations.items : []).forEach((item, index) => {
    if (item.kind !== 'object') return;
    out.podIdentityAssociations.push({
      id: `${clusterOwner}#podIdentityAssociations/${index}`,
      span: item.span,
      origin: 'eksctl',
      cluster,
      namespace: located(member(item, 'namespace'), item.span, unknown('no namespace')),
      serviceAccount: located(member(item, 'serviceAccountName'), item.span, unknown('no serviceAccountName')),
    });
  });
  // An add-on's own associations. eksctl may fill an omitted namespace or
  // ServiceAccount from the add-on's defaults; which ones is not modelled, so
  // an omitted value stays unknown rather than guessed.
  const addons = member(doc, 'addons');
  (addons?.kind === 'array' ? addons.items : []).forEach((addon, addonIndex) => {
    const list = member(addon, 'podIdentityAssociations');
    const addonName = scalarString(member(addon, 'name')) ?? unknown('no add-on name');
    // The add-on's own ServiceAccount, carrying `serviceAccountRoleARN` when it is set.
    const addonText = knownText(addonName);
    const roleValue = member(addon, 'serviceAccountRoleARN');
    const roleText = scalarString(roleValue);
    const sa =
      addonText !== undefined
        ? addonServiceAccount(`${clusterOwner}#addons/${addonIndex}`, addonText, member(addon, 'name')!.span, roleValue && roleText ? { value: roleText, span: roleValue.span } : undefined)
        : undefined;
    if (sa) out.serviceAccounts.push(sa);
    (list?.kind === 'array' ? list.items : []).forEach((item, index) => {
      if (item.kind !== 'object') return;
      out.podIdentityAssociations.push({
        id: `${clusterOwner}#addons/${addonIndex}/podIdentityAssociations/${index}`,
        span: item.span,
        origin: 'eksctl',
        cluster,
        namespace: located(member(item, 'namespace'), item.span, unknown('namespace not written: eksctl takes it from the add-on')),
        serviceAccount: located(member(item, 'serviceAccountName'), item.span, unknown('serviceAccountName not written: eksctl takes it from the add-on')),
        addon: addonName,
      });
    });
  });
  for (const key of ['nodeGroups', 'managedNodeGroups']) {
    const groups = member(doc, key);
    (groups?.kind === 'array' ? groups.items : []).forEach((group, index) => {
      if (group.kind !== 'object' || (key === 'managedNodeGroups' && member(group, 'launchTemplate') !== undefined)) return;
      const nameValue = member(group, 'name');
      const podImds = eksctlBoolean(member(group, 'disablePodIMDS'));
      const v1 = eksctlBoolean(member(group, 'disableIMDSv1'));
      const entrySpan = nameValue?.span ?? group.span;
      const hop = podImds === undefined ? 2 : podImds.kind === 'boolean' ? (podImds.value ? 1 : 2) : undefined;
      out.launchTemplates.push({
        id: `${clusterOwner}#${key}/${index}`,
        name: knownString(nameValue) ?? `${key}[${index}]`,
        span: entrySpan,
        origin: 'eksctl',
        usedByNodeGroup: 'yes',
        hopLimit: { value: hop, span: podImds?.span ?? entrySpan },
        eksctl: { entry: entrySpan, ...(v1?.kind === 'boolean' ? { disableImdsV1: { value: v1.value, span: v1.span } } : {}) },
      });
    });
  }
}

function eksctlTrustPolicy(id: string, clusterOwner: string, name: LStr, namespace: LStr, span: Span): TrustPolicy {
  const sub = subjectValue(namespace.value, name.value);
  const issuerKey = (claim: string): StrValue => ({ segments: [{ kind: 'symbol', symbol: 'issuer-host', owner: clusterOwner }, { kind: 'text', text: `:${claim}` }] });
  return {
    id,
    span,
    origin: 'eksctl',
    generated: true,
    complete: true,
    statements: [
      {
        span,
        effect: 'Allow',
        actions: [{ value: known('sts:AssumeRoleWithWebIdentity'), span }],
        actionsComplete: true,
        principals: [{ type: 'Federated', value: { value: symbol('provider-arn', clusterOwner), span } }],
        principalsComplete: true,
        conditions: [
          { operator: { value: 'StringEquals', span }, key: { value: issuerKey('sub'), span }, values: [{ value: sub, span: name.span }], valuesComplete: true },
          { operator: { value: 'StringEquals', span }, key: { value: issuerKey('aud'), span }, values: [{ value: known(DEFAULT_AUDIENCE), span }], valuesComplete: true },
        ],
        conditionsComplete: true,
      },
    ],
  };
}

/**
 * eksctl reads its config with YAML 1.1 (go-yaml through sigs.k8s.io/yaml),
 * where `yes`/`no`/`on`/`off` are booleans; the parser here is YAML 1.2.
 */
function eksctlBoolean(value: DocValue | undefined): DocValue | undefined {
  const text = value?.kind === 'string' ? knownText(value.value) : undefined;
  if (value === undefined || text === undefined) return value;
  if (/^(y|Y|yes|Yes|YES|on|On|ON)$/.test(text)) return { kind: 'boolean', value: true, span: value.span };
  if (/^(n|N|no|No|NO|off|Off|OFF)$/.test(text)) return { kind: 'boolean', value: false, span: value.span };
  return value;
}

function subjectValue(namespace: StrValue, name: StrValue): StrValue {
  const ns = knownText(namespace);
  const n = knownText(name);
  if (ns !== undefined && n !== undefined) return known(`system:serviceaccount:${ns}:${n}`);
  return { segments: [{ kind: 'text', text: 'system:serviceaccount:' }, ...namespace.segments, { kind: 'text', text: ':' }, ...name.segments] };
}

// ─── Fargate selectors ───────────────────────────────────────────────────────

/** A profile's `selectors` list (Terraform module input or eksctl), and whether every entry could be read. */
export function selectorsFromDoc(value: DocValue | undefined): { selectors: FargateSelector[]; complete: boolean } {
  const selectors: FargateSelector[] = [];
  let complete = value?.kind === 'array' && value.complete;
  for (const item of value?.kind === 'array' ? value.items : []) {
    const selector = selectorFromDoc(item);
    if (selector) selectors.push(selector);
    else complete = false;
  }
  return { selectors, complete };
}

/** A Fargate selector from a document value: `{ namespace = "x", labels = { k = "v" } }`. */
function selectorFromDoc(item: DocValue): FargateSelector | undefined {
  const nsValue = member(item, 'namespace');
  const ns = scalarString(nsValue);
  if (!nsValue || !ns) return undefined;
  const labels = labelRequirements(member(item, 'labels'));
  return { span: item.span, namespace: { value: ns, span: nsValue.span }, labels: labels.items, labelsComplete: labels.complete };
}

export function labelRequirements(value: DocValue | undefined): { items: LabelRequirement[]; complete: boolean } {
  if (value === undefined || value.kind === 'null') return { items: [], complete: true };
  if (value.kind !== 'object') return { items: [], complete: false };
  const items: LabelRequirement[] = [];
  let complete = value.complete;
  for (const e of value.entries) {
    const key = knownText(e.key);
    const v = scalarString(e.value);
    if (key === undefined || !v) complete = false;
    else items.push({ key, value: v });
  }
  return { items, complete };
}

// ─── Helm values files ───────────────────────────────────────────────────────

/**
 * A values file (no apiVersion/kind) with a `serviceAccount` map holding
 * annotations, at the top or under a component key (`controller.serviceAccount`).
 * The namespace is the release's, which the values file does not know.
 */
function readHelmValues(doc: DocValue, id: string, out: KubernetesFacts): void {
  const visit = (value: DocValue, prefix: string, depth: number): void => {
    if (value.kind !== 'object' || depth > 3) return;
    for (const e of value.entries) {
      const key = knownText(e.key);
      if (key === undefined) continue;
      if (key === 'serviceAccount' && e.value.kind === 'object') {
        const annotationsValue = member(e.value, 'annotations');
        if (annotationsValue?.kind !== 'object' || annotationsValue.entries.length === 0) continue;
        const annotations = readAnnotations(annotationsValue);
        const nameValue = member(e.value, 'name');
        // A `${name}` placeholder stays itself (unknown), for a templatefile() call to bind.
        const nameText = nameValue?.kind === 'string' && nameValue.value.segments.length > 0 ? nameValue.value : undefined;
        const name: LStr =
          nameValue && nameText ? { value: nameText, span: nameValue.span } : { value: unknown('the chart derives the name from the release'), span: e.keySpan };
        const roleArn = annotations.list.find((a) => a.key.value === ROLE_ARN_ANNOTATION)?.value;
        out.serviceAccounts.push({
          id: `${id}#${prefix}${key}`,
          span: name.span,
          origin: 'helm',
          name,
          namespace: { value: unknown('the Helm release namespace'), span: e.keySpan },
          namespaceDefaulted: false,
          annotations: annotations.list,
          annotationsComplete: annotations.complete,
          ...(roleArn ? { roleArn } : {}),
        });
      } else {
        visit(e.value, `${prefix}${key}.`, depth + 1);
      }
    }
  };
  visit(doc, '', 0);
}
