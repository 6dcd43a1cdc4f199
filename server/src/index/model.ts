/**
 * The workspace model: every fact of the workspace plus the links between
 * them (ServiceAccount → role → trust policy → OIDC provider). Built from
 * per-file (and per-Terraform-module) facts; rebuilding it is linear in the
 * number of facts and does no parsing.
 */
import { known, knownPrefix, knownText, resolvedText, type StrValue } from '../common/value';
import { jsonTrustPolicyId } from '../facts/files';
import { AUDIENCE_ANNOTATION, DEFAULT_AUDIENCE } from '../facts/kubernetes';
import type { ClusterDeclaration, EksctlConfig, FargateProfile, Facts, LaunchTemplate, ModuleCall, OidcProvider, ParseProblem, PodIdentityAssociation, Role, ServiceAccount, TrustPolicy, TrustRef, TrustStatement, Workload } from '../facts/types';
import { gather, push, sameItems, type Gathered } from './gather';
import { classifyWebIdentity, hasAction, issuerHostOf, parseRoleArn, subjectOfServiceAccount, WEB_IDENTITY_ACTION, type StatementKind } from './irsa';
import { cachedApplyKustomize, cachedApplyKustomizeToWorkload, cachedKustomizeRewrites } from './kustomize';
import { RoleIndex, type RoleLink } from './roles';
import { applyTemplateBindings } from './templates';

export type { RoleLink } from './roles';

export interface EksStatement {
  readonly policy: TrustPolicy;
  readonly statement: TrustStatement;
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
    // Cached by identity (`kustomize.ts`): an edit that touches no kustomization and no workload keeps the
    // workload list, and every ServiceAccount it did not touch, the same objects as in the previous model.
    const kustomize = cachedKustomizeRewrites(all.kustomizations);
    const rendered = applyTemplateBindings(all.serviceAccounts, all.templateBindings);
    this.serviceAccounts = kustomize.size === 0 ? rendered : rendered.map((sa) => (sa.origin === 'yaml' ? cachedApplyKustomize(sa, kustomize.get(sa.span.uri)) : sa));
    this.workloads =
      kustomize.size === 0
        ? all.workloads
        : previous && previous.gathered.workloads === all.workloads && previous.gathered.kustomizations === all.kustomizations
          ? previous.workloads
          : all.workloads.map((w) => cachedApplyKustomizeToWorkload(w, kustomize.get(w.span.uri)));
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
    return providersByHost(this.oidcProviders).get(issuerHostOf(text));
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
   * `test/rules/sa-role-trust-mismatch/invalid-unknown-issuer.fixture`
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

const hostIndexes = new WeakMap<readonly OidcProvider[], ReadonlyMap<string, OidcProvider>>();

/** The providers by issuer host, the first of each host (as a scan in order finds it); once per provider list, which a model keeps while no provider changes. */
function providersByHost(providers: readonly OidcProvider[]): ReadonlyMap<string, OidcProvider> {
  let index = hostIndexes.get(providers);
  if (!index) {
    const byHost = new Map<string, OidcProvider>();
    for (const p of providers) {
      const url = resolvedText(p.url);
      if (url === undefined) continue;
      const host = issuerHostOf(url);
      if (!byHost.has(host)) byHost.set(host, p);
    }
    hostIndexes.set(providers, (index = byHost));
  }
  return index;
}
