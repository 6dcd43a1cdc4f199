/**
 * The parts of the AWS SDK that `node/aws.ts` uses, in one module so that the
 * bundles can leave it out: `scripts/build.mjs` builds this file as its own
 * `dist/aws-sdk.js`, which the CLI and the server load on their first live
 * lookup only. A run without live checks does not compile the SDK (about half
 * of the bundle before the split).
 */
export { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
export { GetOpenIDConnectProviderCommand, IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
