/**
 * Fixes for `trust-condition-key-scheme`: a condition key written with the
 * issuer URL (`https://…`) or the provider ARN instead of the issuer host.
 *
 * A literal prefix is deleted. An interpolation keeps its expression: it
 * becomes the module's `oidc_provider` output when it came from the EKS
 * module, else it is wrapped so that Terraform strips the prefix. Nothing
 * is offered for a key the engine cannot see the source of.
 */
import { splitConditionKey } from '../index/irsa';
import { editFile, replace, spanText } from './edits';
import { conditionWithKeyAt, policySyntax } from './locate';
import type { Fix, FixProvider } from './types';

const LITERAL_SCHEME = /^"(https?:\/\/)/;
const LITERAL_ARN = /^"(arn:[^"$]*?:oidc-provider\/)/;
const ONE_INTERPOLATION = /^"\$\{(.+)\}(:[a-z]+)"$/s;
const EKS_MODULE_OUTPUT = /^module\.([A-Za-z_][\w-]*)\.(?:cluster_oidc_issuer_url|oidc_provider_arn)$/;

export const fix: FixProvider = {
  ruleId: 'trust-condition-key-scheme',
  fixes(finding, context) {
    const site = conditionWithKeyAt(context.model, finding.span);
    const lines = context.lines(finding.span.uri);
    if (!site || !lines || !policySyntax(site.policy) || site.policy.generated) return [];
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
    const issuer = splitConditionKey(site.condition.key.value)?.issuer;
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
};
