/**
 * Terraform extraction, one module directory at a time: Terraform's own unit
 * of scope (locals, variables and resources are visible across the files of
 * a directory). The index re-runs this for a directory when one of its .tf or
 * .tfvars files changes; it only re-*parses* the file that changed.
 */
import type { LineIndex, Span } from '../common/text';
import { resolveRelativeUri } from '../common/uri';
import { concat, known, knownText, stripScheme, symbol, unknown, type StrValue } from '../common/value';
import { entry, knownString, member, scalarString, stringList, type DocValue } from '../facts/document';
import { readTrustPolicy } from '../facts/iam';
import { emptyKubernetesFacts, labelRequirements, readAnnotations, readKubernetesObject, ROLE_ARN_ANNOTATION, DEFAULT_AUDIENCE, selectorsFromDoc } from '../facts/kubernetes';
import type { ClusterRef, Condition, Facts, FargateSelector, KarpenterInputs, LaunchTemplate, LStr, ModuleTrustInputs, OidcProvider, ParseProblem, Principal, Role, ServiceAccount, TrustPolicy, TrustRef, TrustStatement } from '../facts/types';
import { parseJson, type Hole } from '../parse/json';
import { parseYaml } from '../parse/yaml';
import { attribute, childBlocks, type Attribute, type Block, type Expr, type HclFile, type TraversalStep } from '../parse/hcl';
import { Evaluator, iterate, type ModuleScope, type SourceFile } from './evaluate';
import { classifyModuleSource, type ModuleKind } from './registry';
import { admitsOnlyMajorAtLeast } from './version';

export interface TerraformFile extends SourceFile {
  readonly uri: string;
  readonly lines: LineIndex;
  readonly hcl: HclFile;
  /** `.tfvars` files hold top-level attributes that set variables. */
  readonly isTfvars: boolean;
  readonly isAutoTfvars: boolean;
}

interface Located<T> {
  readonly block: T;
  readonly file: TerraformFile;
}

export function extractTerraformModule(dirUri: string, files: readonly TerraformFile[]): Facts {
  return new ModuleExtractor(dirUri, files).run();
}

class ModuleExtractor {
  private readonly resources = new Map<string, Located<Block>>();
  private readonly data = new Map<string, Located<Block>>();
  private readonly modules = new Map<string, Located<Block> & { kind: ModuleKind }>();
  private readonly evaluator: Evaluator;
  private readonly out = emptyKubernetesFacts();
  private readonly problems: ParseProblem[] = [];
  /** Policy documents already converted, by data address. */
  private readonly policyDocuments = new Map<string, TrustPolicy | undefined>();
  private readonly policyDocumentsInProgress = new Set<string>();

  constructor(
    private readonly dirUri: string,
    private readonly files: readonly TerraformFile[],
  ) {
    const variables = new Map<string, { expr: Expr; file: SourceFile }>();
    const locals = new Map<string, { expr: Expr; file: SourceFile }>();
    const tfFiles = files.filter((f) => !f.isTfvars);
    for (const file of tfFiles) {
      for (const block of file.hcl.blocks) {
        if (block.type === 'variable' && block.labels[0]) {
          const def = attribute(block, 'default');
          if (def) variables.set(block.labels[0], { expr: def.value, file });
        } else if (block.type === 'locals') {
          for (const a of block.attributes) locals.set(a.name, { expr: a.value, file });
        } else if (block.type === 'resource' && block.labels.length >= 2) {
          this.resources.set(`${block.labels[0]}.${block.labels[1]}`, { block, file });
        } else if (block.type === 'data' && block.labels.length >= 2) {
          this.data.set(`${block.labels[0]}.${block.labels[1]}`, { block, file });
        } else if (block.type === 'module' && block.labels[0]) {
          const source = attribute(block, 'source');
          const sourceText = source?.value.kind === 'literal' && typeof source.value.value === 'string' ? source.value.value : undefined;
          this.modules.set(block.labels[0], { block, file, kind: classifyModuleSource(sourceText) });
        }
      }
    }
    // terraform.tfvars, then *.auto.tfvars in lexical order: later files win, as in Terraform.
    const tfvars = files
      .filter((f) => f.isTfvars)
      .sort((a, b) => Number(a.isAutoTfvars) - Number(b.isAutoTfvars) || (a.uri < b.uri ? -1 : 1));
    for (const file of tfvars) for (const a of file.hcl.attributes) variables.set(a.name, { expr: a.value, file });
    const scope: ModuleScope = { dirUri, variables, locals, resolver: { resolveReference: (root, steps, span) => this.resolveReference(root, steps, span) } };
    this.evaluator = new Evaluator(scope);
  }

  run(): Facts {
    for (const file of this.files) {
      const first = file.hcl.problems[0];
      if (first) this.problems.push({ span: this.span(file, first), message: first.message });
    }
    for (const [address, { block, file }] of this.resources) {
      const type = block.labels[0];
      if (type === 'aws_iam_role') this.role(address, block, file);
      else if (type === 'aws_iam_openid_connect_provider') this.oidcProvider(address, block, file);
      else if (type === 'kubernetes_service_account' || type === 'kubernetes_service_account_v1') this.serviceAccount(address, block, file);
      else if (type === 'kubernetes_manifest') this.manifest(address, block, file);
      else if (type !== undefined && WORKLOAD_RESOURCES.has(type)) this.workload(address, type, block, file);
      else if (type === 'helm_release') this.helmRelease(address, block, file);
      else if (type === 'aws_eks_fargate_profile') this.fargateProfile(address, block, file);
      else if (type === 'aws_eks_pod_identity_association') this.podIdentityAssociation(address, block, file);
      else if (type === 'aws_launch_template') this.launchTemplate(address, block, file);
    }
    for (const [address, { block, file }] of this.data) {
      if (block.labels[0] === 'aws_iam_policy_document' && this.hasPrincipals(block)) {
        const policy = this.policyDocument(address);
        if (policy && !this.out.trustPolicies.some((p) => p.id === policy.id)) this.out.trustPolicies.push(policy);
      }
      void file;
    }
    for (const [name, m] of this.modules) this.module(name, m.block, m.file, m.kind);
    this.clusters();
    return { ...this.out, problems: this.problems };
  }

  // ─── helpers ───────────────────────────────────────────────────────────────

  private span(file: SourceFile, extent: { start: number; end: number }): Span {
    return { uri: file.uri, range: file.lines.range(extent.start, extent.end) };
  }

  private owner(address: string): string {
    return `tf:${this.dirUri}#${address}`;
  }

  private str(attr: Attribute | undefined, file: SourceFile, env?: ReadonlyMap<string, DocValue>): LStr | undefined {
    if (!attr) return undefined;
    return { value: this.evaluator.evaluateString(attr.value, file, env), span: this.span(file, attr.value) };
  }

  private value(attr: Attribute | undefined, file: SourceFile, env?: ReadonlyMap<string, DocValue>): DocValue | undefined {
    return attr ? this.evaluator.evaluate(attr.value, file, env) : undefined;
  }

  /** Follows `local.x` (without steps) to the expression it names, so patterns like `jsonencode` stay visible. */
  private throughLocals(expr: Expr, file: TerraformFile, depth = 0): { expr: Expr; file: TerraformFile } {
    if (depth < 8 && expr.kind === 'traversal' && expr.root === 'local' && expr.steps.length === 1 && expr.steps[0]?.kind === 'attr') {
      const name = expr.steps[0].name;
      for (const f of this.files) {
        if (f.isTfvars) continue;
        for (const block of f.hcl.blocks) {
          if (block.type !== 'locals') continue;
          const a = attribute(block, name);
          if (a) return this.throughLocals(a.value, f, depth + 1);
        }
      }
    }
    return { expr, file };
  }

  // ─── references ────────────────────────────────────────────────────────────

