/**
 * Fixes for `sa-role-arn-malformed`, for the slips whose intended ARN is
 * plain: stray white space, the empty region's second colon missing
 * (`arn:aws:iam:123456789012:role/x`), `role/` missing before a name
 * (`arn:aws:iam::123456789012:x`). The result must be a valid role ARN.
 * Preferred. Anything else (a policy ARN, an assumed-role ARN, a bare
 * name) gets no fix: the right role is the user's to name.
 */
import { knownText } from '../common/value';
import { roleArnProblem } from '../rules/sa-role-arn-malformed';
import { sameSpan } from './locate';
import { byFile } from './service-account-edits';
import type { FixProvider } from './types';
import { editableString, elsewhere, rewriteString } from './values';

const MISSING_COLON = /^arn:(aws[a-z0-9-]*):iam:(\d{12}):(role\/.+)$/;
const MISSING_ROLE = /^arn:(aws[a-z0-9-]*):iam::(\d{12}):([\w+=,.@-]+)$/;

export const fix: FixProvider = {
  ruleId: 'sa-role-arn-malformed',
  fixes(finding, context) {
    const sa = context.model.serviceAccounts.find((s) => s.roleArn && sameSpan(s.roleArn.span, finding.span));
    const text = sa?.roleArn && knownText(sa.roleArn.value);
    const target = sa?.roleArn && editableString(context, sa.roleArn);
    const arn = text !== undefined ? intendedRoleArn(text) : undefined;
    if (!target || arn === undefined) return [];
    return [{ title: `Correct the role ARN to \`${arn}\`${elsewhere(target, finding.span.uri)}`, changes: byFile([{ uri: target.span.uri, edit: rewriteString(target, arn) }]), preferred: true }];
  },
};

/** The role ARN a malformed one plainly means; undefined when it is not plain. */
export function intendedRoleArn(text: string): string | undefined {
  const trimmed = text.trim();
  const candidate = trimmed
    .replace(MISSING_COLON, (_, partition: string, account: string, resource: string) => `arn:${partition}:iam::${account}:${resource}`)
    .replace(MISSING_ROLE, (_, partition: string, account: string, name: string) => `arn:${partition}:iam::${account}:role/${name}`);
  return candidate !== text && roleArnProblem(candidate) === undefined ? candidate : undefined;
}
