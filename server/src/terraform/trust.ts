/**
 * Trust policies as Terraform writes them: the many forms of a role's
 * `assume_role_policy` (also the documents passed to the karpenter
 * submodule), and `data "aws_iam_policy_document"` blocks.
 */
import { resolveRelativeUri } from '../common/uri';
import { knownText, unknown, type StrValue } from '../common/value';
import { scalarString, type DocValue } from '../parse/document';
import { principalValues, readTrustPolicy } from '../facts/iam';
import type { Condition, Principal, TrustPolicy, TrustRef, TrustStatement } from '../facts/types';
import { parseJson, type Hole } from '../parse/json';
import { attribute, type Block, type Expr } from '../parse/hcl';
import type { ModuleContext, TerraformFile } from './context';

/** The many ways `assume_role_policy` is written. */
export function trustFromExpression(ctx: ModuleContext, raw: Expr, rawFile: TerraformFile, policyId: string): TrustRef {
  const { expr, file } = ctx.throughLocals(raw, rawFile);
  if (expr.kind === 'call' && expr.name === 'jsonencode' && expr.args[0]) {
    const doc = ctx.evaluator.evaluate(expr.args[0], file);
    if (doc.kind !== 'object') return { kind: 'unknown', reason: 'jsonencode() of a computed value' };
    const policy = readTrustPolicy(doc, policyId, 'jsonencode', ctx.span(file, expr));
    ctx.out.trustPolicies.push(policy);
    return { kind: 'policy', policyId };
  }
  if (expr.kind === 'traversal' && expr.root === 'data') {
    const attrs = expr.steps.filter((s) => s.kind === 'attr').map((s) => (s as { name: string }).name);
    if (attrs[0] === 'aws_iam_policy_document' && attrs[1] && attrs[attrs.length - 1] === 'json') {
      const address = `data.aws_iam_policy_document.${attrs[1]}`;
      const policy = trustPolicyDocument(ctx, address);
      if (!policy) return { kind: 'unknown', reason: `${address} is not in this module` };
      return { kind: 'policy', policyId: policy.id };
    }
  }
  if (expr.kind === 'template') {
    const policy = embeddedJsonPolicy(ctx, expr, file, policyId);
    if (policy) {
      ctx.out.trustPolicies.push(policy);
      return { kind: 'policy', policyId };
    }
    return { kind: 'unknown', reason: 'the policy text is not JSON the tool can read' };
  }
  if (expr.kind === 'call' && (expr.name === 'file' || expr.name === 'templatefile') && expr.args[0]) {
    const pathValue = knownText(ctx.evaluator.evaluateString(expr.args[0], file));
    if (pathValue === undefined) return { kind: 'unknown', reason: `${expr.name}() of a computed path` };
    const uri = resolveRelativeUri(ctx.dirUri, pathValue);
    if (!uri) return { kind: 'unknown', reason: `${expr.name}() of an absolute path` };
    if (expr.name === 'file') return { kind: 'file', uri };
    const vars = new Map<string, StrValue>();
    const varsValue = expr.args[1] ? ctx.evaluator.evaluate(expr.args[1], file) : undefined;
    if (varsValue?.kind === 'object') {
      for (const e of varsValue.entries) {
        const key = knownText(e.key);
        const v = scalarString(e.value);
        if (key !== undefined && v) vars.set(key, v);
      }
    }
    return { kind: 'file', uri, vars };
  }
  return { kind: 'unknown', reason: 'assume_role_policy is computed' };
}

/**
 * The policy of `data.aws_iam_policy_document.<name>` (the address), added
 * to the facts once however many roles and documents use it; undefined
 * when the directory does not declare it.
 */
export function trustPolicyDocument(ctx: ModuleContext, address: string): TrustPolicy | undefined {
  const policy = policyDocument(ctx, address);
  if (policy && !ctx.out.trustPolicies.some((p) => p.id === policy.id)) ctx.out.trustPolicies.push(policy);
  return policy;
}

/** JSON in a heredoc or quoted string, with `${…}` interpolations spliced in as holes. */
function embeddedJsonPolicy(ctx: ModuleContext, expr: Extract<Expr, { kind: 'template' }>, file: TerraformFile, policyId: string): TrustPolicy | undefined {
  const start = expr.heredoc ? expr.heredoc.bodyStart : expr.start + 1;
  const end = expr.heredoc ? expr.heredoc.bodyEnd : expr.end - 1;
  if (!expr.heredoc) return undefined; // A one-line quoted JSON policy would need escape mapping; rare enough to leave.
  const holes: Hole[] = [];
  for (const part of expr.parts) {
    if (part.kind === 'interpolation') holes.push({ start: part.start, end: part.end, value: ctx.evaluator.evaluateString(part.expr, file) });
    else if (part.kind === 'directive') holes.push({ start: part.start, end: part.end, value: unknown('template directive') });
  }
  const parsed = parseJson({ uri: file.uri, lines: file.lines, start, end, holes });
  // With `%{ for }`/`%{ if }` directives the text is JSON only once rendered: its syntax errors are
  // artifacts of the masking, and the statements it repeats or drops are not known.
  const directives = expr.parts.some((part) => part.kind === 'directive');
  if (parsed.problems[0] && !directives) {
    const p = parsed.problems[0];
    ctx.out.problems.push({ span: { uri: file.uri, range: file.lines.range(p.start, p.end) }, message: `${p.message.replace(/\.$/, '')}, in the trust policy heredoc.` });
  }
  if (!parsed.value || parsed.value.kind !== 'object') return undefined;
  const policy = readTrustPolicy(parsed.value, policyId, 'heredoc', ctx.span(file, expr));
  return directives ? { ...policy, complete: false } : policy;
}