  private resolveReference(root: string, steps: readonly TraversalStep[], span: Span): DocValue | undefined {
    const attrs = steps.filter((s): s is Extract<TraversalStep, { kind: 'attr' }> => s.kind === 'attr').map((s) => s.name);
    const str = (value: StrValue): DocValue => ({ kind: 'string', value, span });
    if (root === 'module') {
      const [name, output] = attrs;
      const m = name !== undefined ? this.modules.get(name) : undefined;
      if (!m || output === undefined) return undefined;
      const owner = this.owner(`module.${name}`);
      if (m.kind.type === 'eks') {
        if (output === 'oidc_provider') return str(symbol('issuer-host', owner));
        if (output === 'oidc_provider_arn') return str(symbol('provider-arn', owner));
        if (output === 'cluster_oidc_issuer_url') return str(symbol('issuer-url', owner));
        if (output === 'cluster_name') return this.value(attribute(m.block, 'name') ?? attribute(m.block, 'cluster_name'), m.file);
      }
      if (m.kind.type === 'iam-irsa' || m.kind.type === 'iam-assumable-role-with-oidc') {
        if (output === 'iam_role_arn' || output === 'arn') return str(symbol('role-arn', owner));
        if (output === 'iam_role_name' || output === 'name') return str(symbol('role-name', owner));
      }
      if (m.kind.type === 'eks-karpenter' && this.karpenterHasControllerRole(m.block, m.file)) {
        if (output === 'iam_role_arn') return str(symbol('role-arn', owner));
        if (output === 'iam_role_name') return str(symbol('role-name', owner));
      }
      return undefined;
    }
    if (root === 'data') {
      const [type, name, field] = attrs;
      if (type === undefined || name === undefined) return undefined;
      const owner = this.owner(`data.${type}.${name}`);
      if (type === 'aws_caller_identity' && field === 'account_id') return str(symbol('own-account', owner));
      if (type === 'aws_eks_cluster' && attrs.includes('identity') && attrs[attrs.length - 1] === 'issuer') return str(symbol('issuer-url', owner));
      if (type === 'aws_iam_openid_connect_provider') {
        const d = this.data.get(`${type}.${name}`);
        const url = d ? this.resolvedUrl(attribute(d.block, 'url'), d.file) : undefined;
        if (field === 'arn') return str(symbol('provider-arn', owner, undefined));
        if (field === 'url') return str(symbol('issuer-url', owner, url));
      }
      return undefined;
    }
    const [name, field] = attrs;
    if (name === undefined) return undefined;
    const address = `${root}.${name}`;
    const owner = this.owner(address);
    if (root === 'aws_iam_openid_connect_provider') {
      const r = this.resources.get(address);
      if (field === 'arn' || field === 'id') return str(symbol('provider-arn', owner));
      if (field === 'url') return str(symbol('issuer-url', owner, r ? this.resolvedUrl(attribute(r.block, 'url'), r.file) : undefined));
    }
    if (root === 'aws_eks_cluster' && attrs.includes('identity') && attrs[attrs.length - 1] === 'issuer') return str(symbol('issuer-url', owner));
    if (root === 'aws_iam_role') {
      const r = this.resources.get(address);
      if (field === 'arn') return str(symbol('role-arn', owner));
      if (field === 'name' || field === 'id') {
        const nameValue = r ? this.str(attribute(r.block, 'name'), r.file)?.value : undefined;
        return str(symbol('role-name', owner, nameValue ? knownText(nameValue) : undefined));
      }
    }
    return undefined;
  }

  /** A provider's URL as the issuer (`https://…`), when written literally. */
  private resolvedUrl(attr: Attribute | undefined, file: SourceFile): string | undefined {
    const v = this.str(attr, file)?.value;
    const t = v ? knownText(v) : undefined;
    if (t === undefined) return undefined;
    return t.startsWith('https://') ? t : `https://${t}`;
  }

  // ─── aws_iam_role ──────────────────────────────────────────────────────────

  private role(address: string, block: Block, file: TerraformFile): void {
    const id = this.owner(address);
    const nameAttr = attribute(block, 'name');
    const prefixAttr = attribute(block, 'name_prefix');
    let name: StrValue;
    if (nameAttr) name = this.evaluator.evaluateString(nameAttr.value, file);
    else if (prefixAttr) name = concat(this.evaluator.evaluateString(prefixAttr.value, file), unknown('suffix Terraform generates for name_prefix'));
    else name = unknown('Terraform generates the role name');
    const pathValue = this.str(attribute(block, 'path'), file)?.value;
    const path = pathValue ? knownText(pathValue) : undefined;
    const policyAttr = attribute(block, 'assume_role_policy');
    const trust = policyAttr ? this.trustFromExpression(policyAttr.value, file, `${id}#trust`) : ({ kind: 'unknown', reason: 'no assume_role_policy' } as const);
    const role: Role = { id, span: this.span(file, block.header), origin: 'terraform', name, trust, arnExpression: `${address}.arn`, ...(path !== undefined ? { path } : {}) };
    this.out.roles.push(role);
  }

