/**
 * Roles and their trust policies, linked: the part of the workspace model
 * that changes only when a role, a trust policy or a script's
 * `aws iam create-role` does, so that the next model can keep it whole.
 * It also makes up the roles of JSON trust files no configuration reads.
 */
import { basenameUri } from '../common/uri';
import { known, knownText } from '../common/value';
import { jsonTrustPolicyId, substitutePlaceholders } from '../facts/files';
import type { CliRoleLink, Role, ServiceAccount, TrustPolicy, TrustRef } from '../facts/types';
import { push } from './gather';
import { mergedTrustPolicy } from './merged-trust';

/** How a ServiceAccount found its role: by Terraform/eksctl reference (certain) or by name. */
export interface RoleLink {
  readonly role: Role;
  readonly by: 'reference' | 'name' | 'name-prefix';
}

/** Roles and their trust policies, linked; immutable once built, except for its lazily filled caches. */
export class RoleIndex {
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

/**
 * `s3-reader.json`, `s3-reader-trust.json`, `s3-reader.trust-policy.json` →
 * `s3-reader`. Only IAM role-name characters survive.
 */
function roleNameFromFileName(fileName: string): string | undefined {
  const stem = fileName
    .replace(/\.json$/i, '')
    .replace(/[-_.](trust|assume)([-_.]?(role))?([-_.]?(policy|document|doc))?$/i, '')
    .replace(/[-_.]trust[-_.]?relationship$/i, '');
  return /^[\w+=,.@-]{1,64}$/.test(stem) ? stem : undefined;
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
