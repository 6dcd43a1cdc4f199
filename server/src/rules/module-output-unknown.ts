/**
 * `module-output-unknown`: a reference to an output a well-known module
 * does not have (`module.irsa.arn` where the v5 IRSA module's output is
 * `iam_role_arn`). Terraform refuses it at plan time. Reported only where
 * the call's version constraint admits one major version, whose outputs the
 * family lists from the module's source.
 *
 * Fix: the output of the same meaning under the major's naming (`arn` ↔
 * `iam_role_arn`, `name` ↔ `iam_role_name`, …), when the module has it.
 */
import { editFile, replace } from '../edit/edits';
import type { ModuleCall } from '../facts/types';
import type { WorkspaceModel } from '../index/model';
import type { Span } from '../common/text';
import { defineRule, type Reporter } from './types';

interface Payload {
  readonly call: ModuleCall;
  readonly name: string;
  /** The output of the same meaning the module has, if any. */
  readonly suggestion?: string;
}

export const rule = defineRule({
  meta: { id: 'module-output-unknown', defaultSeverity: 'error', title: 'Reference to an output the module does not have' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    for (const call of model.moduleCalls) {
      const outputs = call.outputs;
      if (!outputs) continue;
      const seen = new Set<string>();
      for (const reference of outputs.references) {
        if (outputs.names.includes(reference.name)) continue;
        const key = `${reference.span.uri}|${reference.span.range.start.line}:${reference.span.range.start.character}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const suggestion = sameMeaning(reference.name, outputs.names);
        report({
          span: reference.span,
          message:
            `\`module.${call.name}\` has no output \`${reference.name}\` in the ${outputs.major}.x releases this call admits. ` +
            `\`terraform plan\` stops with \`Unsupported attribute: This object does not have an attribute named "${reference.name}".\` ` +
            `${outputList(outputs.module, outputs.names, reference.name)} ` +
            (suggestion !== undefined ? `Use \`module.${call.name}.${suggestion}\`.` : 'Use one of its outputs, or check the version constraint.'),
          payload: { call, name: reference.name, ...(suggestion !== undefined ? { suggestion } : {}) },
        });
      }
    }
  },
  fixes({ call, suggestion }, finding) {
    if (suggestion === undefined) return [];
    const span: Span = finding.span;
    return [{ title: `Use \`module.${call.name}.${suggestion}\``, changes: [editFile(span.uri, replace(span.range, suggestion))], preferred: true }];
  },
});

/** How many outputs a message lists in full; a longer list (the eks module's 41) shows those closest to the name. */
const MAX_LISTED = 12;

/** `Its outputs (…): a, b, c.`, or for a long list the closest ones by shared words and how many others there are. */
function outputList(module: string, names: readonly string[], reference: string): string {
  const quote = (n: string): string => `\`${n}\``;
  if (names.length <= MAX_LISTED) return `Its outputs (${module}): ${names.map(quote).join(', ')}.`;
  const words = new Set(reference.split('_'));
  const shared = (n: string): number => n.split('_').filter((w) => words.has(w)).length;
  const closest = names
    .map((n, i) => ({ n, i, score: shared(n) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, 6)
    .map((c) => c.n);
  const shown = closest.length > 0 ? closest : names.slice(0, 6);
  return `Its outputs (${module}) include ${shown.map(quote).join(', ')} and ${names.length - shown.length} others.`;
}

/** The same output under the other naming of terraform-aws-modules (`arn` in 6.x, `iam_role_arn` in 5.x). */
function sameMeaning(name: string, names: readonly string[]): string | undefined {
  const candidates = name.startsWith('iam_role_') ? [name.slice('iam_role_'.length)] : [`iam_role_${name}`];
  return candidates.find((c) => names.includes(c));
}
