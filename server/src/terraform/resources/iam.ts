/**
 * IAM: roles and their trust, OIDC providers, the policy documents that
 * are trust policies, and the account a configuration runs in.
 */
import { concat, knownText, symbol, unknown, type StrValue } from '../../common/value';
import type { OidcProvider, Role } from '../../facts/types';
import { attribute, type Attribute, type Block } from '../../parse/hcl';
import type { ModuleContext, ResourceBlock } from '../context';
import type { SourceFile } from '../evaluate';
import { stringAt, type ResourceFamily } from '../family';
import { trustFromExpression, trustPolicyDocument } from '../trust';
import { managedPoliciesOfRole } from './role-policies';

export const iamResources: ResourceFamily = {
  resources: {
    aws_iam_role: {
      extract: extractRole,
      attribute: ({ declared, names: [, field], owner, span }, ctx) => {
        if (field === 'arn') return stringAt(symbol('role-arn', owner), span);
        if (field === 'name' || field === 'id') {
          const nameValue = declared ? ctx.str(attribute(declared.block, 'name'), declared.file)?.value : undefined;
          return stringAt(symbol('role-name', owner, nameValue ? knownText(nameValue) : undefined), span);
        }
        return undefined;
      },
    },
    aws_iam_openid_connect_provider: {
      extract: extractOidcProvider,
      attribute: ({ declared, names: [, field], owner, span }, ctx) => {
        if (field === 'arn' || field === 'id') return stringAt(symbol('provider-arn', owner), span);
        // Once applied, `url` holds the issuer without `https://` (IAM's GetOpenIDConnectProvider
        // returns it so and the provider stores that), whatever the configuration wrote.
        if (field === 'url') return stringAt(symbol('issuer-host', owner, declared ? resolvedHost(ctx, attribute(declared.block, 'url'), declared.file) : undefined), span);
        return undefined;
      },
    },
  },
  dataSources: {
    aws_iam_policy_document: {
      // A document with principals is a trust policy (one without is a permissions policy).
      extract: ({ address, block }, ctx) => {
        if (hasPrincipals(block)) trustPolicyDocument(ctx, address);
      },
    },
    aws_iam_openid_connect_provider: {
      attribute: ({ declared, names: [, field], owner, span }, ctx) => {
        if (field === 'arn') return stringAt(symbol('provider-arn', owner, undefined), span);
        // The data source reads the same state: the issuer without `https://`.
        if (field === 'url') return stringAt(symbol('issuer-host', owner, declared ? resolvedHost(ctx, attribute(declared.block, 'url'), declared.file) : undefined), span);
        return undefined;
      },
    },
    aws_caller_identity: {
      attribute: ({ names: [, field], owner, span }) => (field === 'account_id' ? stringAt(symbol('own-account', owner), span) : undefined),
    },
  },
};

function extractRole({ address, owner: id, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const nameAttr = attribute(block, 'name');
  const prefixAttr = attribute(block, 'name_prefix');
  let name: StrValue;
  if (nameAttr) name = ctx.evaluator.evaluateString(nameAttr.value, file);
  else if (prefixAttr) name = concat(ctx.evaluator.evaluateString(prefixAttr.value, file), unknown('suffix Terraform generates for name_prefix'));
  else name = unknown('Terraform generates the role name');
  const pathValue = ctx.str(attribute(block, 'path'), file)?.value;
  const path = pathValue ? knownText(pathValue) : undefined;
  const policyAttr = attribute(block, 'assume_role_policy');
  const trust = policyAttr ? trustFromExpression(ctx, policyAttr.value, file, `${id}#trust`) : ({ kind: 'unknown', reason: 'no assume_role_policy' } as const);
  const managedPolicies = managedPoliciesOfRole(ctx, address, id, name, block, file);
  const role: Role = { id, span: ctx.span(file, block.header), origin: 'terraform', name, trust, arnExpression: `${address}.arn`, managedPolicies, ...(path !== undefined ? { path } : {}) };
  ctx.out.roles.push(role);
}

function extractOidcProvider({ owner, block, file }: ResourceBlock, ctx: ModuleContext): void {
  const urlAttr = attribute(block, 'url');
  const url = ctx.str(urlAttr, file)?.value ?? unknown('no url');
  const clientAttr = attribute(block, 'client_id_list');
  const clients = ctx.list(clientAttr, file);
  const provider: OidcProvider = {
    id: owner,
    span: ctx.span(file, block.header),
    url,
    ...(urlAttr ? { urlSpan: ctx.span(file, urlAttr.value) } : {}),
    clientIds: clients.items,
    clientIdsComplete: clientAttr !== undefined && clients.complete,
    ...(clientAttr ? { clientIdsSpan: ctx.span(file, clientAttr.value) } : {}),
  };
  ctx.out.oidcProviders.push(provider);
}

function hasPrincipals(block: Block): boolean {
  const has = (b: Block): boolean =>
    b.blocks.some((c) => c.type === 'principals' || c.type === 'not_principals' || (c.type === 'dynamic' && (c.labels[0] === 'principals' || c.labels[0] === 'not_principals')) || has(c));
  return has(block);
}

/** A provider's URL as its `url` attribute reads once applied (the issuer without `https://`), when written literally. */
function resolvedHost(ctx: ModuleContext, attr: Attribute | undefined, file: SourceFile): string | undefined {
  const v = ctx.str(attr, file)?.value;
  const t = v ? knownText(v) : undefined;
  return t?.replace(/^https:\/\//, '');
}
