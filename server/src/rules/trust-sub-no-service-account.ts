/**
 * `trust-sub-no-service-account`: a subject pinned in a trust policy that no
 * ServiceAccount of the workspace carries. A note (the account may live in
 * another repository), raised to a warning when a near match suggests a
 * typo or a moved namespace.
 *
 * Fixes, with a near match (the trust side of a sub mismatch: the policy
 * pins `<ns>:<sa>` and no such ServiceAccount exists, but one of the same
 * name lives in another namespace, or a near name in the same one):
 * - "Pin sub to `system:serviceaccount:<ns>:<sa>`" rewrites this value,
 *   when that ServiceAccount is the only one of its name, or uses this role;
 * - "Move the ServiceAccount to namespace `<ns>`" moves that ServiceAccount
 *   instead, when it uses one of this policy's roles.
 * Neither is preferred: which side is wrong is the user's call.
 */
import { levenshtein } from '../common/strings';
import { existsInEveryCluster, isAddonServiceAccount } from '../facts/addons';
import { push } from '../index/gather';
import { knownText } from '../common/value';
import { byFile, moveServiceAccount, moveServiceAccountTitle } from '../edit/service-accounts';
import { pinSub } from '../edit/subjects';
import type { Fix } from '../edit/types';
import type { ServiceAccount, TrustPolicy, TrustStatement, Workload } from '../facts/types';
import { isCrossplaneProviderAccount, referencedAccounts, type ReferencedAccounts } from '../index/consumers';
import { STS_ACCESS_DENIED, where } from '../index/describe';
import { claimValues, hasWildcard, parseSubject, subjectOf, subjectOfServiceAccount, SUBJECT_PREFIX, type ClaimValue } from '../index/irsa';
import { subjectProblem } from '../index/well-formed';
import type { EksStatement, WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

/** A near match: the pinned value, and the subject of the ServiceAccount it probably meant. */
interface Payload {
  readonly policy: TrustPolicy;
  readonly value: ClaimValue;
  readonly suggestion: string;
}

export const rule = defineRule({
  meta: { id: 'trust-sub-no-service-account', defaultSeverity: 'note', title: 'Trust policy pins a ServiceAccount that is defined nowhere in the workspace' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    // A workspace with no ServiceAccounts keeps them elsewhere: there is nothing to compare with.
    if (model.serviceAccounts.length === 0) return;
    const { known, partial } = model.serviceAccountSubjects();
    const referenced = referencedAccounts(model.workloads);
    const statements = model.allEksWebIdentityStatements();
    for (const { policy, statement } of statements) {
      // eksctl builds the subject from its own `iam.serviceAccounts` entry: with `roleOnly` the
      // ServiceAccount is created elsewhere on purpose (a Helm chart), which the entry already says.
      if (policy.origin === 'eksctl') continue;
      // terraform-aws-modules: the value to edit is a `namespace_service_accounts` entry, `<namespace>:<name>`.
      const fromModule = policy.moduleInputs !== undefined;
      for (const { v, subject } of pinnedSubjects(statement)) {
        if (known.has(v.value)) continue;
        // The default add-ons' accounts (kube-system/aws-node, …) and every namespace's `default` exist in every EKS cluster.
        if (existsInEveryCluster(subject.namespace, subject.name)) continue;
        // A ServiceAccount whose name or namespace is computed could be this one.
        const couldMatch = partial.some((sa) => {
          const ns = knownText(sa.namespace.value);
          const name = knownText(sa.name.value);
          return (ns === undefined || ns === subject.namespace) && (name === undefined || name === subject.name);
        });
        if (couldMatch) continue;
        // A workload or consumer (an External Secrets store) names it: it exists, made by whatever deploys them.
        if (referenced.known.has(v.value)) continue;
        if (referenced.partial.some((w) => couldName(w, subject.namespace, subject.name))) continue;
        // A Crossplane ControllerConfig's providers run as `<provider>-<revision hash>`: such a name exists once a provider uses the config.
        if (referenced.crossplaneProviders.length > 0 && isCrossplaneProviderAccount(subject.name)) continue;
        // An add-on's own account (efs-csi-controller-sa) is no typo of another add-on's (ebs-csi-controller-sa).
        let consumer: { name: string; workload: Workload } | undefined;
        const near = isAddonServiceAccount(subject.namespace, subject.name) ? undefined : nearest(model.serviceAccounts, subject.namespace, subject.name);
        if (near) {
          report({
            span: v.span,
            severity: 'warning',
            message:
              `No ServiceAccount \`${subject.namespace}/${subject.name}\` is defined in the workspace; did you mean ` +
              `\`${fromModule ? near.subject.slice(SUBJECT_PREFIX.length) : near.subject}\` (${where(near.sa.span)})? Pods of that ServiceAccount would get ` +
              `${STS_ACCESS_DENIED} from this role.`,
            related: [{ span: near.sa.span, message: `ServiceAccount ${near.subject.slice(SUBJECT_PREFIX.length).replace(':', '/')}` }],
            payload: { policy, value: v, suggestion: near.subject },
          });
        } else if ((consumer = onlyConsumerOfNamespace(model, referenced, subject.namespace, pinnedAnywhere(statements)))) {
          // The one account the namespace's workloads and stores name, which no role pins: the likelier target.
          report({
            span: v.span,
            severity: 'warning',
            message:
              `No ServiceAccount \`${subject.namespace}/${subject.name}\` is defined or used in the workspace; did you mean ` +
              `\`${subject.namespace}/${consumer.name}\`, the only account namespace \`${subject.namespace}\` uses (${consumer.workload.kind} at ${where(consumer.workload.span)})? ` +
              `That ${consumer.workload.kind} would get ${STS_ACCESS_DENIED} from this role.`,
            related: [{ span: consumer.workload.serviceAccountName?.span ?? consumer.workload.span, message: `${consumer.workload.kind} uses ServiceAccount ${subject.namespace}/${consumer.name}` }],
          });
        } else {
          report({
            span: v.span,
            message:
              `No ServiceAccount \`${subject.namespace}/${subject.name}\` is defined in this workspace (YAML, Terraform, Helm or eksctl). ` +
              `If it lives elsewhere, ignore this note; otherwise the role admits an account no pod uses.`,
          });
        }
      }
    }
  },
  fixes({ policy, value, suggestion }, _finding, context) {
    const wanted = parseSubject(suggestion);
    const pinned = parseSubject(value.value);
    const near = context.model.serviceAccounts.filter((sa) => subjectOfServiceAccount(sa) === suggestion);
    if (!wanted || !pinned || near.length !== 1) return []; // an ambiguous match
    const sa = near[0]!;
    const roles = new Set(context.model.rolesOfTrustPolicy(policy).map((r) => r.id));
    const usesThisRole = context.model.roleLinks(sa).some((l) => roles.has(l.role.id));
    const fixes: Fix[] = [];

    const sameName = context.model.serviceAccounts.filter((s) => knownText(s.name.value) === wanted.name).length === 1 && wanted.name === pinned.name;
    const pin = (sameName || usesThisRole) && pinSub(context, policy, value.condition, value.written, suggestion, sa);
    if (pin) fixes.push({ title: pin.title, changes: byFile([pin.edit]) });

    if (usesThisRole && wanted.name === pinned.name) {
      const changes = moveServiceAccount(context, sa, pinned.namespace);
      if (changes) fixes.push({ title: moveServiceAccountTitle(pinned.namespace), changes });
    }
    return fixes;
  },
});

type Pinned = { readonly v: ClaimValue; readonly subject: { readonly namespace: string; readonly name: string } };

const pinnedCache = new WeakMap<TrustStatement, readonly Pinned[]>();

/**
 * The well-formed subjects a statement pins, cached per (immutable)
 * statement: each analysis then only looks them up among the workspace's
 * ServiceAccounts.
 */
function pinnedSubjects(statement: TrustStatement): readonly Pinned[] {
  let pinned = pinnedCache.get(statement);
  if (!pinned) {
    const list: Pinned[] = [];
    for (const v of claimValues(statement, 'sub')) {
      // StringLike without a wildcard pins one subject, as StringEquals does.
      if (v.semantics === 'other' || hasWildcard(v.value)) continue;
      const subject = parseSubject(v.value);
      if (!subject || subjectProblem(v.value, false) !== undefined) continue; // trust-sub-format reports it
      list.push({ v, subject });
    }
    pinnedCache.set(statement, (pinned = list));
  }
  return pinned;
}

const pinnedSets = new WeakMap<readonly EksStatement[], ReadonlySet<string>>();

/** Every subject any statement pins: built when a report needs it, once per statement list (kept while no policy changes). */
function pinnedAnywhere(statements: readonly EksStatement[]): ReadonlySet<string> {
  let set = pinnedSets.get(statements);
  if (!set) pinnedSets.set(statements, (set = new Set(statements.flatMap(({ statement }) => pinnedSubjects(statement).map((p) => p.v.value)))));
  return set;
}

interface Candidate {
  readonly sa: ServiceAccount;
  /** Its place in the model's list: ties go to the first, as a scan in order would. */
  readonly order: number;
  readonly namespace: string;
  readonly name: string;
}

/** The model's ServiceAccounts with a known namespace and name, by name and by namespace. */
interface NameIndex {
  readonly byName: ReadonlyMap<string, readonly Candidate[]>;
  readonly byNamespace: ReadonlyMap<string, readonly Candidate[]>;
}

/** Per ServiceAccount list (a model keeps its list while no ServiceAccount changes): the index is built once per list, not per pinned subject. */
const nameIndexes = new WeakMap<readonly ServiceAccount[], NameIndex>();

function nameIndex(accounts: readonly ServiceAccount[]): NameIndex {
  let index = nameIndexes.get(accounts);
  if (!index) {
    const byName = new Map<string, Candidate[]>();
    const byNamespace = new Map<string, Candidate[]>();
    accounts.forEach((sa, order) => {
      const namespace = knownText(sa.namespace.value);
      const name = knownText(sa.name.value);
      if (namespace === undefined || name === undefined) return;
      const candidate = { sa, order, namespace, name };
      push(byName, name, candidate);
      push(byNamespace, namespace, candidate);
    });
    nameIndexes.set(accounts, (index = { byName, byNamespace }));
  }
  return index;
}

/**
 * The ServiceAccount a pinned subject probably meant: one of the same name
 * in another namespace (a moved account, score 1), or a near name in the
 * same namespace (1 + edit distance ≤ 2); the lowest score, then the first
 * in the model's order. Only those two groups can score, so only they are
 * looked at.
 */
function nearest(accounts: readonly ServiceAccount[], namespace: string, name: string): { sa: ServiceAccount; subject: string } | undefined {
  const { byName, byNamespace } = nameIndex(accounts);
  let best: { candidate: Candidate; score: number } | undefined;
  const consider = (candidate: Candidate, score: number): void => {
    if (!best || score < best.score || (score === best.score && candidate.order < best.candidate.order)) best = { candidate, score };
  };
  for (const candidate of byName.get(name) ?? []) consider(candidate, 1);
  for (const candidate of byNamespace.get(namespace) ?? []) {
    if (candidate.name === name) continue; // scored above
    const d = levenshtein(candidate.name, name, 2);
    if (d <= 2 && d < Math.max(candidate.name.length, name.length) / 2) consider(candidate, 1 + d);
  }
  const found: { candidate: Candidate; score: number } | undefined = best;
  return found ? { sa: found.candidate.sa, subject: subjectOf(found.candidate.namespace, found.candidate.name) } : undefined;
}

/** Whether a workload with a computed namespace or account name could name `namespace/name`. */
function couldName(w: Workload, namespace: string, name: string): boolean {
  const ns = knownText(w.namespace.value);
  const sa = w.serviceAccountName ? knownText(w.serviceAccountName.value) : 'default';
  return (ns === undefined || ns === namespace) && (sa === undefined || sa === name);
}

/**
 * The one account (besides `default`) that `namespace` defines or its
 * workloads name, when no role pins it; undefined when there are several,
 * none, or a computed one.
 */
function onlyConsumerOfNamespace(model: WorkspaceModel, referenced: ReferencedAccounts, namespace: string, pinned: ReadonlySet<string>): { name: string; workload: Workload } | undefined {
  const names = new Set([...(referenced.namesByNamespace.get(namespace) ?? [])].filter((n) => n !== 'default'));
  for (const sa of model.serviceAccounts) {
    const ns = knownText(sa.namespace.value);
    const n = knownText(sa.name.value);
    if (ns === undefined || n === undefined) {
      if (ns === undefined || ns === namespace) return undefined;
      continue;
    }
    if (ns === namespace && n !== 'default') names.add(n);
  }
  if (names.size !== 1) return undefined;
  const name = [...names][0]!;
  const subject = subjectOf(namespace, name);
  const workload = referenced.known.get(subject);
  if (!workload || pinned.has(subject)) return undefined;
  return { name, workload };
}
