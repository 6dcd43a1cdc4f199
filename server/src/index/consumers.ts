/**
 * The ServiceAccounts the workspace's workloads and consumers (External
 * Secrets stores, …) run as or name. A pod cannot be created for an account
 * that does not exist, so an account something names exists somewhere,
 * even when no file of the workspace defines it.
 */
import { knownText } from '../common/value';
import type { Workload } from '../facts/types';
import { subjectOf } from './irsa';

export interface ReferencedAccounts {
  /** Subjects (`system:serviceaccount:<ns>:<name>`) named with a known namespace and name, with the first that names each. */
  readonly known: ReadonlyMap<string, Workload>;
  /** Known names per known namespace. */
  readonly namesByNamespace: ReadonlyMap<string, ReadonlySet<string>>;
  /** Workloads whose namespace or account name is computed: they could name any account. */
  readonly partial: readonly Workload[];
  /**
   * Crossplane `ControllerConfig`s whose providers run as their revision's
   * own account: they name accounts with a Crossplane provider name prefix
   * (`isCrossplaneProviderAccount`), in a namespace the workspace does not say.
   */
  readonly crossplaneProviders: readonly Workload[];
}

/**
 * Name prefixes of the accounts Crossplane provider packages run as:
 * `<Provider name>-<revision hash>`, and the Provider names the AWS
 * provider documentation uses (`upbound-aws-provider-…`,
 * `upbound-provider-aws-s3-…`, `provider-aws-…`, `crossplane-provider-…`).
 */
export const CROSSPLANE_PROVIDER_PREFIXES: readonly RegExp[] = [/^upbound-[a-z0-9-]*provider-/, /^provider-aws-/, /^crossplane-provider-/];

export function isCrossplaneProviderAccount(name: string): boolean {
  return CROSSPLANE_PROVIDER_PREFIXES.some((p) => p.test(name));
}

const cache = new WeakMap<readonly Workload[], ReferencedAccounts>();

/** Cached per workload list (a model keeps the list's identity while no workload changes). */
export function referencedAccounts(workloads: readonly Workload[]): ReferencedAccounts {
  let found = cache.get(workloads);
  if (found) return found;
  const known = new Map<string, Workload>();
  const namesByNamespace = new Map<string, Set<string>>();
  const partial: Workload[] = [];
  const crossplaneProviders: Workload[] = [];
  for (const w of workloads) {
    if (w.kind === 'ControllerConfig' && !w.serviceAccountName) {
      crossplaneProviders.push(w);
      continue;
    }
    const namespace = knownText(w.namespace.value);
    // No serviceAccountName: the namespace's `default`, which exists everywhere.
    const name = w.serviceAccountName ? knownText(w.serviceAccountName.value) : 'default';
    if (namespace === undefined || name === undefined) {
      partial.push(w);
      continue;
    }
    const subject = subjectOf(namespace, name);
    if (!known.has(subject)) known.set(subject, w);
    let names = namesByNamespace.get(namespace);
    if (!names) namesByNamespace.set(namespace, (names = new Set()));
    names.add(name);
  }
  found = { known, namesByNamespace, partial, crossplaneProviders };
  cache.set(workloads, found);
  return found;
}
