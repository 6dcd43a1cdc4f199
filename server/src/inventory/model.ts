/**
 * The inventory of a workspace model: one row per ServiceAccount ↔ role
 * link with its trust verdict, the IRSA roles no ServiceAccount carries, and
 * the ServiceAccounts that carry none. Pure: the model (and, when given,
 * live facts) in, data out (`shared/inventory.ts`).
 *
 * Verdicts come from the domain layer the rules use, never from a second
 * definition: `trustVerdict` (`sa-role-trust-mismatch`; an admission by a
 * pattern or without a `sub` condition is what `trust-sub-wildcard` and
 * `trust-missing-sub` report), `sharedRoleGroups` (`sa-shared-role`) and
 * `pinnedSubjects` (`trust-shared-role`).
 */
import type { Span } from '../common/text';
import { display, displayOwner, knownText, resolvedText, sourceText, type StrValue } from '../common/value';
import type { Role, ServiceAccount, TrustStatement } from '../facts/types';
import { nameLabel, namespaceLabel } from '../index/describe';
import { claimValues, conditionKeyProblem, conditionsForClaim, federatedPrincipals, globMatch, hasWildcard, issuerHostOf, parseRoleArn, splitConditionKey, subjectOf, subjectOfServiceAccount } from '../index/irsa';
import { trustVerdict } from '../index/links';
import type { RoleLink, WorkspaceModel } from '../index/model';
import { pinnedSubjects, sharedRoleGroups } from '../index/shared-roles';
import type { LiveFacts } from '../live/types';
import { INVENTORY_VERSION, type Inventory, type InventoryRow, type InventoryServiceAccount, type InventoryStatement, type InventoryUnusedRole, type InventoryVerdict } from '../../../shared/inventory';
import { liveJoin } from './live';

export function buildInventory(model: WorkspaceModel, live?: LiveFacts): Inventory {
  const shared = new Set<ServiceAccount>();
  for (const group of sharedRoleGroups(model)) for (const member of group) shared.add(member.sa);
  const join = liveJoin(model, live);

  const rows: InventoryRow[] = [];
  const withoutRole: InventoryServiceAccount[] = [];
  const podIdentity = podIdentitySubjects(model);
  for (const sa of model.serviceAccounts) {
    const arn = sa.roleArn?.value;
    if (!arn || knownText(arn) === '') {
      const subject = subjectOfServiceAccount(sa);
      const liveInfo = join.forServiceAccount(sa, undefined, '');
      withoutRole.push({
        namespace: namespaceLabel(sa),
        serviceAccount: nameLabel(sa),
        podIdentity: subject !== undefined && podIdentity.has(subject),
        location: sa.span,
        ...(liveInfo ? { live: liveInfo } : {}),
      });
      continue;
    }
    const links = model.roleLinks(sa);
    if (links.length === 0) {
      rows.push(outsideRow(sa, arn, join));
      continue;
    }
    for (const link of links) rows.push(linkedRow(model, sa, arn, link, shared, join));
  }

  const unusedRoles: InventoryUnusedRole[] = [];
  for (const role of model.roles) {
    if (model.serviceAccountsOfRole(role).length > 0) continue;
    const policy = model.trustPolicyOfRole(role);
    // Only roles meant for ServiceAccounts: a node role or a CI role is not IRSA's business.
    const statements = policy ? model.possibleWebIdentityStatements(policy) : [];
    if (!policy || statements.length === 0) continue;
    const subjects = statements.flatMap((s) => s.conditions.filter((c) => splitConditionKey(c.key.value)?.claim === 'sub').flatMap((c) => c.values.map((v) => display(v.value))));
    const liveInfo = join.forRole(role, undefined);
    unusedRoles.push({
      role: roleName(role),
      cluster: clusterOf(model, statements[0]),
      subjects: [...new Set(subjects)],
      location: role.span,
      statements: statementsOf(model, statements),
      ...(liveInfo ? { live: liveInfo } : {}),
    });
  }

  return {
    version: INVENTORY_VERSION,
    rows: rows.sort(byPlace),
    unusedRoles: unusedRoles.sort((a, b) => a.role.localeCompare(b.role)),
    serviceAccountsWithoutRole: withoutRole.sort(byPlace),
    ...(join.liveOnly ? { liveOnly: join.liveOnly } : {}),
  };
}

