/**
 * Trust policies that a terraform-aws-modules/iam module writes from its
 * inputs, where a missing claim condition is fixed through an input, not a
 * condition block: `iam-assumable-role-with-oidc` (v5) and v6 `iam-role`
 * with `enable_oidc`. The rules that advise a condition ask here first.
 */
import type { LineIndex } from '../../common/text';
import { editFile, indentationOf, indentUnit, insertAt, lineBreak } from '../../edit/edits';
import type { Fix } from '../../edit/types';
import type { ModuleCall, TrustPolicy } from '../../facts/types';
import type { WorkspaceModel } from '../../index/model';

/** The input that adds each claim's condition, by module kind (from the modules' `variables.tf`). */
const CLAIM_INPUTS: Partial<Record<ModuleCall['kind'], { readonly module: string; readonly sub: string; readonly aud: string }>> = {
  'iam-assumable-role-with-oidc': { module: 'iam-assumable-role-with-oidc', sub: 'oidc_fully_qualified_subjects', aud: 'oidc_fully_qualified_audiences' },
  'iam-role': { module: 'iam-role', sub: 'oidc_subjects', aud: 'oidc_audiences' },
};

export interface ClaimInput {
  readonly call: ModuleCall;
  /** The module's short name, for messages. */
  readonly module: string;
  /** The input that adds the claim's condition. */
  readonly input: string;
}

/** The module call that writes `policy` and the input that adds a `claim` condition to it, when the policy is such a module's. */
export function claimInputOf(model: WorkspaceModel, policy: TrustPolicy, claim: 'sub' | 'aud'): ClaimInput | undefined {
  if (policy.origin !== 'iam-module' || !policy.id.endsWith('#trust')) return undefined;
  const owner = policy.id.slice(0, -'#trust'.length);
  const call = model.moduleCalls.find((c) => c.id === owner);
  const inputs = call ? CLAIM_INPUTS[call.kind] : undefined;
  return call && inputs ? { call, module: inputs.module, input: inputs[claim] } : undefined;
}

/** `<input> = ["<value>"]` as the module block's last argument; nothing when the block is on one line or already sets it. */
export function setModuleInput({ call, input }: ClaimInput, value: string, lines: LineIndex | undefined): Fix[] {
  if (!lines || call.arguments.some((a) => a.name === input)) return [];
  const end = call.blockSpan.range.end;
  if (end.line === call.span.range.start.line || lines.lineText(end.line).trim() !== '}') return [];
  const eol = lineBreak(lines);
  const indent = indentationOf(lines, call.span.range.start.line) + indentUnit(lines);
  return [
    {
      title: `Set \`${input} = ["${value}"]\` on \`module.${call.name}\``,
      changes: [editFile(call.blockSpan.uri, insertAt({ line: end.line, character: 0 }, `${indent}${input} = ["${value}"]${eol}`))],
      preferred: true,
    },
  ];
}