/**
 * Policy documents already converted in an extraction, by address: a
 * document is read once however many roles and documents use it, and a
 * document that includes itself (through `source_policy_documents`) stops.
 */
const policyDocumentsOf = new WeakMap<ModuleContext, { readonly done: Map<string, TrustPolicy | undefined>; readonly inProgress: Set<string> }>();

function policyDocument(ctx: ModuleContext, address: string): TrustPolicy | undefined {
  let memo = policyDocumentsOf.get(ctx);
  if (!memo) policyDocumentsOf.set(ctx, (memo = { done: new Map(), inProgress: new Set() }));
  if (memo.done.has(address)) return memo.done.get(address);
  const located = ctx.dataSources.get(address);
  if (!located || memo.inProgress.has(address)) return undefined;
  memo.inProgress.add(address);
  const { block, file } = located;
  const statements: TrustStatement[] = [];
  let complete = true;
  for (const attrName of ['source_policy_documents', 'source_json', 'override_policy_documents', 'override_json']) {
    const a = attribute(block, attrName);
    if (!a) continue;
    const refs = a.value.kind === 'tuple' ? a.value.items : [a.value];
    for (const ref of refs) {
      const inner = ref.kind === 'traversal' && ref.root === 'data' && ref.steps[0]?.kind === 'attr' && ref.steps[0].name === 'aws_iam_policy_document' && ref.steps[1]?.kind === 'attr' ? policyDocument(ctx, `data.aws_iam_policy_document.${ref.steps[1].name}`) : undefined;
      if (inner) {
        statements.push(...inner.statements);
        complete &&= inner.complete;
      } else complete = false;
    }
  }
  for (const child of block.blocks) {
    if (child.type === 'statement') statements.push(policyStatement(ctx, child, file, new Map()));
    else if (child.type === 'dynamic' && child.labels[0] === 'statement') {
      const expanded = ctx.expandDynamic(child, file, new Map());
      if (!expanded) complete = false;
      else for (const { content, env } of expanded) statements.push(policyStatement(ctx, content, file, env));
    }
  }
  const policy: TrustPolicy = { id: located.owner, span: ctx.span(file, block.header), origin: 'policy-document', statements, complete, generated: false };
  memo.inProgress.delete(address);
  memo.done.set(address, policy);
  return policy;
}

function policyStatement(ctx: ModuleContext, block: Block, file: TerraformFile, env: ReadonlyMap<string, DocValue>): TrustStatement {
  const effectValue = ctx.str(attribute(block, 'effect'), file, env);
  const effectText = effectValue ? knownText(effectValue.value) : 'Allow';
  const actions = ctx.list(attribute(block, 'actions'), file, env);
  const principals: Principal[] = [];
  let principalsComplete = !block.blocks.some((b) => b.type === 'not_principals' || (b.type === 'dynamic' && b.labels[0] === 'not_principals'));
  const principalBlocks: { block: Block; env: ReadonlyMap<string, DocValue> }[] = [];
  const conditionBlocks: { block: Block; env: ReadonlyMap<string, DocValue> }[] = [];
  let conditionsComplete = true;
  for (const child of block.blocks) {
    if (child.type === 'principals') principalBlocks.push({ block: child, env });
    else if (child.type === 'condition') conditionBlocks.push({ block: child, env });
    else if (child.type === 'dynamic' && (child.labels[0] === 'principals' || child.labels[0] === 'condition')) {
      const expanded = ctx.expandDynamic(child, file, env);
      if (!expanded) {
        if (child.labels[0] === 'principals') principalsComplete = false;
        else conditionsComplete = false;
        continue;
      }
      for (const e of expanded) (child.labels[0] === 'principals' ? principalBlocks : conditionBlocks).push({ block: e.content, env: e.env });
    }
  }
  for (const p of principalBlocks) {
    const type = ctx.str(attribute(p.block, 'type'), file, p.env);
    const typeText = type ? knownText(type.value) : undefined;
    const idsAttr = attribute(p.block, 'identifiers');
    const ids = idsAttr ? principalValues(ctx.evaluator.evaluate(idsAttr.value, file, p.env)) : { items: [], complete: true };
    if (typeText === undefined || !ids.complete) principalsComplete = false;
    if (typeText === undefined) continue;
    for (const item of ids.items) principals.push({ type: typeText, value: item });
  }
  const conditions: Condition[] = [];
  for (const c of conditionBlocks) {
    const test = ctx.str(attribute(c.block, 'test'), file, c.env);
    const variable = ctx.str(attribute(c.block, 'variable'), file, c.env);
    const testText = test ? knownText(test.value) : undefined;
    if (!test || testText === undefined || !variable) {
      conditionsComplete = false;
      continue;
    }
    const values = ctx.list(attribute(c.block, 'values'), file, c.env);
    conditions.push({ operator: { value: testText, span: test.span }, key: variable, values: values.items, valuesComplete: values.complete });
  }
  const sid = ctx.str(attribute(block, 'sid'), file, env);
  const sidText = sid ? knownText(sid.value) : undefined;
  const statement: TrustStatement = {
    span: ctx.span(file, block.header),
    effect: effectText === 'Allow' || effectText === 'Deny' ? effectText : 'unknown',
    actions: actions.items,
    actionsComplete: actions.complete && !attribute(block, 'not_actions'),
    principals,
    principalsComplete,
    conditions,
    conditionsComplete,
  };
  return sidText === undefined ? statement : { ...statement, sid: sidText };
}
