/**
 * Live cluster facts from AWS: `eks:DescribeCluster` for the issuer, and
 * `iam:ListOpenIDConnectProviders` / `iam:GetOpenIDConnectProvider` for the
 * provider of that issuer. Credentials come from the SDK's default chain
 * (env, shared config and SSO profiles, web identity, container and
 * instance metadata), with an optional profile per cluster; the SDK honours
 * `AWS_ENDPOINT_URL_EKS` / `AWS_ENDPOINT_URL_IAM`.
 *
 * Nothing here throws: every failure becomes a `LiveFault`, one line that
 * says what failed, for which cluster, and what to do, scrubbed of anything
 * secret. Used by the language server (`lsp/live.ts`) and the CLI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GetOpenIDConnectProviderCommand, IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import type { ClusterTarget, LiveCluster, LiveFacts, LiveFault, LiveProvider } from '../live/types';
import { readClientIds, readDescribedCluster, readProviderArns } from './aws-answers';

export const DEFAULT_LIVE_TIMEOUT_SECONDS = 5;
export const DEFAULT_LIVE_CACHE_MINUTES = 10;

export interface FetchOptions {
  /** For the whole lookup of one cluster, credentials included. */
  readonly timeoutMs: number;
  /** Clock for `fetchedAt`. */
  readonly now?: () => number;
}

export type ClusterResult = { readonly ok: true; readonly cluster: LiveCluster; readonly faults: readonly LiveFault[] } | { readonly ok: false; readonly fault: LiveFault };

/**
 * Two attempts: the SDK's standard retry waits (with jittered backoff) and
 * tries once more on throttling and transient network errors.
 */
const MAX_ATTEMPTS = 2;

export async function fetchLiveCluster(target: ClusterTarget, options: FetchOptions): Promise<ClusterResult> {
  // The SDK warns on Node < 22 through process.emitWarning, which would land on the CLI's stderr
  // and in the server log on every run; the warning is about future SDK releases, not this one.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const now = options.now ?? Date.now;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new LiveTimeout(options.timeoutMs));
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([lookUp(target, options.timeoutMs, abort.signal, now), deadline]);
  } catch (e) {
    return { ok: false, fault: describeFault(e, target, 'eks:DescribeCluster') };
  } finally {
    clearTimeout(timer);
  }
}

class LiveTimeout extends Error {
  override readonly name = 'LiveTimeout';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
  }
}

async function lookUp(target: ClusterTarget, timeoutMs: number, abortSignal: AbortSignal, now: () => number): Promise<ClusterResult> {
  // Loaded on first use: a run without live checks does not pay for the SDK.
  // `./aws-sdk` is a separate chunk of the bundles (scripts/build.mjs).
  const { EKSClient, DescribeClusterCommand, IAMClient, ListOpenIDConnectProvidersCommand, GetOpenIDConnectProviderCommand } = await import('./aws-sdk.js');
  const config = {
    ...(target.region !== undefined ? { region: target.region } : {}),
    ...(target.profile !== undefined ? { profile: target.profile } : {}),
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  };
  const eks = new EKSClient(config);
  const iam = new IAMClient(config);
  try {
    const c = readDescribedCluster(await eks.send(new DescribeClusterCommand({ name: target.name }), { abortSignal }));
    const arn = c.arn ?? '';
    const arnParts = /^arn:[^:]+:eks:([^:]+):(\d{12}):cluster\//.exec(arn);
    const region = arnParts?.[1] ?? (await eks.config.region());
    const issuerUrl = c.issuerUrl;
    const faults: LiveFault[] = [];
    if (c.malformed.length > 0) {
      const where = `cluster ${target.name} (${region})`;
      faults.push({ cluster: target.name, region, message: `${where}: eks:DescribeCluster answered with a malformed ${c.malformed.join(', ')}; ${c.malformed.includes('identity.oidc.issuer') ? 'its issuer is not checked' : 'those fields are ignored'}.` });
    }
    let provider: LiveProvider = { kind: 'unknown' };
    if (issuerUrl) {
      try {
        provider = await providerFor(issuerUrl, iam, abortSignal, { ListOpenIDConnectProvidersCommand, GetOpenIDConnectProviderCommand });
      } catch (e) {
        faults.push(describeFault(e, { ...target, region }, 'iam:ListOpenIDConnectProviders'));
      }
    }
    const cluster: LiveCluster = {
      name: c.name ?? target.name,
      region,
      source: target.source,
      arn,
      account: arnParts?.[2] ?? '',
      status: c.status ?? 'UNKNOWN',
      ...(issuerUrl ? { issuerUrl } : {}),
      fetchedAt: now(),
      provider,
    };
    return { ok: true, cluster, faults };
  } finally {
    eks.destroy();
    iam.destroy();
  }
}

