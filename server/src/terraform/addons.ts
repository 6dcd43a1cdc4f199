/**
 * EKS add-ons written as a Terraform map: terraform-aws-modules/eks
 * `cluster_addons` (up to v20) and `addons` (v21), Blueprints `eks_addons`.
 * Each entry's key is the add-on's name unless it sets `name`; with
 * `service_account_role_arn` the add-on annotates its own ServiceAccount
 * with that role (`facts/addons.ts` knows which ServiceAccount).
 */
import { knownText } from '../common/value';
import { entry, knownString, member, scalarString, type DocValue } from '../parse/document';
import { addonServiceAccount } from '../facts/addons';
import type { LStr } from '../facts/types';
import { attribute } from '../parse/hcl';
import type { ModuleCallBlock, ModuleContext } from './context';

/** Adds the ServiceAccounts of the add-ons a module call's map attribute names (entries that cannot be read are left out). */
export function extractAddonMap(call: ModuleCallBlock, attributeName: string, ctx: ModuleContext): void {
  const { owner, block, file } = call;
  const map = ctx.value(attribute(block, attributeName), file);
  if (map?.kind !== 'object') return;
  for (const e of map.entries) {
    const keyText = knownText(e.key);
    const nameValue = member(e.value, 'name');
    const addon = nameValue ? knownString(nameValue) : keyText;
    if (addon === undefined) continue;
    const sa = addonServiceAccount(`${owner}#${attributeName}.${addon}`, addon, nameValue?.span ?? e.keySpan, roleArnOf(e.value));
    if (sa) ctx.out.serviceAccounts.push(sa);
  }
}

/** `service_account_role_arn` of an add-on entry, when it is set (null is not). */
export function roleArnOf(addon: DocValue): LStr | undefined {
  const value = entry(addon, 'service_account_role_arn')?.value;
  const text = scalarString(value);
  return value && text ? { value: text, span: value.span } : undefined;
}
