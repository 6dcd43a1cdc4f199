/**
 * The workspace model: every fact of the workspace plus the links between
 * them (ServiceAccount → role → trust policy → OIDC provider). Built from
 * per-file (and per-Terraform-module) facts; rebuilding it is linear in the
 * number of facts and does no parsing.
 */
import type { Span } from '../common/text';
import { basenameUri } from '../common/uri';
import { known, knownPrefix, knownText, resolvedText, type StrValue } from '../common/value';
import { jsonTrustPolicyId, substitutePlaceholders } from '../facts/files';
import { AUDIENCE_ANNOTATION, DEFAULT_AUDIENCE } from '../facts/kubernetes';
import { emptyFacts, type CliRoleLink, type ClusterDeclaration, type EksctlConfig, type FargateProfile, type Facts, type FactsBuilder, type Kustomization, type LaunchTemplate, type Located, type LStr, type ModuleCall, type OidcProvider, type ParseProblem, type PodIdentityAssociation, type Role, type ServiceAccount, type TrustPolicy, type TrustRef, type TrustStatement, type Workload } from '../facts/types';
import { classifyWebIdentity, hasAction, issuerHostOf, parseRoleArn, subjectOfServiceAccount, WEB_IDENTITY_ACTION, type StatementKind } from './irsa';

export interface EksStatement {
  readonly policy: TrustPolicy;
  readonly statement: TrustStatement;
}

/** How a ServiceAccount found its role: by Terraform/eksctl reference (certain) or by name. */
export interface RoleLink {
  readonly role: Role;
  readonly by: 'reference' | 'name' | 'name-prefix';
}

