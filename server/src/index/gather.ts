/**
 * The facts of every part of the workspace (a file, a Terraform module
 * directory), concatenated per kind, and the small collection helpers the
 * model and the role index share.
 */
import { emptyFacts, type Facts, type FactsBuilder } from '../facts/types';

/** Every part's facts, concatenated per kind: what a model is built from. */
export type Gathered = FactsBuilder;

/**
 * Concatenates every part's facts, per kind. (Most parts hold nothing of
 * most kinds; `flatMap` per kind over ten thousand parts was the largest
 * cost of a model rebuild.) With `since`, a kind that no changed part (old
 * or new facts) holds is the previous model's array, unchanged in content
 * and order, and keeps its identity: only the touched kinds are gathered.
 */
export function gather(parts: readonly Facts[], since?: { readonly previous: Gathered; readonly changed: readonly Facts[] }): Gathered {
  const out: Gathered = emptyFacts();
  const kinds = since ? FACT_KINDS.filter((key) => since.changed.some((part) => part[key].length > 0)) : FACT_KINDS;
  if (since) for (const key of FACT_KINDS) if (!kinds.includes(key)) (out[key] as unknown) = since.previous[key];
  for (const part of parts) {
    for (const key of kinds) {
      const items = part[key];
      if (items.length === 0) continue;
      const target = out[key] as unknown[];
      for (let i = 0; i < items.length; i++) target.push(items[i]);
    }
  }
  return out;
}

export const FACT_KINDS: readonly (keyof Facts)[] = [
  'trustPolicies',
  'roles',
  'serviceAccounts',
  'workloads',
  'oidcProviders',
  'eksctlConfigs',
  'clusters',
  'cliRoleLinks',
  'kustomizations',
  'fargateProfiles',
  'podIdentityAssociations',
  'launchTemplates',
  'moduleCalls',
  'templateBindings',
  'problems',
];

export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
