/**
 * Kustomize's rewrites of the objects it includes: the namespace a root
 * kustomization imposes and the name prefixes and suffixes on the way, applied
 * to the ServiceAccounts and workloads of the files it includes.
 */
import { known, knownText } from '../common/value';
import type { Kustomization, Located, LStr, ServiceAccount, Workload } from '../facts/types';

/**
 * Walks every root kustomization (one no other kustomization includes) down
 * through its resources. The outermost `namespace:` on the way wins, as in
 * kustomize; name prefixes and suffixes accumulate.
 */
export function kustomizeRewrites(kustomizations: readonly Kustomization[]): Map<string, Rewrite> {
  const byDir = new Map<string, Kustomization>();
  for (const k of kustomizations) byDir.set(k.dirUri, k);
  const included = new Set<string>();
  for (const k of kustomizations) for (const r of k.resources) if (byDir.has(r)) included.add(r);
  const seen = new Map<string, { namespaces: (Located<string> | undefined)[]; names: Set<string>; prefix: string; suffix: string }>();
  const visit = (k: Kustomization, namespace: Located<string> | undefined, prefix: string, suffix: string, depth: number, path: Set<string>): void => {
    if (depth > 20 || path.has(k.dirUri)) return;
    path.add(k.dirUri);
    const ns = namespace ?? k.namespace;
    const p = (k.namePrefix?.value ?? '') + prefix;
    const x = suffix + (k.nameSuffix?.value ?? '');
    for (const resource of k.resources) {
      const inner = byDir.get(resource);
      if (inner) visit(inner, ns, p, x, depth + 1, path);
      else {
        const entry = seen.get(resource) ?? { namespaces: [], names: new Set<string>(), prefix: p, suffix: x };
        entry.namespaces.push(ns);
        entry.names.add(`${p}\0${x}`);
        seen.set(resource, entry);
      }
    }
    path.delete(k.dirUri);
  };
  for (const k of kustomizations) if (!included.has(k.dirUri)) visit(k, undefined, '', '', 0, new Set());
  const out = new Map<string, Rewrite>();
  for (const [uri, e] of seen) out.set(uri, { namespaces: e.namespaces, prefix: e.prefix, suffix: e.suffix, namesAgree: e.names.size === 1 });
  return out;
}

/**
 * The rewrites of a kustomization list, cached by the list's identity: the
 * model keeps that identity while no kustomization changed, and so each
 * rewrite keeps its identity, which `applyKustomize`'s cache relies on.
 */
const rewritesCache = new WeakMap<readonly Kustomization[], Map<string, Rewrite>>();

export function cachedKustomizeRewrites(kustomizations: readonly Kustomization[]): Map<string, Rewrite> {
  let found = rewritesCache.get(kustomizations);
  if (!found) rewritesCache.set(kustomizations, (found = kustomizeRewrites(kustomizations)));
  return found;
}

/**
 * Rewritten facts by rewrite and fact: a fact and a rewrite that did not
 * change give the same object as in the previous model, so rules that
 * memoise per ServiceAccount (`rules/support/memo.ts`) and caches per
 * workload list keep their entries across edits.
 */
const rewrittenServiceAccounts = new WeakMap<Rewrite, WeakMap<ServiceAccount, ServiceAccount>>();
const rewrittenWorkloads = new WeakMap<Rewrite, WeakMap<Workload, Workload>>();

function rewritten<T extends object>(cache: WeakMap<Rewrite, WeakMap<T, T>>, item: T, rewrite: Rewrite | undefined, apply: (item: T, rewrite: Rewrite) => T): T {
  if (!rewrite) return item;
  let perRewrite = cache.get(rewrite);
  if (!perRewrite) cache.set(rewrite, (perRewrite = new WeakMap()));
  let out = perRewrite.get(item);
  if (!out) perRewrite.set(item, (out = apply(item, rewrite)));
  return out;
}

export function cachedApplyKustomize(sa: ServiceAccount, rewrite: Rewrite | undefined): ServiceAccount {
  return rewritten(rewrittenServiceAccounts, sa, rewrite, applyKustomize);
}

export function cachedApplyKustomizeToWorkload(w: Workload, rewrite: Rewrite | undefined): Workload {
  return rewritten(rewrittenWorkloads, w, rewrite, applyKustomizeToWorkload);
}

export function applyKustomize(sa: ServiceAccount, rewrite: Rewrite | undefined): ServiceAccount {
  if (!rewrite) return sa;
  const namespace = rewriteNamespace(sa.namespace, rewrite);
  return { ...sa, namespace: namespace.value, namespaceDefaulted: sa.namespaceDefaulted && !namespace.changed, name: rewriteName(sa.name, rewrite) };
}

export function applyKustomizeToWorkload(w: Workload, rewrite: Rewrite | undefined): Workload {
  if (!rewrite) return w;
  // kustomize renames the ServiceAccount a workload refers to along with the ServiceAccount.
  const serviceAccountName = w.serviceAccountName ? rewriteName(w.serviceAccountName, rewrite) : undefined;
  return { ...w, namespace: rewriteNamespace(w.namespace, rewrite).value, name: rewriteName(w.name, rewrite), ...(serviceAccountName ? { serviceAccountName } : {}) };
}

/** How kustomize rewrites the objects of one file, over every root kustomization that includes it. */
export interface Rewrite {
  /** One entry per way the file is applied: the namespace imposed, or undefined for "its own". */
  readonly namespaces: readonly (Located<string> | undefined)[];
  readonly prefix: string;
  readonly suffix: string;
  /** False when different roots rename differently: the name is then not known. */
  readonly namesAgree: boolean;
}

function rewriteNamespace(namespace: LStr, rewrite: Rewrite): { value: LStr; changed: boolean } {
  const imposed = rewrite.namespaces;
  const distinct = new Set(imposed.map((n) => n?.value ?? '\0own'));
  if (distinct.size > 1) {
    return { value: { value: { segments: [{ kind: 'unknown', reason: `kustomize applies it in several namespaces (${[...distinct].map((d) => (d === '\0own' ? 'its own' : d)).join(', ')})` }] }, span: namespace.span }, changed: true };
  }
  const only = imposed[0];
  return only ? { value: { value: known(only.value), span: only.span }, changed: true } : { value: namespace, changed: false };
}

function rewriteName(name: LStr, rewrite: Rewrite): LStr {
  if (!rewrite.namesAgree) return { value: { segments: [{ kind: 'unknown', reason: 'kustomize renames it differently in different overlays' }] }, span: name.span };
  if (rewrite.prefix === '' && rewrite.suffix === '') return name;
  const text = knownText(name.value);
  return text === undefined ? name : { value: known(rewrite.prefix + text + rewrite.suffix), span: name.span };
}