export class WorkspaceModel {
  readonly trustPolicies: readonly TrustPolicy[];
  readonly roles: readonly Role[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly workloads: readonly Workload[];
  readonly oidcProviders: readonly OidcProvider[];
  readonly eksctlConfigs: readonly EksctlConfig[];
  readonly fargateProfiles: readonly FargateProfile[];
  readonly podIdentityAssociations: readonly PodIdentityAssociation[];
  readonly launchTemplates: readonly LaunchTemplate[];
  readonly moduleCalls: readonly ModuleCall[];
  /** Clusters the workspace names (see `ClusterDeclaration`). */
  readonly clusters: readonly ClusterDeclaration[];
  readonly problems: readonly ParseProblem[];

  /**
   * An object whose identity changes exactly when the roles, trust policies or
   * OIDC providers do: what derives from a ServiceAccount and those alone
   * (its role links and their trust) can be cached by it across models.
   */
  readonly linkEpoch: object;
  /** Every part's facts, concatenated per kind (before kustomize): the next model reuses the kinds no change touched. */
  private readonly gathered: Gathered;
  /** Roles, trust policies and their links: kept from the previous model when their inputs did not change. */
  private readonly index: RoleIndex;
  private readonly providerById = new Map<string, OidcProvider>();
  private readonly serviceAccountsOfRoleCache = new Map<string, ServiceAccount[]>();
  private statementKinds = new WeakMap<TrustStatement, StatementKind>();
  private eksStatementsOfPolicy = new WeakMap<TrustPolicy, readonly TrustStatement[]>();
  private possibleStatementsOfPolicy = new WeakMap<TrustPolicy, readonly TrustStatement[]>();
  private eksStatementList: readonly EksStatement[] | undefined;
  private statementList: readonly EksStatement[] | undefined;
  private audiences: ReadonlySet<string> | undefined;
  private subjects: { readonly known: ReadonlySet<string>; readonly partial: readonly ServiceAccount[] } | undefined;
  /** The previous model's audience set: reused when equal, so its identity marks "unchanged". */
  private readonly previousAudiences: ReadonlySet<string> | undefined;

  /**
   * `previous`: the model this one replaces. What derives from inputs that
   * did not change keeps its identity (the provider list, the audience set,
   * statement classification), so rules can cache by identity: see
   * `rules/support/memo.ts`. Only those values are kept, never the previous
   * model itself, so models do not chain.
   */
  constructor(parts: readonly Facts[], previous?: WorkspaceModel, changed?: readonly Facts[]) {
    const all = gather(parts, previous && changed ? { previous: previous.gathered, changed } : undefined);
    this.gathered = all;
    const kustomize = kustomizeRewrites(all.kustomizations);
    this.serviceAccounts = kustomize.size === 0 ? all.serviceAccounts : all.serviceAccounts.map((sa) => (sa.origin === 'yaml' ? applyKustomize(sa, kustomize.get(sa.span.uri)) : sa));
    this.workloads = kustomize.size === 0 ? all.workloads : all.workloads.map((w) => applyKustomizeToWorkload(w, kustomize.get(w.span.uri)));
    this.oidcProviders = previous && sameItems(previous.oidcProviders, all.oidcProviders) ? previous.oidcProviders : all.oidcProviders;
    this.previousAudiences = previous?.audiences;
    this.eksctlConfigs = all.eksctlConfigs;
    this.fargateProfiles = all.fargateProfiles;
    this.podIdentityAssociations = all.podIdentityAssociations;
    this.launchTemplates = all.launchTemplates;
    this.moduleCalls = all.moduleCalls;
    this.clusters = all.clusters;
    this.problems = all.problems;
    for (const p of this.oidcProviders) this.providerById.set(p.id, p);

    // An edit usually changes one file's facts. What derives from the facts
    // it did not touch keeps its identity: the role index when no policy,
    // role or script link changed; statement classification when no
    // provider changed. An edit to a ServiceAccount then re-links only it.
    const previousIndex = previous?.index;
    const sameIndex =
      previousIndex !== undefined &&
      sameItems(previousIndex.inputs.trustPolicies, all.trustPolicies) &&
      sameItems(previousIndex.inputs.roles, all.roles) &&
      sameItems(previousIndex.inputs.cliRoleLinks, all.cliRoleLinks);
    this.index = sameIndex ? previousIndex : new RoleIndex(all.trustPolicies, all.roles, all.cliRoleLinks);
    this.roles = this.index.roles;
    this.trustPolicies = this.index.trustPolicies;
    if (previous && previous.oidcProviders === this.oidcProviders) {
      this.statementKinds = previous.statementKinds;
      this.eksStatementsOfPolicy = previous.eksStatementsOfPolicy;
      this.possibleStatementsOfPolicy = previous.possibleStatementsOfPolicy;
      if (sameIndex) this.eksStatementList = previous.eksStatementList;
    }
    if (sameIndex) this.statementList = previous?.statementList;
    this.linkEpoch = previous && sameIndex && previous.oidcProviders === this.oidcProviders ? previous.linkEpoch : {};
  }

  isNamedByFile(role: Role): boolean {
    return this.index.fileRoles.has(role.id);
  }

  // ─── links ─────────────────────────────────────────────────────────────────

  trustPolicyOfRole(role: Role): TrustPolicy | undefined {
    return this.index.trustOfRole.get(role.id);
  }

  rolesOfTrustPolicy(policy: TrustPolicy): readonly Role[] {
    return this.index.rolesOfPolicy.get(policy.id) ?? [];
  }

  /**
   * The policy among `trustPolicies` that holds a statement of a role's
   * trust policy: the document a merged trust policy (the karpenter
   * controller role's) took it from, else the policy itself. Edits and
   * advice about the statement belong there.
   */
  policyHoldingStatement(policy: TrustPolicy, statement: TrustStatement): TrustPolicy {
    const parts = this.index.mergedParts.get(policy.id);
    return parts?.find((p) => p.statements.includes(statement)) ?? policy;
  }

  /** A trust policy by id (also one no role uses, such as a document passed to a module). */
  trustPolicy(id: string): TrustPolicy | undefined {
    return this.index.policyById.get(id);
  }

  /** The policy a trust reference names (a JSON file as read without variables); undefined when unknown or absent. */
  trustPolicyOfRef(ref: TrustRef): TrustPolicy | undefined {
    if (ref.kind === 'policy') return this.index.policyById.get(ref.policyId);
    if (ref.kind === 'file') return this.index.policyById.get(jsonTrustPolicyId(ref.uri));
    return undefined;
  }

  roleById(id: string): Role | undefined {
    return this.index.rolesById.get(id);
  }

  provider(id: string): OidcProvider | undefined {
    return this.providerById.get(id);
  }

  /**
   * The roles a ServiceAccount's role ARN can mean. By reference (a symbol
   * owned by the role) the link is certain; by name, every workspace role of
   * that name (and account, when known) is a candidate.
   */
  roleLinks(sa: ServiceAccount): readonly RoleLink[] {
    // By ServiceAccount object: facts are immutable, and an unchanged file keeps its objects across models.
    const cached = this.index.roleLinks.get(sa);
    if (cached) return cached;
    const links = this.computeRoleLinks(sa.roleArn?.value);
    this.index.roleLinks.set(sa, links);
    return links;
  }

  roleLinksForArn(arn: StrValue): readonly RoleLink[] {
    return this.computeRoleLinks(arn);
  }

  private computeRoleLinks(arn: StrValue | undefined): RoleLink[] {
    if (!arn) return [];
    const first = arn.segments[0];
    if (arn.segments.length === 1 && first?.kind === 'symbol' && first.symbol === 'role-arn') {
      const role = this.index.rolesById.get(first.owner);
      return role ? [{ role, by: 'reference' }] : [];
    }
    const text = knownText(arn);
    const parsed = text !== undefined ? parseRoleArn(text) : undefined;
    if (!parsed) return [];
    const exact = (this.index.rolesByName.get(parsed.name) ?? []).filter((r) => r.accountId === undefined || r.accountId === parsed.account);
    if (exact.length > 0) return exact.map((role) => ({ role, by: 'name' as const }));
    // name_prefix / use_name_prefix: the ARN carries the generated name.
    const prefixed: RoleLink[] = [];
    for (const role of this.roles) {
      if (knownText(role.name) !== undefined) continue;
      const prefix = knownPrefix(role.name);
      if (prefix.length >= 3 && parsed.name.startsWith(prefix) && role.name.segments.length === 2) prefixed.push({ role, by: 'name-prefix' });
    }
    return prefixed;
  }

  serviceAccountsOfRole(role: Role): readonly ServiceAccount[] {
    if (this.serviceAccountsOfRoleCache.size === 0) {
      for (const sa of this.serviceAccounts) for (const link of this.roleLinks(sa)) push(this.serviceAccountsOfRoleCache, link.role.id, sa);
      this.serviceAccountsOfRoleCache.set('', []);
    }
    return this.serviceAccountsOfRoleCache.get(role.id) ?? [];
  }

  /** The OIDC provider a Federated principal names: by symbol, or by issuer host for known ARNs. */
  providerForPrincipal(value: StrValue): OidcProvider | undefined {
    const first = value.segments[0];
    if (value.segments.length === 1 && first?.kind === 'symbol' && first.symbol === 'provider-arn') return this.providerById.get(first.owner);
    const text = resolvedText(value);
    if (text === undefined) return undefined;
    const host = issuerHostOf(text);
    return this.oidcProviders.find((p) => {
      const url = resolvedText(p.url);
      return url !== undefined && issuerHostOf(url) === host;
    });
  }

  /** The URL of the provider that owns a symbol, when the provider is in the workspace. */
  providerUrl(owner: string): StrValue | undefined {
    return this.providerById.get(owner)?.url;
  }

  statementKind(statement: TrustStatement): StatementKind {
    let kind = this.statementKinds.get(statement);
    if (kind === undefined) {
      kind = classifyWebIdentity(statement, (owner) => this.providerUrl(owner));
      this.statementKinds.set(statement, kind);
    }
    return kind;
  }

  /**
   * Whether the statement is meant for EKS web identity: an Allow whose
   * principal is Federated or whose actions may include
   * `sts:AssumeRoleWithWebIdentity`, for an EKS issuer. `true` when the
   * issuer is certainly an EKS cluster's; `undefined` when it is not known
   * (a provider ARN from a variable or a data source); `false` otherwise,
   * other OIDC issuers (GitHub Actions, …) included.
   *
   * This is the one definition. Rules that judge a statement on its own (a
   * missing `:sub`, a key with `https://`) take the certain ones
   * (`eksWebIdentityStatements`): a statement of unknown issuer may be
   * another CI's. What follows a ServiceAccount to its role takes the
   * uncertain ones too (`possibleWebIdentityStatements`): the statement of
   * unknown issuer is most likely that role's cluster's, and the question is
   * whether any statement admits the ServiceAccount.
   * `test/fixtures/rules/sa-role-trust-mismatch/invalid-unknown-issuer.fixture`
   * and `trust-missing-sub/valid-unknown-issuer.fixture` pin this.
   */
  webIdentity(statement: TrustStatement): boolean | undefined {
    if (statement.effect !== 'Allow') return false;
    if (!statement.principals.some((p) => p.type === 'Federated') && hasAction(statement, WEB_IDENTITY_ACTION) === false) return false;
    const kind = this.statementKind(statement);
    return kind === 'eks' ? true : kind === 'other-oidc' ? false : undefined;
  }

  /** The policy's statements meant for EKS web identity, certainly (`webIdentity` is true). */
  eksWebIdentityStatements(policy: TrustPolicy): readonly TrustStatement[] {
    let list = this.eksStatementsOfPolicy.get(policy);
    if (!list) {
      list = policy.statements.filter((s) => this.webIdentity(s) === true);
      this.eksStatementsOfPolicy.set(policy, list);
    }
    return list;
  }

  /**
   * The statements an EKS ServiceAccount's token may come in by: those
   * `webIdentity` does not rule out that STS can use for web identity at
   * all (a Federated principal, and actions that do not exclude
   * `sts:AssumeRoleWithWebIdentity`).
   */
  possibleWebIdentityStatements(policy: TrustPolicy): readonly TrustStatement[] {
    let list = this.possibleStatementsOfPolicy.get(policy);
    if (!list) {
      list = policy.statements.filter((s) => this.webIdentity(s) !== false && s.principals.some((p) => p.type === 'Federated') && hasAction(s, WEB_IDENTITY_ACTION) !== false);
      this.possibleStatementsOfPolicy.set(policy, list);
    }
    return list;
  }

  /** Every statement of every trust policy, with its policy. */
  allStatements(): readonly EksStatement[] {
    this.statementList ??= this.trustPolicies.flatMap((policy) => policy.statements.map((statement) => ({ policy, statement })));
    return this.statementList;
  }

  /** Every EKS web-identity statement of the workspace, with its policy. */
  allEksWebIdentityStatements(): readonly EksStatement[] {
    this.eksStatementList ??= this.trustPolicies.flatMap((policy) => this.eksWebIdentityStatements(policy).map((statement) => ({ policy, statement })));
    return this.eksStatementList;
  }

  /**
   * Audiences tokens in this workspace can carry: the webhook's default,
   * every `eks.amazonaws.com/audience` annotation, and every provider client id.
   */
  audiencesInUse(): ReadonlySet<string> {
    if (this.audiences) return this.audiences;
    const set = new Set<string>([DEFAULT_AUDIENCE]);
    for (const sa of this.serviceAccounts) {
      const a = sa.annotations.find((x) => x.key.value === AUDIENCE_ANNOTATION);
      const t = a ? knownText(a.value.value) : undefined;
      if (t !== undefined) set.add(t);
    }
    for (const p of this.oidcProviders) for (const c of p.clientIds) {
      const t = knownText(c.value);
      if (t !== undefined) set.add(t);
    }
    const previous = this.previousAudiences;
    this.audiences = previous && previous.size === set.size && [...set].every((a) => previous.has(a)) ? previous : set;
    return this.audiences;
  }

  /**
   * The subjects (`system:serviceaccount:<ns>:<name>`) of every ServiceAccount
   * whose namespace and name are known, and the ServiceAccounts for which
   * either is computed (they could be any subject).
   */
  serviceAccountSubjects(): { readonly known: ReadonlySet<string>; readonly partial: readonly ServiceAccount[] } {
    if (this.subjects) return this.subjects;
    const known = new Set<string>();
    const partial: ServiceAccount[] = [];
    for (const sa of this.serviceAccounts) {
      const subject = subjectOfServiceAccount(sa);
      if (subject !== undefined) known.add(subject);
      else partial.push(sa);
    }
    this.subjects = { known, partial };
    return this.subjects;
  }

  /** The audience a ServiceAccount's tokens carry, and where it is written (absent: the default). */
  audienceOf(sa: ServiceAccount): { value: StrValue; annotation?: ServiceAccount['annotations'][number] } {
    const annotation = sa.annotations.find((x) => x.key.value === AUDIENCE_ANNOTATION);
    return annotation ? { value: annotation.value.value, annotation } : { value: known(DEFAULT_AUDIENCE) };
  }
}

// ─── Roles and trust policies ────────────────────────────────────────────────

/** Roles and their trust policies, linked; immutable once built, except for its lazily filled caches. */
class RoleIndex {
  readonly policyById = new Map<string, TrustPolicy>();
  readonly rolesById = new Map<string, Role>();
  readonly rolesByName = new Map<string, Role[]>();
  readonly trustOfRole = new Map<string, TrustPolicy>();
  readonly rolesOfPolicy = new Map<string, Role[]>();
  /** Roles whose name comes from a JSON file's name rather than from configuration. */
  readonly fileRoles = new Set<string>();
  /** The policies a merged trust policy (not itself among `trustPolicies`) is made of, by its id. */
  readonly mergedParts = new Map<string, readonly TrustPolicy[]>();
  readonly roles: readonly Role[];
  readonly trustPolicies: readonly TrustPolicy[];
  /** ServiceAccount → the roles its ARN can mean; valid as long as the roles are. */
  readonly roleLinks = new WeakMap<ServiceAccount, readonly RoleLink[]>();
  /** What it was built from, to tell whether the next model can keep it. */
  readonly inputs: { readonly trustPolicies: readonly TrustPolicy[]; readonly roles: readonly Role[]; readonly cliRoleLinks: readonly CliRoleLink[] };

