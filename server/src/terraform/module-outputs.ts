/**
 * References to a module call's outputs (`module.x.arn`, `module.x[0].arn`),
 * found in the syntax of every expression of the directory, so that a
 * reference Terraform will refuse is seen even where the engine never
 * evaluates it (an `output` block, a provider argument).
 */
import type { Span } from '../common/text';
import type { Block, Expr } from '../parse/hcl';
import type { TerraformFile } from './context';

export interface OutputReference {
  /** The output name as written. */
  readonly name: string;
  /** The span of the name alone (what a fix replaces). */
  readonly span: Span;
}

/** Every `module.<call>.<output>` of the directory's .tf files. */
export function outputReferences(files: readonly TerraformFile[], call: string): OutputReference[] {
  const out: OutputReference[] = [];
  const seen = new Set<number>();
  for (const file of files) {
    if (file.isTfvars) continue;
    const visit = (expr: Expr): void => {
      switch (expr.kind) {
        case 'traversal': {
          const first = expr.steps[0];
          if (expr.root !== 'module' || first?.kind !== 'attr' || first.name !== call || seen.has(expr.start)) return;
          for (const step of expr.steps) if (step.kind === 'index') visit(step.index);
          // The name's place, from the text: `module . x [ … ] . name`.
          const text = file.lines.text.slice(expr.start, expr.end);
          const m = /^module\s*\.\s*[\w-]+\s*(?:\[[^\]]*\]\s*)?\.\s*([A-Za-z_][\w-]*)/.exec(text);
          if (!m || m[1] === undefined) return;
          seen.add(expr.start);
          const start = expr.start + m[0].length - m[1].length;
          out.push({ name: m[1], span: { uri: file.uri, range: file.lines.range(start, start + m[1].length) } });
          return;
        }
        case 'template':
          for (const part of expr.parts) if (part.kind === 'interpolation') visit(part.expr);
          return;
        case 'call':
          expr.args.forEach(visit);
          return;
        case 'object':
          for (const item of expr.items) {
            visit(item.key);
            visit(item.value);
          }
          return;
        case 'tuple':
          expr.items.forEach(visit);
          return;
        case 'conditional':
          visit(expr.condition);
          visit(expr.then);
          visit(expr.otherwise);
          return;
        case 'for':
          visit(expr.collection);
          if (expr.keyExpr) visit(expr.keyExpr);
          visit(expr.valueExpr);
          if (expr.condition) visit(expr.condition);
          return;
        case 'operation':
          expr.operands.forEach(visit);
          return;
        default:
          return;
      }
    };
    const block = (b: Block): void => {
      for (const a of b.attributes) visit(a.value);
      b.blocks.forEach(block);
    };
    file.hcl.blocks.forEach(block);
  }
  return out;
}