/** Type-only: the SDK itself is loaded lazily in `lookUp`. */
interface IamCommands {
  readonly ListOpenIDConnectProvidersCommand: typeof ListOpenIDConnectProvidersCommand;
  readonly GetOpenIDConnectProviderCommand: typeof GetOpenIDConnectProviderCommand;
}

async function providerFor(issuerUrl: string, iam: IAMClient, abortSignal: AbortSignal, commands: IamCommands): Promise<LiveProvider> {
  const host = issuerUrl.replace(/^https:\/\//, '').replace(/\/$/, '');
  const listed = await iam.send(new commands.ListOpenIDConnectProvidersCommand({}), { abortSignal });
  const arn = readProviderArns(listed).find((a) => a.endsWith(`:oidc-provider/${host}`));
  if (arn === undefined) return { kind: 'missing' };
  const provider = await iam.send(new commands.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }), { abortSignal });
  return { kind: 'found', arn, clientIds: readClientIds(provider) };
}

// ─── faults ─────────────────────────────────────────────────────────────────

/** Error codes Node uses for "could not reach the endpoint". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Error codes for a connection that was made and then broken. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);

/**
 * One line for a failed lookup: what failed, which cluster, how to fix.
 * The SDK's own message is included only when no case below explains it,
 * and then only its first line, scrubbed: it can echo request details, and
 * its second line is advice for programmers ("inspect the hidden field
 * {error}.$response") that means nothing in a status bar.
 */
