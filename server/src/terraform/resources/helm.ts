/**
 * `helm_release`: the ServiceAccounts a chart creates, as its values
 * describe them.
 */
import type { Span } from '../../common/text';
import { known, knownText, unknown } from '../../common/value';
import { entry, member, scalarString, type DocValue } from '../../parse/document';
import { readAnnotations, ROLE_ARN_ANNOTATION } from '../../facts/kubernetes';
import type { LStr } from '../../facts/types';
import type { Hole } from '../../parse/json';
import { parseYaml } from '../../parse/yaml';
import { attribute, childBlocks, type Expr } from '../../parse/hcl';
import type { ModuleContext, ResourceBlock, TerraformFile } from '../context';
import type { ResourceFamily } from '../family';

export const helmResources: ResourceFamily = {
  resources: {
    helm_release: { extract: extractHelmRelease },
  },
};

/** Helm's `--set` path syntax: dots separate keys, `\.` is a literal dot. */
export function splitHelmPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '\\' && path[i + 1] === '.') {
      current += '.';
      i++;
    } else if (ch === '.') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/**
 * `helm_release`: the chart's ServiceAccount is described by values:
 * `set { name = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn" }`,
 * `set = [{…}]` (provider 3.x), or `values = [yamlencode({…}), file(…), <<EOT … EOT]`.
 */
function extractHelmRelease({ owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const releaseName = ctx.str(attribute(block, 'name'), file);
  const namespace = ctx.str(attribute(block, 'namespace'), file) ?? { value: known('default'), span: ctx.span(file, block.header) };
  const namespaceDefaulted = attribute(block, 'namespace') === undefined;
  /** Settings per values path prefix ('' or 'controller.'), in the order Helm applies them (values, then set). */
  const accounts = new Map<string, { name?: LStr; annotations: Map<string, { key: Span; value: LStr }>; create?: boolean }>();
  const account = (prefix: string) => {
    let a = accounts.get(prefix);
    if (!a) accounts.set(prefix, (a = { annotations: new Map() }));
    return a;
  };
  const fromValues = (doc: DocValue, prefix: string, depth: number): void => {
    if (doc.kind !== 'object' || depth > 3) return;
    for (const e of doc.entries) {
      const key = knownText(e.key);
      if (key === undefined) continue;
      if (key === 'serviceAccount' && e.value.kind === 'object') {
        const a = account(prefix);
        const n = member(e.value, 'name');
        const ns = scalarString(n);
        if (n && ns) a.name = { value: ns, span: n.span };
        const create = member(e.value, 'create');
        if (create?.kind === 'boolean') a.create = create.value;
        const ann = readAnnotations(member(e.value, 'annotations'));
        for (const x of ann.list) a.annotations.set(x.key.value, { key: x.key.span, value: x.value });
      } else fromValues(e.value, `${prefix}${key}.`, depth + 1);
    }
  };
  const valuesAttr = attribute(block, 'values');
  if (valuesAttr?.value.kind === 'tuple') {
    for (const item of valuesAttr.value.items) {
      const doc = helmValuesDocument(ctx, item, file);
      if (doc) fromValues(doc, '', 0);
    }
  }
  const setEntries: { name: LStr; value: LStr }[] = [];
  for (const set of childBlocks(block, 'set')) {
    const n = ctx.str(attribute(set, 'name'), file);
    const v = ctx.str(attribute(set, 'value'), file);
    if (n && v) setEntries.push({ name: n, value: v });
  }
  const setAttr = ctx.value(attribute(block, 'set'), file);
  if (setAttr?.kind === 'array') {
    for (const item of setAttr.items) {
      const n = scalarString(member(item, 'name'));
      const v = member(item, 'value');
      const vs = scalarString(v);
      if (n && v && vs) setEntries.push({ name: { value: n, span: entry(item, 'name')?.value.span ?? item.span }, value: { value: vs, span: v.span } });
    }
  }
  for (const { name, value } of setEntries) {
    const path = knownText(name.value);
    if (path === undefined) continue;
    const parts = splitHelmPath(path);
    const i = parts.lastIndexOf('serviceAccount');
    if (i < 0) continue;
    const prefix = parts.slice(0, i).map((p) => `${p}.`).join('');
    const rest = parts.slice(i + 1);
    const a = account(prefix);
    if (rest.length === 1 && rest[0] === 'name') a.name = value;
    else if (rest.length === 1 && rest[0] === 'create') a.create = knownText(value.value) !== 'false';
    else if (rest.length === 2 && rest[0] === 'annotations') a.annotations.set(rest[1]!, { key: name.span, value });
  }
  for (const [prefix, a] of accounts) {
    if (a.create === false && a.annotations.size === 0) continue;
    if (a.annotations.size === 0 && !a.name) continue;
    const annotations = [...a.annotations].map(([key, v]) => ({ key: { value: key, span: v.key }, value: v.value }));
    const roleArn = a.annotations.get(ROLE_ARN_ANNOTATION)?.value;
    const name = a.name ?? {
      value: unknown(`the chart derives the ServiceAccount name from release ${releaseName ? (knownText(releaseName.value) ?? '') : ''}`.trim()),
      span: ctx.span(file, block.header),
    };
    ctx.out.serviceAccounts.push({
      id: `${owner}#${prefix}serviceAccount`,
      span: name.span,
      origin: 'helm',
      name,
      namespace,
      namespaceDefaulted,
      annotations,
      annotationsComplete: true,
      ...(roleArn ? { roleArn } : {}),
    });
  }
}

function helmValuesDocument(ctx: ModuleContext, item: Expr, file: TerraformFile): DocValue | undefined {
  const { expr, file: f } = ctx.throughLocals(item, file);
  if (expr.kind === 'call' && (expr.name === 'yamlencode' || expr.name === 'jsonencode') && expr.args[0]) return ctx.evaluator.evaluate(expr.args[0], f);
  if (expr.kind === 'template' && expr.heredoc) {
    const holes: Hole[] = expr.parts
      .filter((p) => p.kind !== 'text')
      .map((p) => ({ start: p.start, end: p.end, value: p.kind === 'interpolation' ? ctx.evaluator.evaluateString(p.expr, f) : unknown('template directive') }));
    const parsed = parseYaml({ uri: f.uri, lines: f.lines, start: expr.heredoc.bodyStart, end: expr.heredoc.bodyEnd, holes });
    return parsed.documents[0]?.value;
  }
  return undefined;
}