  constructor(
    allPolicies: readonly TrustPolicy[],
    declaredRoles: readonly Role[],
    cliRoleLinks: readonly CliRoleLink[],
  ) {
    this.inputs = { trustPolicies: allPolicies, roles: declaredRoles, cliRoleLinks };
    for (const p of allPolicies) this.policyById.set(p.id, p);
    // Roles → trust policies. A JSON file read by templatefile() is analysed
    // with the role's variables; the raw file (placeholders unknown) is then
    // not analysed a second time.
    const substituted: TrustPolicy[] = [];
    const readWithVars = new Set<string>();
    const readAsIs = new Set<string>();
    const roles: Role[] = [...declaredRoles];
    const resolve = (ref: TrustRef, substitutedId: string): TrustPolicy | undefined => {
      if (ref.kind === 'policy') return this.policyById.get(ref.policyId);
      if (ref.kind !== 'file') return undefined;
      const raw = this.policyById.get(jsonTrustPolicyId(ref.uri));
      if (raw && ref.vars && ref.vars.size > 0) {
        const policy = substitutePlaceholders(raw, ref.vars, substitutedId);
        readWithVars.add(raw.id);
        substituted.push(policy);
        this.policyById.set(policy.id, policy);
        return policy;
      }
      if (raw) readAsIs.add(raw.id);
      return raw;
    };
    for (const role of declaredRoles) {
      if (role.trust.kind === 'merged') {
        const { trust } = role;
        const own = this.policyById.get(trust.policyId);
        const sources = trust.sources.map((ref, i) => resolve(ref, `${role.id}#source[${i}]`));
        const overrides = trust.overrides.map((ref, i) => resolve(ref, `${role.id}#override[${i}]`));
        const parts = [own, ...sources, ...overrides].filter((p): p is TrustPolicy => p !== undefined);
        const policy = mergedTrustPolicy(`${role.id}#merged-trust`, own?.span ?? role.span, own, sources, overrides, trust.complete);
        this.policyById.set(policy.id, policy);
        this.mergedParts.set(policy.id, parts);
        this.link(role, policy);
        // Each document is this role's trust too: a rule or a fix on a document sees the role.
        for (const part of parts) push(this.rolesOfPolicy, part.id, role);
        continue;
      }
      const policy = resolve(role.trust, `${role.id}#file`);
      if (policy) this.link(role, policy);
    }
    // A JSON trust policy no Terraform reads: the role is created elsewhere.
    // A script's `aws iam create-role --role-name X --assume-role-policy-document
    // file://…` names it; failing that, the file name does, by convention.
    const cliLinks = new Map<string, CliRoleLink[]>();
    for (const link of cliRoleLinks) push(cliLinks, link.policyUri, link);
    for (const policy of allPolicies) {
      if (policy.origin !== 'json-file' || this.rolesOfPolicy.has(policy.id) || readWithVars.has(policy.id)) continue;
      const links = cliLinks.get(policy.span.uri);
      if (links) {
        for (const link of links) {
          const role = cliRole(link, policy);
          roles.push(role);
          this.link(role, policy);
        }
        continue;
      }
      const role = fileRole(policy);
      roles.push(role);
      this.fileRoles.add(role.id);
      this.link(role, policy);
    }
    this.roles = roles;
    for (const role of roles) {
      this.rolesById.set(role.id, role);
      const name = knownText(role.name);
      if (name !== undefined) push(this.rolesByName, name, role);
    }
    this.trustPolicies = [...allPolicies.filter((p) => readAsIs.has(p.id) || !readWithVars.has(p.id)), ...substituted];
  }