/** By namespace and name, then by where the ServiceAccount is written: the same order for the CLI and the server, whatever order the files were read in. */
function byPlace(a: Placed, b: Placed): number {
  return a.namespace.localeCompare(b.namespace) || a.serviceAccount.localeCompare(b.serviceAccount) || compareLocations(locationOf(a), locationOf(b)) || roleOf(a).localeCompare(roleOf(b));
}

function roleOf(p: Placed): string {
  return 'role' in p ? p.role : '';
}

type Placed = { readonly namespace: string; readonly serviceAccount: string } & ({ readonly serviceAccountLocation: Span; readonly role: string } | { readonly location: Span });

function locationOf(p: Placed): Span {
  return 'serviceAccountLocation' in p ? p.serviceAccountLocation : p.location;
}

function compareLocations(a: Span, b: Span): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** A ServiceAccount whose ARN names no role of the workspace. */
function outsideRow(sa: ServiceAccount, arn: StrValue, join: ReturnType<typeof liveJoin>): InventoryRow {
  const text = knownText(arn);
  const parsed = text !== undefined ? parseRoleArn(text) : undefined;
  const why =
    text === undefined
      ? `The role ARN is computed (${display(arn)}): which role it names is not known.`
      : parsed
        ? `Role \`${parsed.name}\` is not declared in the workspace: its trust policy cannot be read here.`
        : `\`${text}\` is not of the form \`arn:aws:iam::<12-digit account>:role/<name>\`: which role it names is not known.`;
  const liveInfo = join.forServiceAccount(sa, undefined, '');
  return {
    namespace: namespaceLabel(sa),
    serviceAccount: nameLabel(sa),
    role: parsed?.name ?? display(arn),
    roleArn: display(arn),
    cluster: '',
    verdict: 'unknown',
    why,
    serviceAccountLocation: sa.span,
    statements: [],
    ...(liveInfo ? { live: liveInfo } : {}),
  };
}

function linkedRow(model: WorkspaceModel, sa: ServiceAccount, arn: StrValue, link: RoleLink, shared: ReadonlySet<ServiceAccount>, join: ReturnType<typeof liveJoin>): InventoryRow {
  const { role } = link;
  const policy = model.trustPolicyOfRole(role);
  const statements = policy ? model.possibleWebIdentityStatements(policy) : [];
  const verdict = trustVerdict(model, role, sa);
  let kind: InventoryVerdict;
  let why: string;
  let trust: Span | undefined = policy?.span;
  if (verdict.kind === 'rejects') {
    kind = 'mismatch';
    why = `The trust policy does not admit \`${subjectOfServiceAccount(sa) ?? ''}\`: STS refuses its tokens (AccessDenied).`;
  } else if (verdict.kind === 'unknown') {
    kind = 'unknown';
    why = `Cannot tell whether the trust admits it: ${verdict.why}.`;
  } else {
    // The statement's span is in the document that holds it (for a merged policy, the part it came from).
    trust = verdict.statement.span;
    // The statement admits the subject as written, but a key that carries `https://` never matches at STS.
    const keyProblem = keyProblemOf(verdict.statement);
    if (keyProblem !== undefined) {
      kind = 'mismatch';
      why = `The trust's condition key ${keyProblem}: IAM rejects the policy or STS never matches it (AccessDenied).`;
    } else if (!verdict.exact) {
      kind = 'wildcard';
      why = wildcardWhy(verdict.statement, subjectOfServiceAccount(sa)!);
    } else if (shared.has(sa) || (model.webIdentity(verdict.statement) === true && pinnedSubjects(verdict.statement).length >= 2)) {
      kind = 'shared';
      why = shared.has(sa) ? 'Admitted, but other ServiceAccounts carry the same role.' : 'Admitted, but the same trust statement admits other ServiceAccounts too.';
    } else {
      kind = 'sound';
      why = 'The trust admits exactly this ServiceAccount.';
    }
  }
  const cluster = clusterOf(model, verdict.kind === 'admits' ? verdict.statement : statements[0]);
  const liveInfo = join.forServiceAccount(sa, role, cluster);
  return {
    namespace: namespaceLabel(sa),
    serviceAccount: nameLabel(sa),
    role: roleName(role),
    roleArn: display(arn),
    cluster,
    verdict: kind,
    why,
    serviceAccountLocation: sa.span,
    roleLocation: role.span,
    ...(trust ? { trustLocation: trust } : {}),
    statements: policy ? statementsOf(model, statements) : [],
    ...(liveInfo ? { live: liveInfo } : {}),
  };
}

