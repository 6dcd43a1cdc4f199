/**
 * "IRSA: Create role for this ServiceAccount": an assist (not tied to a
 * finding) on a YAML or Terraform ServiceAccount that has no role-arn
 * annotation, or whose role ARN names no role of the workspace. It writes a
 * trust policy that admits exactly this ServiceAccount (sub and aud pinned
 * with StringEquals) in the form the workspace already uses, and points the
 * ServiceAccount at it:
 *
 * - Terraform (the ServiceAccount is Terraform, or the workspace's roles
 *   are): a new `<name>-irsa.tf` with `data "aws_iam_policy_document"` and
 *   `aws_iam_role`, in the ServiceAccount's module or the one holding the
 *   roles; the issuer comes from that module's EKS module or OIDC provider;
 * - else a JSON `<name>-trust.json` beside the workspace's trust files (the
 *   role is named by the file, as with `aws iam create-role`).
 *
 * What the workspace does not tell (account, issuer) becomes a snippet
 * placeholder, never a guess presented as fact.
 */
import type { Position } from '../common/text';
import { dirnameUri } from '../common/uri';
import { knownText, resolvedText } from '../common/value';
import type { ServiceAccount } from '../facts/types';
import { ROLE_ARN_ANNOTATION } from '../facts/kubernetes';
import { EKS_PROVIDER_ARN, issuerHostOf } from '../index/irsa';
import { subjectOfServiceAccount } from '../index/irsa';
import type { WorkspaceModel } from '../index/model';
import { roleArnText, workspaceAccount } from '../ide/completion';
import { locate } from '../index/locate';
import { indentationOf, insertAt, replace, snippetLiteral } from '../edit/edits';
import type { FileChange, Fix, FixContext } from '../edit/types';

const CREATE_ROLE_TITLE = 'IRSA: Create role for this ServiceAccount';

export function createRoleAssists(context: FixContext, uri: string, position: Position): readonly Fix[] {
  const target = locate(context.model, uri, position);
  const sa = target?.kind === 'service-account' || target?.kind === 'role-arn' ? target.sa : undefined;
  if (!sa || (sa.origin !== 'yaml' && sa.origin !== 'terraform')) return [];
  if (sa.roleArn ? context.model.roleLinks(sa).length > 0 : !sa.annotationsComplete) return [];
  const subject = subjectOfServiceAccount(sa);
  const namespace = knownText(sa.namespace.value);
  const name = knownText(sa.name.value);
  if (subject === undefined || namespace === undefined || name === undefined) return [];
  const terraformDir = terraformHome(context.model, sa);
  const fix = terraformDir !== undefined ? terraformRole(context, sa, terraformDir, namespace, name) : jsonRole(context, sa, namespace, name);
  return fix ? [fix] : [];
}