  private link(role: Role, policy: TrustPolicy): void {
    this.trustOfRole.set(role.id, policy);
    push(this.rolesOfPolicy, policy.id, role);
  }
}

// ─── Kustomize ───────────────────────────────────────────────────────────────

/** How kustomize rewrites the objects of one file, over every root kustomization that includes it. */
interface Rewrite {
  /** One entry per way the file is applied: the namespace imposed, or undefined for "its own". */
  readonly namespaces: readonly (Located<string> | undefined)[];
  readonly prefix: string;
  readonly suffix: string;
  /** False when different roots rename differently: the name is then not known. */
  readonly namesAgree: boolean;
}

/**
 * Walks every root kustomization (one no other kustomization includes) down
 * through its resources. The outermost `namespace:` on the way wins, as in
 * kustomize; name prefixes and suffixes accumulate.
 */
function kustomizeRewrites(kustomizations: readonly Kustomization[]): Map<string, Rewrite> {
  const byDir = new Map<string, Kustomization>();
  for (const k of kustomizations) byDir.set(k.dirUri, k);
  const included = new Set<string>();
  for (const k of kustomizations) for (const r of k.resources) if (byDir.has(r)) included.add(r);
  const seen = new Map<string, { namespaces: (Located<string> | undefined)[]; names: Set<string>; prefix: string; suffix: string }>();
  const visit = (k: Kustomization, namespace: Located<string> | undefined, prefix: string, suffix: string, depth: number, path: Set<string>): void => {
    if (depth > 20 || path.has(k.dirUri)) return;
    path.add(k.dirUri);
    const ns = namespace ?? k.namespace;
    const p = (k.namePrefix?.value ?? '') + prefix;
    const x = suffix + (k.nameSuffix?.value ?? '');
    for (const resource of k.resources) {
      const inner = byDir.get(resource);
      if (inner) visit(inner, ns, p, x, depth + 1, path);
      else {
        const entry = seen.get(resource) ?? { namespaces: [], names: new Set<string>(), prefix: p, suffix: x };
        entry.namespaces.push(ns);
        entry.names.add(`${p}\0${x}`);
        seen.set(resource, entry);
      }
    }
    path.delete(k.dirUri);
  };
  for (const k of kustomizations) if (!included.has(k.dirUri)) visit(k, undefined, '', '', 0, new Set());
  const out = new Map<string, Rewrite>();
  for (const [uri, e] of seen) out.set(uri, { namespaces: e.namespaces, prefix: e.prefix, suffix: e.suffix, namesAgree: e.names.size === 1 });
  return out;
}

function rewriteNamespace(namespace: LStr, rewrite: Rewrite): { value: LStr; changed: boolean } {
  const imposed = rewrite.namespaces;
  const distinct = new Set(imposed.map((n) => n?.value ?? '\0own'));
  if (distinct.size > 1) {
    return { value: { value: { segments: [{ kind: 'unknown', reason: `kustomize applies it in several namespaces (${[...distinct].map((d) => (d === '\0own' ? 'its own' : d)).join(', ')})` }] }, span: namespace.span }, changed: true };
  }
  const only = imposed[0];
  return only ? { value: { value: known(only.value), span: only.span }, changed: true } : { value: namespace, changed: false };
}

function rewriteName(name: LStr, rewrite: Rewrite): LStr {
  if (!rewrite.namesAgree) return { value: { segments: [{ kind: 'unknown', reason: 'kustomize renames it differently in different overlays' }] }, span: name.span };
  if (rewrite.prefix === '' && rewrite.suffix === '') return name;
  const text = knownText(name.value);
  return text === undefined ? name : { value: known(rewrite.prefix + text + rewrite.suffix), span: name.span };
}

function applyKustomize(sa: ServiceAccount, rewrite: Rewrite | undefined): ServiceAccount {
  if (!rewrite) return sa;
  const namespace = rewriteNamespace(sa.namespace, rewrite);
  return { ...sa, namespace: namespace.value, namespaceDefaulted: sa.namespaceDefaulted && !namespace.changed, name: rewriteName(sa.name, rewrite) };
}

function applyKustomizeToWorkload(w: Workload, rewrite: Rewrite | undefined): Workload {
  if (!rewrite) return w;
  // kustomize renames the ServiceAccount a workload refers to along with the ServiceAccount.
  const serviceAccountName = w.serviceAccountName ? rewriteName(w.serviceAccountName, rewrite) : undefined;
  return { ...w, namespace: rewriteNamespace(w.namespace, rewrite).value, name: rewriteName(w.name, rewrite), ...(serviceAccountName ? { serviceAccountName } : {}) };
}

/**
 * Roles the model makes up for JSON trust files (named by a script's
 * `aws iam create-role`, or by the file name) are cached by the fact they
 * come from, so that an unchanged file yields the very same Role object.
 */
const cliRoles = new WeakMap<CliRoleLink, Role>();
const fileRoles = new WeakMap<TrustPolicy, Role>();

function cliRole(link: CliRoleLink, policy: TrustPolicy): Role {
  let role = cliRoles.get(link);
  if (!role || (role.trust.kind === 'policy' && role.trust.policyId !== policy.id)) {
    role = { id: `cli-role:${link.span.uri}#${link.span.range.start.line}`, span: link.span, origin: 'terraform', name: known(link.roleName), trust: { kind: 'policy', policyId: policy.id } };
    cliRoles.set(link, role);
  }
  return role;
}

function fileRole(policy: TrustPolicy): Role {
  let role = fileRoles.get(policy);
  if (!role) {
    const name = roleNameFromFileName(basenameUri(policy.span.uri));
    role = {
      id: `file-role:${policy.span.uri}`,
      span: policy.span,
      origin: 'terraform',
      name: name ? known(name) : { segments: [{ kind: 'unknown', reason: 'role created outside the workspace' }] },
      trust: { kind: 'policy', policyId: policy.id },
    };
    fileRoles.set(policy, role);
  }
  return role;
}

/**
 * A module's own trust policy merged with the documents it is passed, as
 * `aws_iam_policy_document` merges them: the source documents' statements,
 * then its own (replacing a source statement of the same `Sid`), then the
 * override documents' (replacing any statement of the same `Sid`). The
 * statements keep their identity and spans, so findings and edits land in
 * the document that holds them. Complete only when every document is known
 * and complete.
 */
function mergedTrustPolicy(id: string, span: Span, own: TrustPolicy | undefined, sources: readonly (TrustPolicy | undefined)[], overrides: readonly (TrustPolicy | undefined)[], listsComplete: boolean): TrustPolicy {
  const statements: TrustStatement[] = [];
  const add = (statement: TrustStatement, replace: boolean): void => {
    const at = replace && statement.sid !== undefined && statement.sid !== '' ? statements.findIndex((s) => s.sid === statement.sid) : -1;
    if (at >= 0) statements[at] = statement;
    else statements.push(statement);
  };
  for (const p of sources) for (const s of p?.statements ?? []) add(s, false);
  for (const s of own?.statements ?? []) add(s, true);
  for (const p of overrides) for (const s of p?.statements ?? []) add(s, true);
  const all = [own, ...sources, ...overrides];
  const complete = listsComplete && all.every((p) => p !== undefined && p.complete);
  return { id, span, origin: 'iam-module', statements, complete, generated: true };
}

type Gathered = FactsBuilder;

/**
 * Concatenates every part's facts, per kind. (Most parts hold nothing of
 * most kinds; `flatMap` per kind over ten thousand parts was the largest
 * cost of a model rebuild.) With `since`, a kind that no changed part (old
 * or new facts) holds is the previous model's array, unchanged in content
 * and order, and keeps its identity: only the touched kinds are gathered.
 */
function gather(parts: readonly Facts[], since?: { readonly previous: Gathered; readonly changed: readonly Facts[] }): Gathered {
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

const FACT_KINDS: readonly (keyof Facts)[] = [
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
  'problems',
];

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * `s3-reader.json`, `s3-reader-trust.json`, `s3-reader.trust-policy.json` →
 * `s3-reader`. Only IAM role-name characters survive.
 */
export function roleNameFromFileName(fileName: string): string | undefined {
  const stem = fileName
    .replace(/\.json$/i, '')
    .replace(/[-_.](trust|assume)([-_.]?(role))?([-_.]?(policy|document|doc))?$/i, '')
    .replace(/[-_.]trust[-_.]?relationship$/i, '');
  return /^[\w+=,.@-]{1,64}$/.test(stem) ? stem : undefined;
}