/** Which pattern lets the ServiceAccount in, or that no `sub` condition restricts the statement. */
function wildcardWhy(statement: TrustStatement, subject: string): string {
  const pattern = claimValues(statement, 'sub').find((v) => v.semantics === 'like' && hasWildcard(v.value) && globMatch(v.value, subject));
  if (pattern) return `Admitted by the pattern \`${pattern.value}\` (${pattern.condition.operator.value}): every ServiceAccount it matches can assume the role.`;
  if (conditionsForClaim(statement, 'sub').length === 0) return 'The trust statement has no sub condition: every ServiceAccount of the cluster can assume the role.';
  return 'Admitted by a pattern, not by its exact subject: other ServiceAccounts can assume the role too.';
}

/**
 * The role's name, else the Terraform address with the expression of its
 * name, where a part no source spells (the suffix `name_prefix` generates)
 * is `…`: a table column stays readable. A name with no known or written
 * part at all is left out.
 */
export function roleName(role: Role): string {
  const name = knownText(role.name);
  if (name !== undefined) return name;
  const address = displayOwner(role.id);
  const parts = role.name.segments.map((s) => (s.kind === 'unknown' && sourceText({ segments: [s] }) === undefined ? undefined : display({ segments: [s] })));
  if (parts.every((p) => p === undefined)) return address;
  return `${address} (name ${parts.map((p) => p ?? '…').join('')})`;
}

/**
 * The cluster a statement is for: the cluster the workspace declares for its
 * OIDC provider (by Terraform owner; its address when the name is
 * computed), else the issuer host, else the principal as written. Empty
 * without a statement.
 */
export function clusterOf(model: WorkspaceModel, statement: TrustStatement | undefined): string {
  const principal = statement ? federatedPrincipals(statement)[0] : undefined;
  if (!principal) return '';
  const value = principal.value.value;
  const first = value.segments[0];
  if (value.segments.length === 1 && first?.kind === 'symbol') {
    const cluster = model.clusters.find((c) => c.owner === first.owner);
    // A cluster whose name is computed reads as its address (`module.eks`): shorter than the provider ARN's expression.
    if (cluster) return knownText(cluster.name) ?? displayOwner(cluster.owner);
    // An OIDC provider resource whose URL is computed reads as its address too.
    const url = model.provider(first.owner)?.url;
    const resolved = url ? resolvedText(url) : undefined;
    if (first.symbol === 'provider-arn' && url) return resolved !== undefined ? issuerHostOf(resolved) : displayOwner(first.owner);
  }
  const provider = model.providerForPrincipal(value);
  const url = provider ? resolvedText(provider.url) : resolvedText(value);
  if (url !== undefined) return issuerHostOf(url);
  return display(value);
}

function statementsOf(model: WorkspaceModel, statements: readonly TrustStatement[]): InventoryStatement[] {
  return statements.map((statement) => ({ summary: summarize(model, statement), location: statement.span }));
}

/** `Federated <issuer>; sub StringEquals a, b; aud StringEquals sts.amazonaws.com`. */
function summarize(model: WorkspaceModel, statement: TrustStatement): string {
  const parts = [`Federated ${clusterOf(model, statement) || '<principal not known>'}`];
  for (const c of statement.conditions) {
    const claim = splitConditionKey(c.key.value)?.claim ?? display(c.key.value);
    const values = c.values.map((v) => display(v.value));
    parts.push(`${claim} ${c.operator.value} ${values.join(', ')}${c.valuesComplete ? '' : ' (and computed values)'}`);
  }
  if (!statement.conditionsComplete) parts.push('(and computed conditions)');
  return parts.join('; ');
}

/** Subjects EKS Pod Identity associations give a role. */
function podIdentitySubjects(model: WorkspaceModel): ReadonlySet<string> {
  const out = new Set<string>();
  for (const a of model.podIdentityAssociations) {
    const ns = knownText(a.namespace.value);
    const name = knownText(a.serviceAccount.value);
    if (ns !== undefined && name !== undefined) out.add(subjectOf(ns, name));
  }
  return out;
}

/** The first `sub`/`aud` condition key of the statement whose issuer part is wrong (`trust-condition-key-scheme`). */
function keyProblemOf(statement: TrustStatement): string | undefined {
  for (const condition of statement.conditions) {
    const parts = splitConditionKey(condition.key.value);
    if (!parts || (parts.claim !== 'sub' && parts.claim !== 'aud')) continue;
    const problem = conditionKeyProblem(parts.issuer);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
