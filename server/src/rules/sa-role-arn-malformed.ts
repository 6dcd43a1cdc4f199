/**
 * `sa-role-arn-malformed`: the webhook only logs a warning for a malformed
 * role ARN and injects it anyway; the SDK then fails.
 *
 * Fix, for the slips whose intended ARN is plain: stray white space, the
 * empty region's second colon missing (`arn:aws:iam:123456789012:role/x`),
 * `role/` missing before a name (`arn:aws:iam::123456789012:x`). The result
 * must be a valid role ARN. Preferred. Anything else (a policy ARN, an
 * assumed-role ARN, a bare name) gets no fix: the right role is the user's
 * to name.
 */
import { knownText } from '../common/value';
import { byFile } from '../edit/service-accounts';
import { editableString, elsewhere, rewriteString } from '../edit/values';
import type { LStr } from '../facts/types';
import { WEBHOOK_ROLE_ARN } from '../index/irsa';
import { isPlaceholderAccount } from '../index/well-formed';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

const MISSING_COLON = /^arn:(aws[a-z0-9-]*):iam:(\d{12}):(role\/.+)$/;
const MISSING_ROLE = /^arn:(aws[a-z0-9-]*):iam::(\d{12}):([\w+=,.@-]+)$/;

function roleArnProblem(text: string): string | undefined {
  if (WEBHOOK_ROLE_ARN.test(text)) return undefined;
  if (text !== text.trim()) return 'it has leading or trailing white space';
  if (!text.startsWith('arn:')) return 'it does not start with `arn:`; the annotation needs the full role ARN, not a name';
  if (/:policy\//.test(text)) return 'it is a policy ARN; the annotation takes the ARN of the role';
  if (/:oidc-provider\//.test(text)) return 'it is an OIDC provider ARN; the annotation takes the ARN of the role';
  const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(text);
  if (!m) return 'it does not have the six parts `arn:partition:iam::account:role/name`';
  const [, partition = '', service = '', region = '', account = '', resource = ''] = m;
  if (!/^aws[a-z0-9-]*$/.test(partition)) return `\`${partition}\` is not an AWS partition`;
  if (service !== 'iam') return service === 'sts' ? 'it is an STS assumed-role ARN; use the IAM role ARN (`arn:aws:iam::<account>:role/<name>`)' : `the service is \`${service}\`, not \`iam\``;
  if (region !== '') return `IAM ARNs have no region (\`${region}\`)`;
  // A runbook's `ACCOUNT_ID` or `xxxxxxxxxxxx` is for the reader to fill in: unknown, not malformed.
  if (isPlaceholderAccount(account)) return undefined;
  if (account === '') return 'the account ID is missing (`arn:aws:iam::<12-digit account>:role/<name>`)';
  if (!/^\d{12}$/.test(account)) return `the account \`${account}\` is not 12 digits`;
  if (!resource.startsWith('role/')) return `the resource \`${resource}\` is not \`role/<name>\``;
  const bad = [...new Set(resource.slice('role/'.length).replace(/[\w\-/.@+=,]/g, ''))].map((c) => JSON.stringify(c)).join(', ');
  return bad ? `the role name has characters IAM does not allow (${bad})` : 'the role name is empty';
}

/** The value for a message: in backticks, or JSON-quoted when white space or line breaks would hide in backticks. */
function shown(text: string): string {
  return /^\s|\s$|[\n\r\t]/.test(text) ? JSON.stringify(text) : `\`${text}\``;
}

export const rule = defineRule({
  meta: { id: 'sa-role-arn-malformed', defaultSeverity: 'error', title: 'role-arn annotation is not a valid IAM role ARN' },
  check(model: WorkspaceModel, report: Reporter<LStr>) {
    for (const sa of model.serviceAccounts) {
      if (!sa.roleArn) continue;
      const text = knownText(sa.roleArn.value);
      // An empty annotation (a chart's `role-arn: ""` placeholder) means no IRSA: the webhook injects nothing for it (pkg/cache/cache.go).
      if (text === undefined || text === '') continue;
      const problem = roleArnProblem(text);
      if (!problem) continue;
      report({
        span: sa.roleArn.span,
        message:
          `${shown(text)} is not a valid IAM role ARN: ${problem}. The webhook still injects it and the pod's SDK fails with ` +
          `\`ValidationError: Request ARN is invalid\` when it calls AssumeRoleWithWebIdentity. ` +
          `Use \`arn:aws:iam::<12-digit account>:role/<role name>\`.`,
        payload: sa.roleArn,
      });
    }
  },
  fixes(roleArn, finding, context) {
    const text = knownText(roleArn.value);
    const target = editableString(context, roleArn);
    const arn = text !== undefined ? intendedRoleArn(text) : undefined;
    if (!target || arn === undefined) return [];
    return [{ title: `Correct the role ARN to \`${arn}\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, arn) }]), preferred: true }];
  },
});

/** The role ARN a malformed one plainly means; undefined when it is not plain. */
function intendedRoleArn(text: string): string | undefined {
  const trimmed = text.trim();
  const candidate = trimmed
    .replace(MISSING_COLON, (_, partition: string, account: string, resource: string) => `arn:${partition}:iam::${account}:${resource}`)
    .replace(MISSING_ROLE, (_, partition: string, account: string, name: string) => `arn:${partition}:iam::${account}:role/${name}`);
  return candidate !== text && roleArnProblem(candidate) === undefined ? candidate : undefined;
}
