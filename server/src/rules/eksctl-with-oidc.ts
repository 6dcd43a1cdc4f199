import type { Rule } from './types';

/** eksctl creates IRSA roles only with an IAM OIDC provider, which `iam.withOIDC: true` registers. */
export const rule: Rule = {
  meta: { id: 'eksctl-with-oidc', defaultSeverity: 'error', title: 'eksctl iam.serviceAccounts without iam.withOIDC: true' },
  check(model, report) {
    for (const config of model.eksctlConfigs) {
      if (!config.serviceAccountsKey || config.withOidc?.value === true) continue;
      report({
        span: config.withOidc?.span ?? config.serviceAccountsKey,
        message:
          `\`iam.serviceAccounts\` needs \`iam.withOIDC: true\`${config.withOidc ? ', but it is false' : ', which is missing'}. eksctl rejects the config ` +
          `(\`iam.withOIDC must be enabled explicitly for iam.serviceAccounts to be created\`), and without an IAM OIDC provider STS answers ` +
          `\`InvalidIdentityToken: No OpenIDConnect provider found in your account\`. Set \`iam.withOIDC: true\`.`,
      });
    }
  },
};
