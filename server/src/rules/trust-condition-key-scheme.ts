/**
 * `trust-condition-key-scheme`: condition keys are `<issuer host/path>:<claim>`.
 * A key written with `https://` or as a provider ARN never names the
 * token's issuer.
 *
 * Fix: a literal prefix is deleted. An interpolation keeps its expression:
 * it becomes the module's `oidc_provider` output when it came from the EKS
 * module, else it is wrapped so that Terraform strips the prefix. Nothing
 * is offered for a key the engine cannot see the source of.
 */
import { displayOwner, resolvedText, type StrValue } from '../common/value';
import { editFile, replace, spanText } from '../edit/edits';
import { policySyntax } from '../edit/trust-policies';
import type { Fix } from '../edit/types';
import type { Condition, TrustPolicy } from '../facts/types';
import { IAM_MALFORMED_COLON, STS_ACCESS_DENIED } from '../index/describe';
import { conditionKeyProblem, issuerHostOf, splitConditionKey } from '../index/irsa';
import { forEachEksStatement } from './support/memo';
import type { WorkspaceModel } from '../index/model';
import { defineRule, type Reporter } from './types';

const LITERAL_SCHEME = /^"(https?:\/\/)/;
const LITERAL_ARN = /^"(arn:[^"$]*?:oidc-provider\/)/;
const ONE_INTERPOLATION = /^"\$\{(.+)\}(:[a-z]+)"$/s;
const EKS_MODULE_OUTPUT = /^module\.([A-Za-z_][\w-]*)\.(?:cluster_oidc_issuer_url|oidc_provider_arn)$/;

interface Payload {
  readonly policy: TrustPolicy;
  readonly condition: Condition;
}

export const rule = defineRule({
  meta: { id: 'trust-condition-key-scheme', defaultSeverity: 'error', title: 'Condition key carries https:// or an oidc-provider ARN prefix' },
  check(model: WorkspaceModel, report: Reporter<Payload>) {
    forEachEksStatement<Payload>(
      model,
      'trust-condition-key-scheme',
      [model.oidcProviders],
      ({ policy, statement }, report) => {
        for (const condition of statement.conditions) {
          const parts = splitConditionKey(condition.key.value);
          if (!parts || (parts.claim !== 'sub' && parts.claim !== 'aud' && parts.claim !== 'amr')) continue;
          const problem = conditionKeyProblem(parts.issuer);
          if (!problem) continue;
          const suggestion = suggestedKey(parts.issuer, parts.claim);
          report({
            span: condition.key.span,
            message:
              `This condition key ${problem}. The key must be the issuer without scheme, \`oidc.eks.<region>.amazonaws.com/id/<ID>:${parts.claim}\`: ` +
              `IAM rejects the extra colons with ${IAM_MALFORMED_COLON}, and where it does not, the key never matches and STS answers ${STS_ACCESS_DENIED}. ` +
              `Write \`${suggestion}\`.`,
            payload: { policy, condition },
          });
        }
      },
      report,
    );
  },
  fixes({ policy, condition }, finding, context) {
    const lines = context.lines(finding.span.uri);
    if (!lines || !policySyntax(policy) || policy.generated) return [];
    const source = spanText(lines, finding.span);
    const start = finding.span.range.start;
    const at = (from: number, length: number): { start: typeof start; end: typeof start } =>
      lines.range(lines.offsetAt(start) + from, lines.offsetAt(start) + from + length);

    const literal = LITERAL_SCHEME.exec(source) ?? LITERAL_ARN.exec(source);
    if (literal) {
      const prefix = literal[1]!;
      const what = prefix.startsWith('arn:') ? 'the `oidc-provider` ARN prefix' : `\`${prefix}\``;
      return [{ title: `Remove ${what} from the condition key`, changes: [editFile(finding.span.uri, replace(at(1, prefix.length), ''))], preferred: true }];
    }

    const interpolation = ONE_INTERPOLATION.exec(source);
    const issuer = splitConditionKey(condition.key.value)?.issuer;
    if (!interpolation || !issuer) return [];
    const expression = interpolation[1]!.trim();
    const claim = interpolation[2]!;
    const rewrite = (title: string, template: string): Fix => ({
      title,
      changes: [editFile(finding.span.uri, replace(finding.span.range, `"${template}${claim}"`))],
      preferred: true,
    });
    const module = EKS_MODULE_OUTPUT.exec(expression);
    if (module) return [rewrite(`Use \`module.${module[1]}.oidc_provider\`, the issuer without \`https://\``, `\${module.${module[1]}.oidc_provider}`)];
    const first = issuer.segments[0];
    const isArn = first?.kind === 'symbol' ? first.symbol === 'provider-arn' : first?.kind === 'text' && first.text.startsWith('arn:');
    if (isArn) return [rewrite('Take the issuer from the ARN with `split("oidc-provider/", …)`', `\${element(split("oidc-provider/", ${expression}), 1)}`)];
    return [rewrite('Wrap in `replace(…, "https://", "")`', `\${replace(${expression}, "https://", "")}`)];
  },
});

/** The key to write instead: the Terraform expression that yields the issuer host, else the host when it is known. */
function suggestedKey(issuer: StrValue, claim: string): string {
  const first = issuer.segments[0];
  if (issuer.segments.length === 1 && first?.kind === 'symbol') {
    const owner = displayOwner(first.owner);
    if (owner.startsWith('module.')) return `\${${owner}.oidc_provider}:${claim}`;
    if (owner.startsWith('aws_iam_openid_connect_provider.') || owner.startsWith('data.aws_iam_openid_connect_provider.')) return `\${replace(${owner}.url, "https://", "")}:${claim}`;
    if (owner.startsWith('data.aws_eks_cluster.') || owner.startsWith('aws_eks_cluster.')) return `\${replace(${owner}.identity[0].oidc[0].issuer, "https://", "")}:${claim}`;
  }
  const text = resolvedText(issuer);
  if (text !== undefined) return `${issuerHostOf(text)}:${claim}`;
  return `<issuer without https://>:${claim}`;
}