export function describeFault(error: unknown, target: Pick<ClusterTarget, 'name' | 'region' | 'profile'>, operation: string): LiveFault {
  const where = `cluster ${target.name}${target.region !== undefined ? ` (${target.region})` : ''}`;
  const profile = target.profile !== undefined ? ` --profile ${target.profile}` : '';
  const e = error as { name?: unknown; message?: unknown; code?: unknown; cause?: { code?: unknown }; $metadata?: { httpStatusCode?: unknown } } | undefined;
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  const status = typeof e?.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  let text: string;
  if (/SSO session .*(expired|invalid)|Token is expired|token.*has expired/i.test(message)) {
    text = `${where}: the AWS SSO session${target.profile !== undefined ? ` of profile ${target.profile}` : ''} has expired; run \`aws sso login${profile}\`, then IRSA: Refresh live clusters.`;
  } else if (EXPIRED_CREDENTIALS.has(name) || EXPIRED_CREDENTIALS.has(code) || /security token included in the request is expired/i.test(message)) {
    text = `${where}: the AWS credentials have expired (${name || code || 'expired token'}); renew them (\`aws sso login${profile}\`, a new session or new keys), then IRSA: Refresh live clusters.`;
  } else if (name === 'CredentialsProviderError' || /Could not load credentials|credential.*(missing|not found)|Unable to locate credentials/i.test(message)) {
    text = `${where}: no AWS credentials found${target.profile !== undefined ? ` for profile ${target.profile}` : ''}; configure them (\`aws configure${profile}\`, \`aws sso login${profile}\`, AWS_PROFILE) or set a profile in irsa.clusters.`;
  } else if (/AccessDenied|UnauthorizedOperation|UnrecognizedClient|InvalidClientTokenId|SignatureDoesNotMatch/.test(name)) {
    text = `${where}: AWS denied ${operation} (${name}); use credentials allowed to call ${operation}${target.profile === undefined ? ' (a profile in irsa.clusters or --profile)' : ''}.`;
  } else if (name === 'ResourceNotFoundException' || name === 'NoSuchEntity') {
    text = `${where}: not found in ${target.region ?? 'the default region'} for these credentials; check the cluster name, region and account.`;
  } else if (THROTTLING.has(name) || status === 429) {
    text = `${where}: AWS throttled ${operation} and the retry was throttled too; try again later (IRSA: Refresh live clusters).`;
  } else if (RESET_CODES.has(code) || /ECONNRESET|socket hang up/.test(message)) {
    // The SDK names a reset connection `TimeoutError`: look at the code before the name.
    text = `${where}: the connection to AWS was reset before ${operation} was answered (${code || 'connection reset'}); check the network or proxy, then IRSA: Refresh live clusters.`;
  } else if (error instanceof LiveTimeout || name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT') {
    text = `${where}: no answer from AWS within ${error instanceof LiveTimeout ? error.timeoutMs / 1000 : DEFAULT_LIVE_TIMEOUT_SECONDS} s; check the network or raise irsa.live.timeoutSeconds.`;
  } else if (UNREACHABLE_CODES.has(code) || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    text = `${where}: the AWS endpoint is unreachable (${code || 'network error'}); check the network, proxy or AWS_ENDPOINT_URL_* settings.`;
  } else if (/Region is missing|region.*not.*(set|found)/i.test(message)) {
    text = `${where}: no region; give one in irsa.clusters, with --region, or in AWS_REGION.`;
  } else if (/Deserialization error/.test(message) || (name === 'SyntaxError' && status !== undefined)) {
    text = `${where}: ${operation} got an answer that is not AWS's${status !== undefined ? ` (HTTP ${status})` : ''}; a proxy or an AWS_ENDPOINT_URL_* setting may be in the way.`;
  } else {
    const firstLine = message.split('\n')[0]!.trim();
    text = `${where}: ${operation} failed${status !== undefined ? ` (HTTP ${status})` : ''}: ${name && name !== 'Unknown' ? `${name}: ` : ''}${scrubSecrets(firstLine)}`;
  }
  return { cluster: target.name, ...(target.region !== undefined ? { region: target.region } : {}), message: scrubSecrets(oneLine(text)) };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 397)}...` : line;
}

/**
 * Removes what must never reach a log: access key ids, secrets and session
 * tokens (also the current environment's, verbatim), signatures, signed
 * headers and query parameters, bearer tokens.
 */
export function scrubSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECURITY_TOKEN']) {
    const value = env[name];
    if (value && value.length >= 8) out = out.split(value).join('[redacted]');
  }
  return out
    .replace(/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, '[redacted]')
    .replace(/(authorization|x-amz-security-token|x-amz-signature|x-amz-credential|signature|credential|accesstoken|access_token|sessiontoken|secretaccesskey|aws_secret_access_key|aws_session_token)(["']?\s*[:=]\s*["']?)[^\s,;"'&]+/gi, '$1$2[redacted]')
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]')
    .replace(/[A-Za-z0-9+/]{40,}={0,2}/g, '[redacted]');
}

// ─── cache ──────────────────────────────────────────────────────────────────

/**
 * Results per cluster (name, region, profile) for a time-to-live; a lookup
 * in flight is shared. Faults are kept too: a missing SSO login should not
 * cost a 5 s timeout on every trigger. `clear()` is the refresh command.
 */
export class LiveClusterCache {
  private readonly entries = new Map<string, { readonly at: number; readonly result: Promise<ClusterResult> }>();

  constructor(
    private readonly fetch: (target: ClusterTarget) => Promise<ClusterResult>,
    private ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  setTtl(ttlMs: number): void {
    this.ttlMs = ttlMs;
  }

  get(target: ClusterTarget): Promise<ClusterResult> {
    const key = JSON.stringify([target.name, target.region ?? '', target.profile ?? '']);
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at < this.ttlMs) return entry.result.then((r) => (r.ok ? { ...r, cluster: { ...r.cluster, source: target.source } } : r));
    const result = this.fetch(target);
    this.entries.set(key, { at: this.now(), result });
    return result;
  }

  clear(): void {
    this.entries.clear();
  }
}

// ─── where credentials and clusters are configured ──────────────────────────

/**
 * Whether the environment names AWS credentials without asking the network:
 * keys, a profile, web identity, container credentials, or shared config
 * files. (Instance metadata is not probed: on a machine without it the probe
 * costs a timeout.) The CLI turns live checks on by default only then.
 */
export function awsCredentialsConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const home = env.HOME ?? os.homedir();
  const files = [env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials'), env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config')];
  return files.some((f) => fs.existsSync(f));
}

/** Looks every target up (in parallel, through the cache): the live facts and the faults, one per failure. */
export async function fetchLiveFacts(targets: readonly ClusterTarget[], cache: LiveClusterCache): Promise<{ facts: LiveFacts; faults: LiveFault[] }> {
  const results = await Promise.all(targets.map((t) => cache.get(t)));
  const clusters: LiveCluster[] = [];
  const faults: LiveFault[] = [];
  for (const r of results) {
    if (r.ok) {
      clusters.push(r.cluster);
      faults.push(...r.faults);
    } else faults.push(r.fault);
  }
  return { facts: { clusters }, faults };
}
