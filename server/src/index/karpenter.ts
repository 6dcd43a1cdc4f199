/**
 * The terraform-aws-modules/eks karpenter submodule's controller on
 * Fargate: what `karpenter-v21-fargate-irsa` judges, shared with the
 * ServiceAccount rules. The controller role is a role of the model, so a
 * ServiceAccount annotated `module.karpenter.iam_role_arn` links to it, and
 * the ServiceAccount rules would see the very trust problem that rule
 * reports on the module: they leave that subject to it, whose message
 * explains the Fargate cause and whose fix writes the missing document.
 */
import { knownText } from '../common/value';
import type { ModuleCall, Role, ServiceAccount } from '../facts/types';
import { admitsClaim, hasAction, subjectOf, subjectOfServiceAccount, WEB_IDENTITY_ACTION } from './irsa';
import type { WorkspaceModel } from './model';
import { admitsOnlyMajorAtLeast } from '../terraform/version';
import { fargateSelectorsFor, type FargateMatch } from './fargate';

export interface KarpenterFargateProblem {
  /**
   * `missing`: no document passed to the module has a web-identity
   * statement; `refuses`: some have, and every one refuses the controller.
   */
  readonly verdict: 'missing' | 'refuses';
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The Fargate selectors that serve the controller's namespace (at least one). */
  readonly matches: readonly FargateMatch[];
}

/**
 * The problem `karpenter-v21-fargate-irsa` reports on a karpenter module
 * call: a 21.x call that creates the controller role, whose controller
 * namespace a Fargate profile of its cluster serves, and whose trust
 * documents do not admit the controller's web identity. Undefined when
 * there is none, or when it is not known.
 */
export function karpenterFargateProblem(model: WorkspaceModel, call: ModuleCall): KarpenterFargateProblem | undefined {
  const k = call.karpenter;
  if (!k || admitsOnlyMajorAtLeast(call.version?.value, 21) !== true || k.createsRole !== true) return undefined;
  const namespace = knownText(k.namespace.value);
  const serviceAccount = knownText(k.serviceAccount.value);
  if (namespace === undefined || serviceAccount === undefined) return undefined;
  // The module's default namespace says where the controller runs only if nothing says otherwise:
  // a ServiceAccount of that name in another namespace (the Helm release's) means the default is not it.
  if (!k.namespaceWritten && model.serviceAccounts.some((sa) => knownText(sa.name.value) === serviceAccount && knownText(sa.namespace.value) !== namespace)) return undefined;
  const matches = fargateSelectorsFor(model, k.cluster, namespace);
  if (matches.length === 0) return undefined;
  const verdict = irsaTrust(model, call, subjectOf(namespace, serviceAccount));
  if (verdict === 'unknown' || verdict === 'admits') return undefined;
  return { verdict, namespace, serviceAccount, matches };
}

/**
 * Whether `karpenter-v21-fargate-irsa` reports the trust of this role for
 * this ServiceAccount already: the role is a karpenter module's controller
 * role, the module has that problem, and the ServiceAccount is the
 * controller's (its subject is the one the rule judges).
 */
export function reportedAsKarpenterOnFargate(model: WorkspaceModel, role: Role, sa: ServiceAccount): boolean {
  if (role.origin !== 'karpenter-module') return false;
  const call = model.moduleCalls.find((c) => c.id === role.id);
  const problem = call ? karpenterFargateProblem(model, call) : undefined;
  return problem !== undefined && subjectOfServiceAccount(sa) === subjectOf(problem.namespace, problem.serviceAccount);
}

/**
 * What a ServiceAccount rule that calls `reportedAsKarpenterOnFargate`
 * reads besides the links, for `memoReports`: the module calls, Fargate
 * profiles, ServiceAccounts and trust documents. Added only for a
 * ServiceAccount linked to a karpenter controller role, so every other
 * ServiceAccount keeps its shared, cached dependency array.
 */
export function withKarpenterDependencies(model: WorkspaceModel, sa: ServiceAccount, deps: readonly unknown[]): readonly unknown[] {
  if (!model.roleLinks(sa).some((l) => l.role.origin === 'karpenter-module')) return deps;
  return [...deps, model.moduleCalls, model.fargateProfiles, model.serviceAccounts, model.trustPolicies];
}

/**
 * What the documents merged into the controller role say about IRSA:
 * `missing` (every document is known and none has a web-identity statement),
 * `refuses` (some have, and every one of them refuses the subject),
 * `admits`, or `unknown`.
 */
function irsaTrust(model: WorkspaceModel, call: ModuleCall, subject: string): 'missing' | 'refuses' | 'admits' | 'unknown' {
  const k = call.karpenter!;
  if (!k.assumePolicyDocumentsComplete) return 'unknown';
  let webIdentity = 0;
  let unknown = false;
  for (const ref of k.assumePolicyDocuments) {
    const policy = model.trustPolicyOfRef(ref);
    if (!policy) return 'unknown';
    if (!policy.complete) unknown = true;
    for (const statement of policy.statements) {
      if (statement.effect === 'Deny' || hasAction(statement, WEB_IDENTITY_ACTION) === false) continue;
      webIdentity++;
      const admits = statement.effect === 'Allow' && hasAction(statement, WEB_IDENTITY_ACTION) === true ? admitsClaim(statement, 'sub', subject) : undefined;
      if (admits !== false) return admits === true ? 'admits' : 'unknown';
    }
  }
  if (unknown) return 'unknown';
  return webIdentity === 0 ? 'missing' : 'refuses';
}
