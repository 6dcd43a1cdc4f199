/**
 * ServiceAccounts of files Terraform renders with variables
 * (`TemplateBinding`): each binding of a file yields the file's
 * ServiceAccounts with the call's values in place of their `${name}`
 * placeholders, and a release's values take the release's namespace. A
 * file no call renders keeps its placeholders unknown; a file that several
 * calls render yields one ServiceAccount per call, as Terraform renders it
 * once per call.
 *
 * Results are cached per ServiceAccount and binding object, so an unchanged
 * file and module yield the very same objects across models (rules memoise
 * by identity).
 */
import { concat, knownText, type Segment, type StrValue } from '../common/value';
import type { LStr, ServiceAccount, TemplateBinding } from '../facts/types';
import { ROLE_ARN_ANNOTATION } from '../facts/kubernetes';
import { push } from './gather';

/** The workspace's ServiceAccounts with every template binding applied. */
export function applyTemplateBindings(serviceAccounts: readonly ServiceAccount[], bindings: readonly TemplateBinding[]): readonly ServiceAccount[] {
  if (bindings.length === 0) return serviceAccounts;
  const byUri = new Map<string, TemplateBinding[]>();
  for (const b of bindings) push(byUri, b.uri, b);
  if (!serviceAccounts.some((sa) => byUri.has(sa.span.uri))) return serviceAccounts;
  const out: ServiceAccount[] = [];
  for (const sa of serviceAccounts) {
    const mine = sa.origin === 'yaml' || sa.origin === 'helm' ? byUri.get(sa.span.uri) : undefined;
    if (!mine) {
      out.push(sa);
      continue;
    }
    for (const binding of mine) out.push(bound(sa, binding, mine.length > 1));
  }
  return out;
}

const cache = new WeakMap<ServiceAccount, WeakMap<TemplateBinding, ServiceAccount>>();

function bound(sa: ServiceAccount, binding: TemplateBinding, several: boolean): ServiceAccount {
  let perSa = cache.get(sa);
  if (!perSa) cache.set(sa, (perSa = new WeakMap()));
  let result = perSa.get(binding);
  if (!result) {
    const lstr = (l: LStr): LStr => ({ value: substitute(l.value, binding.vars), span: l.span });
    const annotations = sa.annotations.map((a) => ({ key: a.key, value: lstr(a.value) }));
    // The chart's ServiceAccount lives in the release's namespace, which the values file cannot say.
    const namespace = sa.origin === 'helm' && binding.releaseNamespace && knownText(sa.namespace.value) === undefined ? { value: binding.releaseNamespace.value, span: sa.namespace.span } : lstr(sa.namespace);
    const roleArn = annotations.find((a) => a.key.value === ROLE_ARN_ANNOTATION)?.value ?? (sa.roleArn ? lstr(sa.roleArn) : undefined);
    result = {
      ...sa,
      id: several ? `${sa.id}@${binding.id}` : sa.id,
      name: lstr(sa.name),
      namespace,
      annotations,
      ...(roleArn ? { roleArn } : {}),
    };
    perSa.set(binding, result);
  }
  return result;
}

/** `${name}` placeholders (the only ones Terraform renders) take the binding's values. */
export function substitute(value: StrValue, vars: ReadonlyMap<string, StrValue>): StrValue {
  if (!value.segments.some((s) => s.kind === 'unknown' && s.placeholder !== undefined && vars.has(s.placeholder))) return value;
  return concat(
    ...value.segments.map((s: Segment): StrValue => {
      const replacement = s.kind === 'unknown' && s.placeholder !== undefined ? vars.get(s.placeholder) : undefined;
      // A value the call computes (`each.value`) is as unknown as the placeholder, which says more in a message: keep it.
      if (!replacement || replacement.segments.every((r) => r.kind === 'unknown')) return { segments: [s] };
      return replacement;
    }),
  );
}
