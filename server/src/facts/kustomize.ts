/**
 * Kustomize: a `kustomization.yaml` rewrites what it includes. `namespace:`
 * replaces every included object's namespace, and `namePrefix`/`nameSuffix`
 * rename them, so a ServiceAccount written without a namespace is not in
 * `default` when kustomize applies it.
 */
import type { Span } from '../common/text';
import { basenameUri, resolveRelativeUri } from '../common/uri';
import { knownString, member, stringList, type DocValue } from '../parse/document';
import type { Kustomization } from './types';

const FILE_NAMES: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomizationFile(uri: string): boolean {
  return FILE_NAMES.has(basenameUri(uri));
}

/** Reads a kustomization document; `dirUri` is the folder its paths are relative to. */
export function readKustomization(doc: DocValue, uri: string, dirUri: string): Kustomization | undefined {
  if (doc.kind !== 'object') return undefined;
  const kind = knownString(member(doc, 'kind'));
  if (kind !== undefined && kind !== 'Kustomization' && kind !== 'Component') return undefined;
  const resources: string[] = [];
  for (const field of ['resources', 'bases', 'components']) {
    for (const item of stringList(member(doc, field)).items) {
      const path = item.value.segments.length === 1 && item.value.segments[0]?.kind === 'text' ? item.value.segments[0].text : undefined;
      // Remote bases (git URLs) are outside the workspace.
      if (path === undefined || /^[a-z]+:\/\/|^git@|^github\.com\//.test(path)) continue;
      const resolved = resolveRelativeUri(dirUri, path.replace(/\/+$/, ''));
      if (resolved) resources.push(resolved);
    }
  }
  const namespaceValue = member(doc, 'namespace');
  const namespace = knownString(namespaceValue);
  const located = (value: DocValue | undefined): { value: string; span: Span } | undefined => {
    const text = knownString(value);
    return value && text !== undefined && text !== '' ? { value: text, span: value.span } : undefined;
  };
  const prefix = located(member(doc, 'namePrefix'));
  const suffix = located(member(doc, 'nameSuffix'));
  return {
    uri,
    dirUri,
    resources,
    ...(namespaceValue && namespace !== undefined && namespace !== '' ? { namespace: { value: namespace, span: namespaceValue.span } } : {}),
    ...(prefix ? { namePrefix: prefix } : {}),
    ...(suffix ? { nameSuffix: suffix } : {}),
  };
}