/** Where Terraform roles live: the ServiceAccount's own module, else the one module holding the workspace's roles. */
function terraformHome(model: WorkspaceModel, sa: ServiceAccount): string | undefined {
  if (sa.origin === 'terraform') return dirnameUri(sa.span.uri);
  const dirs = new Set(model.roles.filter((r) => r.id.startsWith('tf:') && /#aws_iam_role\./.test(r.id)).map((r) => dirnameUri(r.span.uri)));
  const jsonRoles = model.trustPolicies.some((p) => p.origin === 'json-file');
  return dirs.size === 1 && !jsonRoles ? [...dirs][0] : undefined;
}

function jsonRole(context: FixContext, sa: ServiceAccount, namespace: string, name: string): Fix | undefined {
  const model = context.model;
  const trustDirs = new Set(model.trustPolicies.filter((p) => p.origin === 'json-file').map((p) => dirnameUri(p.span.uri)));
  const dir = trustDirs.size === 1 ? [...trustDirs][0]! : dirnameUri(sa.span.uri);
  const fileUri = `${dir}/${name}-trust.json`;
  if (context.exists(fileUri)) return undefined;
  const provider = workspaceProviderArn(model);
  const providerText = provider ?? '${1:arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF}';
  const host = provider ? issuerHostOf(provider) : '${2:oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF}';
  const body = [
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    {',
    '      "Effect": "Allow",',
    `      "Principal": { "Federated": "${providerText}" },`,
    '      "Action": "sts:AssumeRoleWithWebIdentity",',
    '      "Condition": {',
    '        "StringEquals": {',
    `          "${host}:sub": "system:serviceaccount:${snippetLiteral(namespace)}:${snippetLiteral(name)}",`,
    `          "${host}:aud": "sts.amazonaws.com"`,
    '        }',
    '      }',
    '    }',
    '  ]',
    '}',
    '',
  ].join('\n');
  const account = workspaceAccount(model);
  const arn = roleArnText({ id: '', span: sa.span, origin: 'terraform', name: { segments: [{ kind: 'text', text: name }] }, trust: { kind: 'unknown', reason: '' } }, account) ?? `arn:aws:iam::\${3:111122223333}:role/${snippetLiteral(name)}`;
  const annotation = annotationChange(context, sa, arn, 'yaml');
  if (!annotation) return undefined;
  return { title: `${CREATE_ROLE_TITLE} (${name}-trust.json)`, changes: [{ kind: 'create', uri: fileUri, text: body }, annotation], snippet: true };
}

function terraformRole(context: FixContext, sa: ServiceAccount, dir: string, namespace: string, name: string): Fix | undefined {
  const label = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
  const fileUri = `${dir}/${name}-irsa.tf`;
  if (context.exists(fileUri)) return undefined;
  const issuer = terraformIssuer(context.model, dir);
  const body = [
    `data "aws_iam_policy_document" "${label}_trust" {`,
    '  statement {',
    '    effect  = "Allow"',
    '    actions = ["sts:AssumeRoleWithWebIdentity"]',
    '',
    '    principals {',
    '      type        = "Federated"',
    `      identifiers = [${issuer.arn}]`,
    '    }',
    '',
    '    condition {',
    '      test     = "StringEquals"',
    `      variable = "\\\${${issuer.host}}:sub"`,
    `      values   = ["system:serviceaccount:${snippetLiteral(namespace)}:${snippetLiteral(name)}"]`,
    '    }',
    '',
    '    condition {',
    '      test     = "StringEquals"',
    `      variable = "\\\${${issuer.host}}:aud"`,
    '      values   = ["sts.amazonaws.com"]',
    '    }',
    '  }',
    '}',
    '',
    `resource "aws_iam_role" "${label}" {`,
    `  name               = "${snippetLiteral(namespace)}-${snippetLiteral(name)}"`,
    `  assume_role_policy = data.aws_iam_policy_document.${label}_trust.json`,
    '}',
    '',
  ].join('\n');
  const sameModule = sa.origin === 'terraform';
  const account = workspaceAccount(context.model);
  const arn = sameModule
    ? `aws_iam_role.${label}.arn`
    : (roleArnText({ id: '', span: sa.span, origin: 'terraform', name: { segments: [{ kind: 'text', text: `${namespace}-${name}` }] }, trust: { kind: 'unknown', reason: '' } }, account) ??
      `arn:aws:iam::\${3:111122223333}:role/${snippetLiteral(`${namespace}-${name}`)}`);
  const annotation = annotationChange(context, sa, arn, sameModule ? 'terraform' : 'yaml');
  if (!annotation) return undefined;
  return { title: `${CREATE_ROLE_TITLE} (${name}-irsa.tf)`, changes: [{ kind: 'create', uri: fileUri, text: body }, annotation], snippet: true };
}

/** The provider expressions of the module's EKS module or OIDC provider resource, else placeholders. */
function terraformIssuer(model: WorkspaceModel, dir: string): { arn: string; host: string } {
  for (const p of model.oidcProviders) {
    const m = /^tf:(.*)#(module\.[\w-]+|aws_iam_openid_connect_provider\.[\w-]+)$/.exec(p.id);
    if (!m || m[1] !== dir) continue;
    const address = m[2]!;
    if (address.startsWith('module.')) return { arn: `${address}.oidc_provider_arn`, host: `${address}.oidc_provider` };
    return { arn: `${address}.arn`, host: `replace(${address}.url, "https://", "")` };
  }
  return { arn: '${1:module.eks.oidc_provider_arn}', host: '${2:module.eks.oidc_provider}' };
}

/** The one EKS provider ARN the workspace's trust policies name, when there is exactly one. */
function workspaceProviderArn(model: WorkspaceModel): string | undefined {
  const arns = new Set<string>();
  for (const { statement } of model.allEksWebIdentityStatements()) {
    for (const p of statement.principals) {
      const text = p.type === 'Federated' ? resolvedText(p.value.value) : undefined;
      if (text !== undefined && EKS_PROVIDER_ARN.test(text)) arns.add(text);
    }
  }
  return arns.size === 1 ? [...arns][0] : undefined;
}

/**
 * The annotation edit: the unresolved value replaced, or a role-arn entry
 * added to the annotations (or an annotations map added under the name).
 */
function annotationChange(context: FixContext, sa: ServiceAccount, arn: string, syntax: 'yaml' | 'terraform'): FileChange | undefined {
  const lines = context.lines(sa.span.uri);
  if (!lines) return undefined;
  const uri = sa.span.uri;
  if (sa.roleArn) return { kind: 'edit', uri, edits: [replace(sa.roleArn.span.range, sa.origin === 'terraform' && syntax === 'yaml' ? `"${arn}"` : arn)] };
  const entry = sa.origin === 'terraform' ? `"${ROLE_ARN_ANNOTATION}" = ${syntax === 'terraform' ? arn : `"${arn}"`}` : `${ROLE_ARN_ANNOTATION}: ${arn}`;
  const first = sa.annotations[0];
  if (first) {
    const line = first.key.span.range.start.line;
    const indent = indentationOf(lines, line);
    return { kind: 'edit', uri, edits: [insertAt({ line, character: 0 }, `${indent}${entry}\n`)] };
  }
  const nameLine = sa.name.span.range.start.line;
  const indent = indentationOf(lines, nameLine);
  const unit = indent.length >= 2 ? indent.slice(0, Math.max(2, indent.length / 2)) : '  ';
  const block = sa.origin === 'terraform' ? `${indent}annotations = {\n${indent}${unit}${entry}\n${indent}}\n` : `${indent}annotations:\n${indent}${unit}${entry}\n`;
  return { kind: 'edit', uri, edits: [insertAt({ line: nameLine + 1, character: 0 }, block)] };
}