  /** The many ways `assume_role_policy` is written. */
  private trustFromExpression(raw: Expr, rawFile: TerraformFile, policyId: string): TrustRef {
    const { expr, file } = this.throughLocals(raw, rawFile);
    if (expr.kind === 'call' && expr.name === 'jsonencode' && expr.args[0]) {
      const doc = this.evaluator.evaluate(expr.args[0], file);
      if (doc.kind !== 'object') return { kind: 'unknown', reason: 'jsonencode() of a computed value' };
      const policy = readTrustPolicy(doc, policyId, 'jsonencode', this.span(file, expr));
      this.out.trustPolicies.push(policy);
      return { kind: 'policy', policyId };
    }
    if (expr.kind === 'traversal' && expr.root === 'data') {
      const attrs = expr.steps.filter((s) => s.kind === 'attr').map((s) => (s as { name: string }).name);
      if (attrs[0] === 'aws_iam_policy_document' && attrs[1] && attrs[attrs.length - 1] === 'json') {
        const address = `aws_iam_policy_document.${attrs[1]}`;
        const policy = this.policyDocument(address);
        if (!policy) return { kind: 'unknown', reason: `data.${address} is not in this module` };
        if (!this.out.trustPolicies.some((p) => p.id === policy.id)) this.out.trustPolicies.push(policy);
        return { kind: 'policy', policyId: policy.id };
      }
    }
    if (expr.kind === 'template') {
      const policy = this.embeddedJsonPolicy(expr, file, policyId);
      if (policy) {
        this.out.trustPolicies.push(policy);
        return { kind: 'policy', policyId };
      }
      return { kind: 'unknown', reason: 'the policy text is not JSON the tool can read' };
    }
    if (expr.kind === 'call' && (expr.name === 'file' || expr.name === 'templatefile') && expr.args[0]) {
      const pathValue = knownText(this.evaluator.evaluateString(expr.args[0], file));
      if (pathValue === undefined) return { kind: 'unknown', reason: `${expr.name}() of a computed path` };
      const uri = resolveRelativeUri(this.dirUri, pathValue);
      if (!uri) return { kind: 'unknown', reason: `${expr.name}() of an absolute path` };
      if (expr.name === 'file') return { kind: 'file', uri };
      const vars = new Map<string, StrValue>();
      const varsValue = expr.args[1] ? this.evaluator.evaluate(expr.args[1], file) : undefined;
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

  /** JSON in a heredoc or quoted string, with `${…}` interpolations spliced in as holes. */
  private embeddedJsonPolicy(expr: Extract<Expr, { kind: 'template' }>, file: TerraformFile, policyId: string): TrustPolicy | undefined {
    const start = expr.heredoc ? expr.heredoc.bodyStart : expr.start + 1;
    const end = expr.heredoc ? expr.heredoc.bodyEnd : expr.end - 1;
    if (!expr.heredoc) return undefined; // A one-line quoted JSON policy would need escape mapping; rare enough to leave.
    const holes: Hole[] = [];
    for (const part of expr.parts) {
      if (part.kind === 'interpolation') holes.push({ start: part.start, end: part.end, value: this.evaluator.evaluateString(part.expr, file) });
      else if (part.kind === 'directive') holes.push({ start: part.start, end: part.end, value: unknown('template directive') });
    }
    const parsed = parseJson({ uri: file.uri, lines: file.lines, start, end, holes });
    // With `%{ for }`/`%{ if }` directives the text is JSON only once rendered: its syntax errors are
    // artifacts of the masking, and the statements it repeats or drops are not known.
    const directives = expr.parts.some((part) => part.kind === 'directive');
    if (parsed.problems[0] && !directives) {
      const p = parsed.problems[0];
      this.problems.push({ span: { uri: file.uri, range: file.lines.range(p.start, p.end) }, message: `${p.message.replace(/\.$/, '')}, in the trust policy heredoc.` });
    }
    if (!parsed.value || parsed.value.kind !== 'object') return undefined;
    const policy = readTrustPolicy(parsed.value, policyId, 'heredoc', this.span(file, expr));
    return directives ? { ...policy, complete: false } : policy;
  }

  // ─── data "aws_iam_policy_document" ────────────────────────────────────────

  private hasPrincipals(block: Block): boolean {
    const has = (b: Block): boolean =>
      b.blocks.some((c) => c.type === 'principals' || c.type === 'not_principals' || (c.type === 'dynamic' && (c.labels[0] === 'principals' || c.labels[0] === 'not_principals')) || has(c));
    return has(block);
  }

  private policyDocument(address: string): TrustPolicy | undefined {
    if (this.policyDocuments.has(address)) return this.policyDocuments.get(address);
    const located = this.data.get(address);
    if (!located || this.policyDocumentsInProgress.has(address)) return undefined;
    this.policyDocumentsInProgress.add(address);
    const { block, file } = located;
    const statements: TrustStatement[] = [];
    let complete = true;
    for (const attrName of ['source_policy_documents', 'source_json', 'override_policy_documents', 'override_json']) {
      const a = attribute(block, attrName);
      if (!a) continue;
      const refs = a.value.kind === 'tuple' ? a.value.items : [a.value];
      for (const ref of refs) {
        const inner = ref.kind === 'traversal' && ref.root === 'data' && ref.steps[0]?.kind === 'attr' && ref.steps[0].name === 'aws_iam_policy_document' && ref.steps[1]?.kind === 'attr' ? this.policyDocument(`aws_iam_policy_document.${ref.steps[1].name}`) : undefined;
        if (inner) {
          statements.push(...inner.statements);
          complete &&= inner.complete;
        } else complete = false;
      }
    }
    for (const child of block.blocks) {
      if (child.type === 'statement') statements.push(this.policyStatement(child, file, new Map()));
      else if (child.type === 'dynamic' && child.labels[0] === 'statement') {
        const expanded = this.expandDynamic(child, file, new Map());
        if (!expanded) complete = false;
        else for (const { content, env } of expanded) statements.push(this.policyStatement(content, file, env));
      }
    }
    const policy: TrustPolicy = { id: this.owner(`data.${address}`), span: this.span(file, block.header), origin: 'policy-document', statements, complete, generated: false };
    this.policyDocumentsInProgress.delete(address);
    this.policyDocuments.set(address, policy);
    return policy;
  }

  /** `dynamic "x" { for_each = …; iterator = it; content { … } }` → one content per element, when the collection is known. */
  private expandDynamic(block: Block, file: TerraformFile, env: ReadonlyMap<string, DocValue>): { content: Block; env: Map<string, DocValue> }[] | undefined {
    const forEach = attribute(block, 'for_each');
    const content = childBlocks(block, 'content')[0];
    if (!forEach || !content) return undefined;
    const iteratorAttr = attribute(block, 'iterator');
    const iteratorName = iteratorAttr?.value.kind === 'traversal' ? iteratorAttr.value.root : (block.labels[0] ?? 'item');
    const pairs = iterate(this.evaluator.evaluate(forEach.value, file, env));
    if (!pairs) return undefined;
    return pairs.map(([key, value]) => {
      const inner = new Map(env);
      const span = value.span;
      inner.set(iteratorName, {
        kind: 'object',
        complete: true,
        span,
        entries: [
          { key: known('key'), keySpan: span, value: key },
          { key: known('value'), keySpan: span, value },
        ],
      });
      return { content, env: inner };
    });
  }

  private policyStatement(block: Block, file: TerraformFile, env: ReadonlyMap<string, DocValue>): TrustStatement {
    const effectValue = this.str(attribute(block, 'effect'), file, env);
    const effectText = effectValue ? knownText(effectValue.value) : 'Allow';
    const actions = this.list(attribute(block, 'actions'), file, env);
    const principals: Principal[] = [];
    let principalsComplete = !block.blocks.some((b) => b.type === 'not_principals' || (b.type === 'dynamic' && b.labels[0] === 'not_principals'));
    const principalBlocks: { block: Block; env: ReadonlyMap<string, DocValue> }[] = [];
    const conditionBlocks: { block: Block; env: ReadonlyMap<string, DocValue> }[] = [];
    let conditionsComplete = true;
    for (const child of block.blocks) {
      if (child.type === 'principals') principalBlocks.push({ block: child, env });
      else if (child.type === 'condition') conditionBlocks.push({ block: child, env });
      else if (child.type === 'dynamic' && (child.labels[0] === 'principals' || child.labels[0] === 'condition')) {
        const expanded = this.expandDynamic(child, file, env);
        if (!expanded) {
          if (child.labels[0] === 'principals') principalsComplete = false;
          else conditionsComplete = false;
          continue;
        }
        for (const e of expanded) (child.labels[0] === 'principals' ? principalBlocks : conditionBlocks).push({ block: e.content, env: e.env });
      }
    }
    for (const p of principalBlocks) {
      const type = this.str(attribute(p.block, 'type'), file, p.env);
      const typeText = type ? knownText(type.value) : undefined;
      const ids = this.list(attribute(p.block, 'identifiers'), file, p.env);
      if (typeText === undefined || !ids.complete) principalsComplete = false;
      if (typeText === undefined) continue;
      for (const item of ids.items) principals.push({ type: typeText, value: item });
    }
    const conditions: Condition[] = [];
    for (const c of conditionBlocks) {
      const test = this.str(attribute(c.block, 'test'), file, c.env);
      const variable = this.str(attribute(c.block, 'variable'), file, c.env);
      const testText = test ? knownText(test.value) : undefined;
      if (!test || testText === undefined || !variable) {
        conditionsComplete = false;
        continue;
      }
      const values = this.list(attribute(c.block, 'values'), file, c.env);
      conditions.push({ operator: { value: testText, span: test.span }, key: variable, values: values.items, valuesComplete: values.complete });
    }
    const sid = this.str(attribute(block, 'sid'), file, env);
    const sidText = sid ? knownText(sid.value) : undefined;
    const statement: TrustStatement = {
      span: this.span(file, block.header),
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

  private list(attr: Attribute | undefined, file: SourceFile, env: ReadonlyMap<string, DocValue>): { items: LStr[]; complete: boolean } {
    if (!attr) return { items: [], complete: true };
    return stringList(this.evaluator.evaluate(attr.value, file, env));
  }

  // ─── aws_iam_openid_connect_provider ───────────────────────────────────────

  private oidcProvider(address: string, block: Block, file: TerraformFile): void {
    const urlAttr = attribute(block, 'url');
    const url = this.str(urlAttr, file)?.value ?? unknown('no url');
    const clientAttr = attribute(block, 'client_id_list');
    const clients = this.list(clientAttr, file, new Map());
    const provider: OidcProvider = {
      id: this.owner(address),
      span: this.span(file, block.header),
      url,
      ...(urlAttr ? { urlSpan: this.span(file, urlAttr.value) } : {}),
      clientIds: clients.items,
      clientIdsComplete: clientAttr !== undefined && clients.complete,
      ...(clientAttr ? { clientIdsSpan: this.span(file, clientAttr.value) } : {}),
    };
    this.out.oidcProviders.push(provider);
  }

  // ─── Fargate, Pod Identity, launch templates ───────────────────────────────

  private fargateProfile(address: string, block: Block, file: TerraformFile): void {
    const selectors: FargateSelector[] = [];
    let complete = true;
    const read = (b: Block, env: ReadonlyMap<string, DocValue>): void => {
      const ns = this.str(attribute(b, 'namespace'), file, env);
      if (!ns) {
        complete = false;
        return;
      }
      const labels = labelRequirements(this.value(attribute(b, 'labels'), file, env));
      selectors.push({ span: this.span(file, b.header), namespace: ns, labels: labels.items, labelsComplete: labels.complete });
    };
    for (const child of block.blocks) {
      if (child.type === 'selector') read(child, new Map());
      else if (child.type === 'dynamic' && child.labels[0] === 'selector') {
        const expanded = this.expandDynamic(child, file, new Map());
        if (!expanded) complete = false;
        else for (const e of expanded) read(e.content, e.env);
      }
    }
    const nameValue = this.str(attribute(block, 'fargate_profile_name'), file)?.value;
    this.out.fargateProfiles.push({
      id: this.owner(address),
      name: (nameValue ? knownText(nameValue) : undefined) ?? address,
      span: this.span(file, block.header),
      origin: 'terraform',
      cluster: this.clusterRef(attribute(block, 'cluster_name'), file),
      selectors,
      selectorsComplete: complete,
    });
  }

  private podIdentityAssociation(address: string, block: Block, file: TerraformFile): void {
    const header = this.span(file, block.header);
    this.out.podIdentityAssociations.push({
      id: this.owner(address),
      span: header,
      origin: 'terraform',
      cluster: this.clusterRef(attribute(block, 'cluster_name'), file),
      namespace: this.str(attribute(block, 'namespace'), file) ?? { value: unknown('no namespace'), span: header },
      serviceAccount: this.str(attribute(block, 'service_account'), file) ?? { value: unknown('no service_account'), span: header },
    });
  }

  /**
   * `aws_launch_template` with `metadata_options { http_put_response_hop_limit }`.
   * It serves EKS nodes when an `aws_eks_node_group` of this directory names
   * it in its `launch_template` block (by id or name).
   */
  private launchTemplate(address: string, block: Block, file: TerraformFile): void {
    const metadata = childBlocks(block, 'metadata_options')[0];
    const hopAttr = metadata ? attribute(metadata, 'http_put_response_hop_limit') : undefined;
    let hopLimit: { value: number | undefined; span: Span } | undefined;
    if (hopAttr) {
      const v = this.value(hopAttr, file);
      const text = v?.kind === 'string' ? knownText(v.value) : undefined;
      const n = v?.kind === 'number' ? v.value : text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
      hopLimit = { value: n, span: this.span(file, hopAttr.value) };
    }
    const used = [...this.resources.values()].some(({ block: b }) => {
      if (b.labels[0] !== 'aws_eks_node_group') return false;
      const lt = childBlocks(b, 'launch_template')[0];
      return !!lt && lt.attributes.some((a) => (a.name === 'id' || a.name === 'name') && referencesAddress(a.value, address));
    });
    const nameValue = this.str(attribute(block, 'name'), file)?.value;
    this.out.launchTemplates.push({
      id: this.owner(address),
      name: (nameValue ? knownText(nameValue) : undefined) ?? address,
      span: this.span(file, block.header),
      origin: 'terraform',
      usedByNodeGroup: used ? 'yes' : 'unknown',
      ...(hopLimit ? { hopLimit } : {}),
    });
  }

  // ─── Kubernetes ────────────────────────────────────────────────────────────

  private serviceAccount(address: string, block: Block, file: TerraformFile): void {
    const metadata = childBlocks(block, 'metadata')[0];
    if (!metadata) return;
    const env = new Map<string, DocValue>();
    const name = this.str(attribute(metadata, 'name'), file, env) ?? { value: unknown('no metadata.name'), span: this.span(file, block.header) };
    const nsAttr = attribute(metadata, 'namespace');
    const namespace = this.str(nsAttr, file, env) ?? { value: known('default'), span: name.span };
    const annotationsValue = this.value(attribute(metadata, 'annotations'), file, env);
    const annotations = readAnnotations(annotationsValue);
    const roleArn = annotations.list.find((a) => a.key.value === ROLE_ARN_ANNOTATION)?.value;
    const sa: ServiceAccount = {
      id: this.owner(address),
      span: name.span,
      origin: 'terraform',
      name,
      namespace,
      namespaceDefaulted: nsAttr === undefined,
      annotations: annotations.list,
      annotationsComplete: annotations.complete,
      ...(roleArn ? { roleArn } : {}),
    };
    this.out.serviceAccounts.push(sa);
  }

  /**
   * `kubernetes_deployment_v1` and the other workload resources: the pod
   * template's annotations and `service_account_name`. (Pods have them on
   * the resource itself; cron jobs one level deeper, under `job_template`.)
   */
  private workload(address: string, type: string, block: Block, file: TerraformFile): void {
    const metadata = childBlocks(block, 'metadata')[0];
    const name = this.str(attribute(metadata ?? block, 'name'), file) ?? { value: unknown('no metadata.name'), span: this.span(file, block.header) };
    const namespace = this.str(metadata ? attribute(metadata, 'namespace') : undefined, file) ?? { value: known('default'), span: name.span };
    const spec = childBlocks(block, 'spec')[0];
    let podParent: Block | undefined;
    if (/^kubernetes_pod(_v1)?$/.test(type)) podParent = block;
    else if (/^kubernetes_cron_job(_v1)?$/.test(type)) podParent = descend(spec, 'job_template', 'spec', 'template');
    else podParent = descend(spec, 'template');
    const podSpec = podParent ? childBlocks(podParent, 'spec')[0] : undefined;
    const podMetadata = podParent ? childBlocks(podParent, 'metadata')[0] : undefined;
    const serviceAccountName = this.str(podSpec ? attribute(podSpec, 'service_account_name') : undefined, file);
    const annotations = readAnnotations(this.value(podMetadata ? attribute(podMetadata, 'annotations') : undefined, file));
    const labels = readAnnotations(this.value(podMetadata ? attribute(podMetadata, 'labels') : undefined, file));
    this.out.workloads.push({
      id: this.owner(address),
      span: name.span,
      kind: type.replace(/^kubernetes_/, '').replace(/_v1$/, ''),
      name,
      namespace,
      ...(serviceAccountName ? { serviceAccountName } : {}),
      podAnnotations: annotations.list,
      podLabels: labels.list,
      podLabelsComplete: labels.complete,
    });
  }

  private manifest(address: string, block: Block, file: TerraformFile): void {
    const manifest = this.value(attribute(block, 'manifest'), file);
    if (manifest?.kind !== 'object') return;
    const kind = scalarString(member(manifest, 'kind'));
    const kindText = kind ? knownText(kind) : undefined;
    if (kindText) readKubernetesObject(manifest, this.owner(address), kindText, this.out);
  }

  /**
   * `helm_release`: the chart's ServiceAccount is described by values:
   * `set { name = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn" }`,
   * `set = [{…}]` (provider 3.x), or `values = [yamlencode({…}), file(…), <<EOT … EOT]`.
   */
  private helmRelease(address: string, block: Block, file: TerraformFile): void {
    const releaseName = this.str(attribute(block, 'name'), file);
    const namespace = this.str(attribute(block, 'namespace'), file) ?? { value: known('default'), span: this.span(file, block.header) };
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
        const doc = this.helmValuesDocument(item, file);
        if (doc) fromValues(doc, '', 0);
      }
    }
    const setEntries: { name: LStr; value: LStr }[] = [];
    for (const set of childBlocks(block, 'set')) {
      const n = this.str(attribute(set, 'name'), file);
      const v = this.str(attribute(set, 'value'), file);
      if (n && v) setEntries.push({ name: n, value: v });
    }
    const setAttr = this.value(attribute(block, 'set'), file);
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
        span: this.span(file, block.header),
      };
      this.out.serviceAccounts.push({
        id: `${this.owner(address)}#${prefix}serviceAccount`,
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

  private helmValuesDocument(item: Expr, file: TerraformFile): DocValue | undefined {
    const { expr, file: f } = this.throughLocals(item, file);
    if (expr.kind === 'call' && (expr.name === 'yamlencode' || expr.name === 'jsonencode') && expr.args[0]) return this.evaluator.evaluate(expr.args[0], f);
    if (expr.kind === 'template' && expr.heredoc) {
      const holes: Hole[] = expr.parts
        .filter((p) => p.kind !== 'text')
        .map((p) => ({ start: p.start, end: p.end, value: p.kind === 'interpolation' ? this.evaluator.evaluateString(p.expr, f) : unknown('template directive') }));
      const parsed = parseYaml({ uri: f.uri, lines: f.lines, start: expr.heredoc.bodyStart, end: expr.heredoc.bodyEnd, holes });
      return parsed.documents[0]?.value;
    }
    return undefined;
  }

  // ─── clusters ──────────────────────────────────────────────────────────────

  /**
   * The clusters this module directory names, for live checks: the eks
   * module, `aws_eks_cluster` resources and data sources. The region is the
   * default `provider "aws"` block's, when it is written.
   */
  private clusters(): void {
    const region = this.defaultProviderRegion();
    const declare = (address: string, block: Block, file: TerraformFile, nameAttr: Attribute | undefined): void => {
      const name = this.str(nameAttr, file);
      this.out.clusters.push({ owner: this.owner(address), span: name?.span ?? this.span(file, block.header), name: name?.value ?? unknown('no cluster name'), ...(region !== undefined ? { region } : {}) });
    };
    for (const [name, m] of this.modules) if (m.kind.type === 'eks') declare(`module.${name}`, m.block, m.file, attribute(m.block, 'name') ?? attribute(m.block, 'cluster_name'));
    for (const [address, { block, file }] of this.resources) if (block.labels[0] === 'aws_eks_cluster') declare(address, block, file, attribute(block, 'name'));
    for (const [address, { block, file }] of this.data) if (block.labels[0] === 'aws_eks_cluster') declare(`data.${address}`, block, file, attribute(block, 'name'));
  }

  private defaultProviderRegion(): string | undefined {
    for (const file of this.files) {
      if (file.isTfvars) continue;
      for (const block of file.hcl.blocks) {
        if (block.type !== 'provider' || block.labels[0] !== 'aws' || attribute(block, 'alias')) continue;
        const region = this.str(attribute(block, 'region'), file)?.value;
        return region ? knownText(region) : undefined;
      }
    }
    return undefined;
  }

  // ─── modules ───────────────────────────────────────────────────────────────

  private module(name: string, block: Block, file: TerraformFile, kind: ModuleKind): void {
    const owner = this.owner(`module.${name}`);
    const header = this.span(file, block.header);
    const source = attribute(block, 'source');
    const version = attribute(block, 'version');
    const documents = kind.type === 'eks-karpenter' ? this.karpenterDocuments(owner, block, file) : undefined;
    const karpenter = documents ? this.karpenterInputs(block, file, documents) : undefined;
    this.out.moduleCalls.push({
      id: owner,
      name,
      span: header,
      blockSpan: this.span(file, block),
      kind: kind.type,
      ...(source?.value.kind === 'literal' && typeof source.value.value === 'string' ? { source: source.value.value } : {}),
      ...(version?.value.kind === 'literal' && typeof version.value.value === 'string' ? { version: { value: version.value.value, span: this.span(file, version.value) } } : {}),
      arguments: block.attributes.map((a) => ({ name: a.name, span: this.span(file, a), nameSpan: this.span(file, a.nameExtent) })),
      ...(karpenter ? { karpenter } : {}),
    });
    if (kind.type === 'eks-node-group') this.nodeGroupModule(owner, name, block, file, kind.managed);
    if (kind.type === 'eks') {
      this.eksModuleFargateProfiles(owner, block, file);
      this.eksModuleNodeGroups(owner, name, block, file);
      const enable = this.value(attribute(block, 'enable_irsa'), file);
      if (enable?.kind === 'boolean' && !enable.value) return;
      const audiencesAttr = attribute(block, 'openid_connect_audiences');
      const audiences = this.list(audiencesAttr, file, new Map());
      this.out.oidcProviders.push({
        id: owner,
        span: header,
        url: symbol('issuer-url', owner),
        clientIds: [{ value: known(DEFAULT_AUDIENCE), span: header }, ...audiences.items],
        clientIdsComplete: audiences.complete,
        ...(audiencesAttr ? { clientIdsSpan: this.span(file, audiencesAttr.value) } : {}),
      });
      return;
    }
    if (documents) this.karpenterRole(owner, block, file, documents);
    if (kind.type === 'iam-irsa') this.irsaModule(owner, block, file, kind.major);
    if (kind.type === 'iam-assumable-role-with-oidc') this.assumableRoleWithOidc(owner, block, file);
  }

  /** The cluster a resource names with `cluster_name`, in this module directory. */
  private clusterRef(attr: Attribute | undefined, file: SourceFile): ClusterRef {
    return { name: this.str(attr, file)?.value ?? unknown('no cluster_name'), scope: this.dirUri };
  }

  /** terraform-aws-modules/eks `fargate_profiles = { k = { name, selectors = [{ namespace, labels }] } }` (v20 and v21). */
  private eksModuleFargateProfiles(owner: string, block: Block, file: TerraformFile): void {
    const profilesAttr = attribute(block, 'fargate_profiles');
    if (!profilesAttr) return;
    const cluster = { name: this.str(attribute(block, 'name') ?? attribute(block, 'cluster_name'), file)?.value ?? unknown('no cluster name'), scope: this.dirUri };
    for (const [key, profile] of iterate(this.evaluator.evaluate(profilesAttr.value, file)) ?? []) {
      const keyText = scalarString(key);
      const profileName = knownString(member(profile, 'name')) ?? (keyText ? knownText(keyText) : undefined) ?? '?';
      const { selectors, complete } = selectorsFromDoc(member(profile, 'selectors'));
      this.out.fargateProfiles.push({ id: `${owner}#fargate_profiles.${profileName}`, name: profileName, span: key.span, origin: 'eks-module', cluster, selectors, selectorsComplete: complete });
    }
  }

  // ─── terraform-aws-modules/eks node groups ─────────────────────────────────

  /**
   * terraform-aws-modules/eks builds a launch template for each entry of
   * `eks_managed_node_groups` and `self_managed_node_groups`, with the entry's
   * `metadata_options`, else (up to v20) the one in
   * `eks_managed_node_group_defaults` / `self_managed_node_group_defaults`
   * (the module takes the first that is set, whole: `try(each.value.
   * metadata_options, var.…_defaults.metadata_options, local.metadata_options)`),
   * else its own. Only what the user wrote becomes a fact: the module's own
   * default is never reported. The maps are read as written (objects in place
   * or behind `local.x`); `merge()`, `for` and variables leave them unread.
   */
  private eksModuleNodeGroups(owner: string, callName: string, block: Block, file: TerraformFile): void {
    if (!absentOrTrue(attribute(block, 'create')?.value)) return;
    const inputs = [
      { input: 'eks_managed_node_groups', defaultsInput: 'eks_managed_node_group_defaults', managed: true },
      { input: 'self_managed_node_groups', defaultsInput: 'self_managed_node_group_defaults', managed: false },
    ];
    for (const { input, defaultsInput, managed } of inputs) {
      const groupsAttr = attribute(block, input);
      const groups = groupsAttr ? this.objectExpr(groupsAttr.value, file) : undefined;
      const defaultsAttr = attribute(block, defaultsInput);
      const defaults = defaultsAttr ? this.objectExpr(defaultsAttr.value, file) : undefined;
      // Computed defaults may switch the launch template off: nothing is known.
      if (defaultsAttr && !defaults) continue;
      const defaultsFor: string[] = [];
      for (const item of groups?.expr.items ?? []) {
        const key = literalString(item.key);
        const group = groups ? this.objectExpr(item.value, groups.file) : undefined;
        if (key === undefined || !group) continue;
        const setting = (n: string): Expr | undefined => objectItem(group.expr, n) ?? (defaults ? objectItem(defaults.expr, n) : undefined);
        // `create` has no default input in the module: `try(each.value.create, true)`.
        const builds = absentOrTrue(objectItem(group.expr, 'create')) && absentOrTrue(setting('create_launch_template')) && (!managed || absentOrTrue(setting('use_custom_launch_template')));
        if (!builds) continue;
        const own = objectItem(group.expr, 'metadata_options');
        if (!own) {
          defaultsFor.push(key);
          continue;
        }
        const span = this.span(group.file, item.key);
        this.nodeGroupMetadata(`${owner}#${input}.${key}`, key, span, own, group.file, { call: `module.${callName}`, input, group: key });
      }
      const defaultMetadata = defaults ? objectItem(defaults.expr, 'metadata_options') : undefined;
      if (defaults && defaultMetadata && defaultsFor.length > 0 && defaultsAttr) {
        this.nodeGroupMetadata(`${owner}#${defaultsInput}`, defaultsInput, this.span(file, defaultsAttr.nameExtent), defaultMetadata, defaults.file, { call: `module.${callName}`, input: defaultsInput, defaultsFor });
      }
    }
  }

  /**
   * `//modules/eks-managed-node-group` and `//modules/self-managed-node-group`
   * take `metadata_options` themselves; the launch template exists unless
   * `create`, `create_launch_template` or (managed) `use_custom_launch_template`
   * is not true.
   */
  private nodeGroupModule(owner: string, callName: string, block: Block, file: TerraformFile, managed: boolean): void {
    const flags = ['create', 'create_launch_template', ...(managed ? ['use_custom_launch_template'] : [])];
    if (!flags.every((f) => absentOrTrue(attribute(block, f)?.value))) return;
    const metadata = attribute(block, 'metadata_options');
    if (!metadata) return;
    const nameValue = this.str(attribute(block, 'name'), file)?.value;
    const name = (nameValue ? knownText(nameValue) : undefined) ?? `module.${callName}`;
    this.nodeGroupMetadata(`${owner}#metadata_options`, name, this.span(file, block.header), metadata.value, file, { call: `module.${callName}`, input: 'metadata_options' });
  }

  /** The launch template fact for a written `metadata_options` object that sets `http_put_response_hop_limit`. */
  private nodeGroupMetadata(id: string, name: string, span: Span, metadataExpr: Expr, file: TerraformFile, module: NonNullable<LaunchTemplate['module']>): void {
    const metadata = this.objectExpr(metadataExpr, file);
    const hop = metadata ? objectItem(metadata.expr, 'http_put_response_hop_limit') : undefined;
    if (!metadata || !hop) return;
    this.out.launchTemplates.push({
      id,
      name,
      span,
      origin: 'eks-module',
      usedByNodeGroup: 'yes',
      hopLimit: { value: literalInteger(hop), span: this.span(metadata.file, hop) },
      module,
    });
  }

  /** An object expression written in place or behind `local.x`; undefined for anything computed. */
  private objectExpr(expr: Expr, file: TerraformFile): { expr: Extract<Expr, { kind: 'object' }>; file: TerraformFile } | undefined {
    const found = this.throughLocals(expr, file);
    return found.expr.kind === 'object' ? { expr: found.expr, file: found.file } : undefined;
  }

  /**
   * The documents passed to the karpenter submodule for its controller
   * role's trust, per argument, as trust references (read once: reading a
   * `jsonencode` or heredoc document adds its policy to the facts).
   */
  private karpenterDocuments(owner: string, block: Block, file: TerraformFile): KarpenterDocuments {
    const read = (attrName: string): { refs: TrustRef[]; complete: boolean } => {
      const attr = attribute(block, attrName);
      if (!attr) return { refs: [], complete: true };
      const { expr, file: f } = this.throughLocals(attr.value, file);
      if (expr.kind !== 'tuple') return { refs: [], complete: false };
      return { refs: expr.items.map((item, i) => this.trustFromExpression(item, f, `${owner}#${attrName}[${i}]`)), complete: true };
    };
    const sources = read('iam_role_source_assume_policy_documents');
    const overrides = read('iam_role_override_assume_policy_documents');
    return { sources: sources.refs, overrides: overrides.refs, complete: sources.complete && overrides.complete };
  }

  private karpenterInputs(block: Block, file: TerraformFile, documents: KarpenterDocuments): KarpenterInputs {
    const header = this.span(file, block.header);
    const nsAttr = attribute(block, 'namespace');
    const saAttr = attribute(block, 'service_account');
    const sourceAttr = attribute(block, 'iam_role_source_assume_policy_documents');
    return {
      cluster: this.clusterRef(attribute(block, 'cluster_name'), file),
      namespace: this.str(nsAttr, file) ?? { value: known('kube-system'), span: header },
      namespaceWritten: nsAttr !== undefined,
      serviceAccount: this.str(saAttr, file) ?? { value: known('karpenter'), span: header },
      serviceAccountWritten: saAttr !== undefined,
      createsRole: this.karpenterCreatesRole(block, file),
      assumePolicyDocuments: [...documents.sources, ...documents.overrides],
      assumePolicyDocumentsComplete: documents.complete,
      ...(sourceAttr ? { sourceDocumentsSpan: this.span(file, sourceAttr) } : {}),
    };
  }

  /** False when `create = false` or `create_iam_role = false`, true when neither is set to anything but true, else undefined (computed). */
  private karpenterCreatesRole(block: Block, file: TerraformFile): boolean | undefined {
    const flag = (v: DocValue | undefined): boolean | undefined => (v === undefined ? true : v.kind === 'boolean' ? v.value : undefined);
    const a = flag(this.value(attribute(block, 'create'), file));
    const b = flag(this.value(attribute(block, 'create_iam_role'), file));
    return a === false || b === false ? false : a === true && b === true ? true : undefined;
  }

  /**
   * Whether the karpenter submodule call's `iam_role_arn` output is its
   * controller role: from 20.0 (before, `iam_role_arn` was the node role's
   * and the controller's was `irsa_arn`), and unless the call is known not
   * to create it. Unknown versions count: they may be 20.x or later.
   */
  private karpenterHasControllerRole(block: Block, file: TerraformFile): boolean {
    return this.karpenterCreatesRole(block, file) !== false && admitsOnlyMajorAtLeast(this.literalVersion(block), 20) !== false;
  }

  private literalVersion(block: Block): string | undefined {
    const version = attribute(block, 'version');
    return version?.value.kind === 'literal' && typeof version.value.value === 'string' ? version.value.value : undefined;
  }

  /**
   * The karpenter submodule's controller role (20.x and 21.x):
   * `aws_iam_role.controller`, named `iam_role_name` (default
   * `KarpenterController`) plus a generated suffix unless
   * `iam_role_use_name_prefix = false`, and trusting what its
   * `data "aws_iam_policy_document" "controller_assume_role"` says:
   * - 21.x: EKS Pod Identity only (sid `PodIdentity`), merged with the
   *   documents passed in `iam_role_source_assume_policy_documents` and
   *   `iam_role_override_assume_policy_documents`;
   * - 20.x: Pod Identity unless `enable_pod_identity = false`, and with
   *   `enable_irsa = true` an IRSA statement built like terraform-aws-modules/iam's
   *   from `irsa_oidc_provider_arn`, `irsa_namespace_service_accounts`
   *   (default `["karpenter:karpenter"]`) and `irsa_assume_role_condition_test`
   *   (default `StringEquals`).
   * When the version constraint does not pin one of these majors, the role
   * is there (for the links) but its trust is unknown: no finding comes from a guess.
   */
  private karpenterRole(owner: string, block: Block, file: TerraformFile, documents: KarpenterDocuments): void {
    if (!this.karpenterHasControllerRole(block, file)) return;
    const header = this.span(file, block.header);
    const version = this.literalVersion(block);
    const major = admitsOnlyMajorAtLeast(version, 21) === true ? 21 : admitsOnlyMajorAtLeast(version, 20) === true && admitsOnlyMajorAtLeast(version, 21) === false ? 20 : undefined;
    const pathValue = this.str(attribute(block, 'iam_role_path'), file)?.value;
    const path = pathValue ? knownText(pathValue) : undefined;
    const role = (name: StrValue, trust: TrustRef): void => {
      this.out.roles.push({ id: owner, span: header, origin: 'karpenter-module', name, trust, arnExpression: moduleOutput(owner, 'iam_role_arn'), ...(path !== undefined ? { path } : {}) });
    };
    if (major === undefined) {
      const why = version === undefined ? 'the module call pins no version' : `\`version = "${version}"\` admits more than one of 20.x and 21.x`;
      role(unknown(`the controller role's name depends on the module version (${why})`), { kind: 'unknown', reason: `the karpenter submodule's controller trust depends on its version: ${why}` });
      return;
    }
    const base = this.str(attribute(block, 'iam_role_name'), file)?.value ?? known('KarpenterController');
    const prefixed = this.value(attribute(block, 'iam_role_use_name_prefix'), file);
    const name =
      prefixed?.kind === 'boolean' && !prefixed.value
        ? base
        : prefixed === undefined || prefixed.kind === 'boolean'
          ? concat(base, known('-'), unknown('suffix Terraform generates (iam_role_use_name_prefix)'))
          : unknown('iam_role_use_name_prefix is computed');
    if (this.karpenterCreatesRole(block, file) !== true) {
      role(name, { kind: 'unknown', reason: '`create` or `create_iam_role` is computed' });
      return;
    }
    const statements: TrustStatement[] = [];
    let complete = true;
    let moduleInputs: ModuleTrustInputs | undefined;
    const podIdentity = (): TrustStatement => ({
      span: header,
      sid: 'PodIdentity',
      effect: 'Allow',
      actions: [
        { value: known('sts:AssumeRole'), span: header },
        { value: known('sts:TagSession'), span: header },
      ],
      actionsComplete: true,
      principals: [{ type: 'Service', value: { value: known(POD_IDENTITY_SERVICE), span: header } }],
      principalsComplete: true,
      conditions: [],
      conditionsComplete: true,
    });
    if (major === 21) statements.push(podIdentity());
    else {
      const flag = (attrName: string, fallback: boolean): boolean | undefined => {
        const v = this.value(attribute(block, attrName), file);
        return v === undefined ? fallback : v.kind === 'boolean' ? v.value : undefined;
      };
      const pod = flag('enable_pod_identity', true);
      const irsa = flag('enable_irsa', false);
      if (pod === undefined || irsa === undefined) complete = false;
      if (pod === true) statements.push(podIdentity());
      if (irsa === true) {
        const arnAttr = attribute(block, 'irsa_oidc_provider_arn');
        const arnValue = this.value(arnAttr, file);
        const sasAttr = attribute(block, 'irsa_namespace_service_accounts');
        const sas = sasAttr ? this.list(sasAttr, file, new Map()) : { items: [{ value: known('karpenter:karpenter'), span: header }], complete: true };
        const test = this.str(attribute(block, 'irsa_assume_role_condition_test'), file) ?? { value: known('StringEquals'), span: header };
        const statement = arnValue ? this.irsaStatement(arnValue, sas, test, sasAttr ? this.span(file, sasAttr.value) : header) : undefined;
        if (statement) statements.push(statement);
        else complete = false;
        moduleInputs = { subjects: 'irsa_namespace_service_accounts', conditionTest: 'irsa_assume_role_condition_test' };
      }
      // 20.x has no assume-policy document inputs (Terraform rejects them): what the role trusts is then not known.
      if (documents.sources.length > 0 || documents.overrides.length > 0 || !documents.complete) complete = false;
    }
    const policyId = `${owner}#trust`;
    this.out.trustPolicies.push({ id: policyId, span: header, origin: 'iam-module', statements, complete, generated: true, ...(moduleInputs ? { moduleInputs } : {}) });
    const merges = major === 21 && (documents.sources.length > 0 || documents.overrides.length > 0 || !documents.complete);
    role(name, merges ? { kind: 'merged', policyId, sources: documents.sources, overrides: documents.overrides, complete: documents.complete } : { kind: 'policy', policyId });
  }

  /**
   * terraform-aws-modules/iam IRSA modules build, per `oidc_providers` entry,
   * one statement: Federated = provider_arn; `<issuer>:sub` with the
   * condition test (StringEquals by default) over
   * `system:serviceaccount:<ns:sa>`; `<issuer>:aud` = sts.amazonaws.com.
   */
  private irsaModule(owner: string, block: Block, file: TerraformFile, major: 5 | 6): void {
    const header = this.span(file, block.header);
    let name: StrValue;
    if (major === 6) {
      const n = this.str(attribute(block, 'name'), file)?.value ?? unknown('no name');
      const prefixed = this.value(attribute(block, 'use_name_prefix'), file);
      name = prefixed?.kind === 'boolean' && !prefixed.value ? n : concat(n, known('-'), unknown('suffix Terraform generates (use_name_prefix)'));
    } else {
      const n = this.str(attribute(block, 'role_name'), file)?.value;
      const prefix = this.str(attribute(block, 'role_name_prefix'), file)?.value;
      name = n ?? (prefix ? concat(prefix, unknown('suffix Terraform generates (role_name_prefix)')) : unknown('the module generates the role name'));
    }
    const testName = major === 6 ? 'trust_condition_test' : 'assume_role_condition_test';
    const test = this.str(attribute(block, testName), file) ?? { value: known('StringEquals'), span: header };
    const providersAttr = attribute(block, 'oidc_providers');
    const providers = this.value(providersAttr, file);
    const statements: TrustStatement[] = [];
    let complete = true;
    const pairs = providers ? iterate(providers) : [];
    if (!pairs) complete = false;
    for (const [, provider] of pairs ?? []) {
      const arnValue = member(provider, 'provider_arn');
      const statement = arnValue ? this.irsaStatement(arnValue, stringList(member(provider, 'namespace_service_accounts')), test, provider.span) : undefined;
      if (statement) statements.push(statement);
      else complete = false;
    }
    // Extra documents merged by the module are not read: whom the role admits is then not fully known.
    if (attribute(block, 'source_trust_policy_documents') || attribute(block, 'override_trust_policy_documents')) complete = false;
    const policyId = `${owner}#trust`;
    const moduleInputs = { subjects: 'namespace_service_accounts', conditionTest: testName };
    this.out.trustPolicies.push({ id: policyId, span: header, origin: 'iam-module', statements, complete, generated: true, moduleInputs });
    const arnExpression = moduleOutput(owner, major === 6 ? 'arn' : 'iam_role_arn');
    this.out.roles.push({ id: owner, span: header, origin: 'iam-module', name, trust: { kind: 'policy', policyId }, arnExpression });
  }

  /**
   * The statement terraform-aws-modules builds for IRSA from a provider ARN
   * and `<namespace>:<name>` entries (the iam IRSA modules per
   * `oidc_providers` entry, the eks karpenter submodule in 20.x): Federated
   * = the ARN; `<issuer>:sub` under the condition test over
   * `system:serviceaccount:<entry>`; `<issuer>:aud` = sts.amazonaws.com.
   * Undefined when the ARN or the condition test is computed.
   */
  private irsaStatement(arnValue: DocValue, subjects: { items: readonly LStr[]; complete: boolean }, test: LStr, span: Span): TrustStatement | undefined {
    const arn = scalarString(arnValue);
    const testText = knownText(test.value);
    if (!arn || testText === undefined) return undefined;
    const issuer = issuerFromProviderArn(arn);
    const keySpan = arnValue.span;
    const conditions: Condition[] = [
      {
        operator: { value: testText, span: test.span },
        key: { value: concat(issuer, known(':sub')), span: keySpan },
        values: subjects.items.map((s) => ({ value: concat(known('system:serviceaccount:'), s.value), span: s.span })),
        valuesComplete: subjects.complete,
      },
      { operator: { value: testText, span: test.span }, key: { value: concat(issuer, known(':aud')), span: keySpan }, values: [{ value: known(DEFAULT_AUDIENCE), span: keySpan }], valuesComplete: true },
    ];
    return {
      span,
      effect: 'Allow',
      actions: [{ value: known('sts:AssumeRoleWithWebIdentity'), span }],
      actionsComplete: true,
      principals: [{ type: 'Federated', value: { value: arn, span: arnValue.span } }],
      principalsComplete: true,
      conditions,
      conditionsComplete: true,
    };
  }

  /**
   * The older `iam-assumable-role-with-oidc`: `provider_url` (no scheme),
   * `oidc_fully_qualified_subjects` (StringEquals), `oidc_subjects_with_wildcards`
   * (StringLike), and an aud condition only with `oidc_fully_qualified_audiences`.
   */
  private assumableRoleWithOidc(owner: string, block: Block, file: TerraformFile): void {
    const header = this.span(file, block.header);
    const name = this.str(attribute(block, 'role_name'), file)?.value ?? unknown('the module generates the role name');
    const urlAttr = attribute(block, 'provider_url');
    const url = this.str(urlAttr, file);
    const policyId = `${owner}#trust`;
    const statements: TrustStatement[] = [];
    let complete = !!url;
    if (url) {
      // The module strips the scheme itself: `replace(url, "https://", "")`.
      const issuer = stripScheme(url.value, 'https://', true);
      const conditions: Condition[] = [];
      const exact = this.list(attribute(block, 'oidc_fully_qualified_subjects'), file, new Map());
      const wild = this.list(attribute(block, 'oidc_subjects_with_wildcards'), file, new Map());
      const auds = this.list(attribute(block, 'oidc_fully_qualified_audiences'), file, new Map());
      complete = exact.complete && wild.complete && auds.complete;
      if (exact.items.length) conditions.push({ operator: { value: 'StringEquals', span: header }, key: { value: concat(issuer, known(':sub')), span: url.span }, values: exact.items, valuesComplete: exact.complete });
      if (wild.items.length) conditions.push({ operator: { value: 'StringLike', span: header }, key: { value: concat(issuer, known(':sub')), span: url.span }, values: wild.items, valuesComplete: wild.complete });
      // The module tests audiences with StringLike (its `oidc_fully_qualified_audiences` condition block).
      if (auds.items.length) conditions.push({ operator: { value: 'StringLike', span: header }, key: { value: concat(issuer, known(':aud')), span: url.span }, values: auds.items, valuesComplete: auds.complete });
      const arn = concat(known('arn:aws:iam::'), unknown('account of the role'), known(':oidc-provider/'), issuer);
      statements.push({
        span: header,
        effect: 'Allow',
        actions: [{ value: known('sts:AssumeRoleWithWebIdentity'), span: header }],
        actionsComplete: true,
        principals: [{ type: 'Federated', value: { value: arn, span: url.span } }],
        principalsComplete: true,
        conditions,
        conditionsComplete: complete,
      });
    }
    // Not `generated`: the user spells the provider URL and subjects, so spelling rules apply.
    this.out.trustPolicies.push({ id: policyId, span: header, origin: 'iam-module', statements, complete, generated: false });
    this.out.roles.push({ id: owner, span: header, origin: 'iam-module', name, trust: { kind: 'policy', policyId }, arnExpression: moduleOutput(owner, 'iam_role_arn') });
  }
}

/** The documents passed to the karpenter submodule for its controller role's trust. */
interface KarpenterDocuments {
  readonly sources: readonly TrustRef[];
  readonly overrides: readonly TrustRef[];
  /** False when a list is computed. */
  readonly complete: boolean;
}

/** The service principal of EKS Pod Identity. */
const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';

const WORKLOAD_RESOURCES: ReadonlySet<string> = new Set(
  ['deployment', 'stateful_set', 'daemon_set', 'daemonset', 'replication_controller', 'job', 'cron_job', 'pod'].flatMap((k) => [`kubernetes_${k}`, `kubernetes_${k}_v1`]),
);

/** Whether an expression is a reference to `<address>.<attribute>` (`aws_launch_template.x.id`). */
function referencesAddress(expr: Expr, address: string): boolean {
  if (expr.kind !== 'traversal') return false;
  const names = [expr.root, ...expr.steps.map((s) => (s.kind === 'attr' ? s.name : ''))];
  return names.slice(0, 2).join('.') === address;
}

/** A string as written: a bare object key, a string literal, or a quoted string without interpolation. */
function literalString(expr: Expr): string | undefined {
  if (expr.kind === 'literal') return typeof expr.value === 'string' ? expr.value : undefined;
  if (expr.kind === 'template' && !expr.heredoc && expr.parts.every((p) => p.kind === 'text')) return expr.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  return undefined;
}

/** The value of the item of an object expression with this key (the last, should a key repeat). */
function objectItem(obj: Extract<Expr, { kind: 'object' }>, name: string): Expr | undefined {
  let found: Expr | undefined;
  for (const item of obj.items) if (literalString(item.key) === name) found = item.value;
  return found;
}

/** A module flag that is not written (its default, true) or written as the literal `true`. */
function absentOrTrue(expr: Expr | undefined): boolean {
  return expr === undefined || (expr.kind === 'literal' && expr.value === true);
}

/** A whole number written as a literal (`2`, or `"2"`, which Terraform converts); undefined for anything else. */
function literalInteger(expr: Expr): number | undefined {
  if (expr.kind === 'literal' && typeof expr.value === 'number' && Number.isInteger(expr.value)) return expr.value;
  const text = literalString(expr);
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The first block of each type down a path (`spec` → `template` → …). */
function descend(block: Block | undefined, ...types: string[]): Block | undefined {
  let current = block;
  for (const type of types) current = current ? childBlocks(current, type)[0] : undefined;
  return current;
}

/** `arn:aws:iam::1:oidc-provider/oidc.eks…/id/X` → `oidc.eks…/id/X`, known or as an issuer-host symbol. */
function issuerFromProviderArn(arn: StrValue): StrValue {
  const text = knownText(arn);
  if (text !== undefined) return known(text.replace(/^.*provider\//, ''));
  const first = arn.segments[0];
  if (arn.segments.length === 1 && first?.kind === 'symbol' && first.symbol === 'provider-arn') return symbol('issuer-host', first.owner, first.resolved?.replace(/^.*provider\//, ''));
  return unknown('issuer of a computed provider ARN');
}

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

/** `module.<name>.<output>` for the module call whose owner key is `owner` (`tf:<dir>#module.<name>`). */
function moduleOutput(owner: string, output: string): string {
  return `${owner.slice(owner.lastIndexOf('#') + 1)}.${output}`;
}
