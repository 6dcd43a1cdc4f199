/**
 * Live ServiceAccounts from Kubernetes, through the user's kubeconfig and
 * `@kubernetes/client-node` (loaded on first use, as the AWS SDK is): for
 * each context asked, every ServiceAccount of every namespace
 * (`GET /api/v1/serviceaccounts`, paged), reduced to the IRSA annotations.
 *
 * Nothing here throws: every failure is a `LiveFault` naming the context,
 * what failed and what to do, with no token, certificate or header in it
 * (the client's own error text is never shown: it carries the response
 * body and headers). Every lookup is bounded by `timeoutMs`, aborted
 * when it runs out, so a server that never answers holds nothing open.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LiveKubernetesContext, LiveServiceAccount, LiveFault } from '../live/types';
import { LiveTimeout, scrubSecrets, withDeadline } from './aws';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type * as KubernetesClient from './kubernetes-client.mjs' with { 'resolution-mode': 'import' };

type Client = typeof KubernetesClient;

const ROLE_ARN = 'eks.amazonaws.com/role-arn';
const AUDIENCE = 'eks.amazonaws.com/audience';
const TOKEN_EXPIRATION = 'eks.amazonaws.com/token-expiration';
/** Page size and page count: 20 × 500 ServiceAccounts is more than any cluster we know of. */
const PAGE_SIZE = 500;
const MAX_PAGES = 20;
/** `arn:<partition>:eks:<region>:<account>:cluster/<name>`, as `aws eks update-kubeconfig` names clusters. */
const EKS_CLUSTER_ARN = /^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/([A-Za-z0-9][A-Za-z0-9_-]*)$/;

export interface KubernetesFetchOptions {
  /** For the whole listing of one context, exec credential plugins included. */
  readonly timeoutMs: number;
  readonly now?: () => number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface KubernetesResult {
  readonly contexts: readonly LiveKubernetesContext[];
  readonly faults: readonly LiveFault[];
}

/** The kubeconfig files the user has (`$KUBECONFIG`, a path list, or `~/.kube/config`), existing ones only. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const files = env.KUBECONFIG ? env.KUBECONFIG.split(path.delimiter).filter((f) => f !== '') : [path.join(env.HOME ?? os.homedir(), '.kube', 'config')];
  return files.filter((f) => {
    try {
      return fs.statSync(f).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * Lists the ServiceAccounts of each named context, or of the current
 * context when none is named. No kubeconfig file: no context, no fault
 * (the client would otherwise fall back to `http://localhost:8080`).
 */
export async function fetchKubernetesServiceAccounts(contexts: readonly string[], options: KubernetesFetchOptions): Promise<KubernetesResult> {
  const env = options.env ?? process.env;
  const files = kubeconfigFiles(env);
  if (files.length === 0) {
    return contexts.length === 0 ? { contexts: [], faults: [] } : { contexts: contexts.map((context) => ({ kind: 'unknown', context })), faults: contexts.map((context) => fault(context, 'no kubeconfig file found ($KUBECONFIG or ~/.kube/config); run `aws eks update-kubeconfig --name <cluster>` or set KUBECONFIG.')) };
  }
  let k8s: Client;
  try {
    k8s = await import('./kubernetes-client.mjs');
  } catch {
    return { contexts: contexts.map((context) => ({ kind: 'unknown', context })), faults: [fault(contexts[0] ?? 'current', 'the Kubernetes client could not be loaded; live ServiceAccounts are not checked.')] };
  }
  const config = new k8s.KubeConfig();
  try {
    // The client reads $KUBECONFIG itself, merging the files as kubectl does.
    config.loadFromFile(files[0]!);
    for (const extra of files.slice(1)) {
      const more = new k8s.KubeConfig();
      more.loadFromFile(extra);
      config.mergeConfig(more, true);
    }
  } catch (e) {
    const where = contexts[0] ?? 'current';
    return { contexts: contexts.map((context) => ({ kind: 'unknown', context })), faults: [fault(where, `the kubeconfig could not be read (${scrubSecrets(firstLine(e))}); fix it or set KUBECONFIG.`)] };
  }
  const named = contexts.length > 0 ? [...new Set(contexts)] : config.currentContext ? [config.currentContext] : [];
  if (named.length === 0) return { contexts: [], faults: [] };
  const results = await Promise.all(named.map((context) => listContext(k8s, config, context, options)));
  return { contexts: results.map((r) => r.context), faults: results.flatMap((r) => (r.fault ? [r.fault] : [])) };
}

async function listContext(k8s: Client, base: K8s.KubeConfig, context: string, options: KubernetesFetchOptions): Promise<{ context: LiveKubernetesContext; fault?: LiveFault }> {
  const now = options.now ?? Date.now;
  const entry = base.getContextObject(context);
  if (!entry) return { context: { kind: 'unknown', context }, fault: fault(context, `no such context in the kubeconfig; name one of ${base.getContexts().map((c) => c.name).slice(0, 5).join(', ') || '(none)'} in irsa.live.kubernetesContexts or --kube-context.`) };
  const cluster = eksClusterOf(base, entry);
  const unknown: LiveKubernetesContext = { kind: 'unknown', context, ...(cluster !== undefined ? { cluster } : {}) };
  try {
    const list = async (abort: AbortSignal): Promise<LiveServiceAccount[]> => {
      const config = new k8s.KubeConfig();
      config.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: context });
      const api = config.makeApiClient(k8s.CoreV1Api);
      // Every request carries the abort signal, so the deadline ends the request too (no socket left open).
      const signal: K8s.ObservableMiddleware = {
        pre: (c) => {
          c.setSignal(abort);
          return new k8s.Observable(Promise.resolve(c));
        },
        post: (r) => new k8s.Observable(Promise.resolve(r)),
      };
      const accounts: LiveServiceAccount[] = [];
      let next: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer: unknown = await api.listServiceAccountForAllNamespaces({ limit: PAGE_SIZE, ...(next !== undefined ? { _continue: next } : {}) }, { middleware: [signal], middlewareMergeStrategy: 'append' });
        const read = readServiceAccountList(answer);
        if (!read) throw new MalformedAnswer();
        accounts.push(...read.accounts);
        next = read.next;
        if (next === undefined) break;
      }
      return accounts;
    };
    const serviceAccounts = await withDeadline(options.timeoutMs, list);
    return { context: { kind: 'read', context, ...(cluster !== undefined ? { cluster } : {}), fetchedAt: now(), serviceAccounts } };
  } catch (e) {
    return { context: unknown, fault: describeKubernetesFault(e, context) };
  }
}

/** The EKS cluster a context points at: its cluster named by ARN, or `--cluster-name` / `-i` in its user's exec args. */
function eksClusterOf(config: K8s.KubeConfig, context: K8s.Context): string | undefined {
  const byArn = EKS_CLUSTER_ARN.exec(context.cluster);
  if (byArn) return byArn[1];
  const args = config.getUser(context.user)?.exec?.args;
  if (!Array.isArray(args)) return undefined;
  for (let i = 0; i + 1 < args.length; i++) {
    if ((args[i] === '--cluster-name' || args[i] === '-i' || args[i] === '--cluster-id') && /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(String(args[i + 1]))) return String(args[i + 1]);
  }
  return undefined;
}

/** A `ServiceAccountList` answer reduced to IRSA's fields; undefined when it is not one. */
export function readServiceAccountList(answer: unknown): { accounts: LiveServiceAccount[]; next?: string } | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const items = (answer as { items?: unknown }).items;
  if (!Array.isArray(items)) return undefined;
  const accounts: LiveServiceAccount[] = [];
  for (const item of items) {
    const metadata = typeof item === 'object' && item !== null ? (item as { metadata?: unknown }).metadata : undefined;
    if (typeof metadata !== 'object' || metadata === null) continue;
    const { name, namespace, annotations } = metadata as { name?: unknown; namespace?: unknown; annotations?: unknown };
    if (typeof name !== 'string' || typeof namespace !== 'string' || name === '' || namespace === '') continue;
    const notes = typeof annotations === 'object' && annotations !== null ? (annotations as Record<string, unknown>) : {};
    const text = (key: string): string | undefined => (typeof notes[key] === 'string' ? (notes[key] as string) : undefined);
    const roleArn = text(ROLE_ARN);
    const audience = text(AUDIENCE);
    const tokenExpiration = text(TOKEN_EXPIRATION);
    accounts.push({ namespace, name, ...(roleArn !== undefined ? { roleArn } : {}), ...(audience !== undefined ? { audience } : {}), ...(tokenExpiration !== undefined ? { tokenExpiration } : {}) });
  }
  const meta = (answer as { metadata?: unknown }).metadata;
  const cont = typeof meta === 'object' && meta !== null ? (meta as { _continue?: unknown; continue?: unknown })._continue ?? (meta as { continue?: unknown }).continue : undefined;
  return { accounts, ...(typeof cont === 'string' && cont !== '' ? { next: cont } : {}) };
}

class MalformedAnswer extends Error {
  override readonly name = 'MalformedAnswer';
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/** One line for a failed listing: the status and what to do; never the client's message (it holds the body and headers). */
export function describeKubernetesFault(error: unknown, context: string): LiveFault {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; errno?: unknown; type?: unknown; cause?: { code?: unknown } } | undefined;
  const status = typeof e?.code === 'number' ? e.code : undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.errno === 'string' ? e.errno : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  const op = 'listing ServiceAccounts (GET /api/v1/serviceaccounts)';
  let text: string;
  if (error instanceof LiveTimeout) text = `no answer from the API server within ${error.timeoutMs / 1000} s for ${op}; check the network or VPN, or raise irsa.live.timeoutSeconds.`;
  else if (error instanceof MalformedAnswer || (status === undefined && /JSON|Unexpected token|deserializ/i.test(message))) text = `${op} got an answer that is not a ServiceAccount list; a proxy may be in the way.`;
  else if (status === 401) text = `the API server rejected the credentials for ${op} (HTTP 401): the token may have expired; renew it (\`aws sso login\`, \`aws eks update-kubeconfig\`), then IRSA: Refresh live clusters.`;
  else if (status === 403) text = `Kubernetes denied ${op} (HTTP 403); the user needs \`list\` on \`serviceaccounts\` at cluster scope (a ClusterRole binding or an EKS access entry).`;
  else if (status === 404) text = `the server has no ServiceAccount list (HTTP 404) for ${op}; check that the context's server is a Kubernetes API server.`;
  else if (status === 429) text = `the API server throttled ${op} (HTTP 429); try again later (IRSA: Refresh live clusters).`;
  else if (status !== undefined && status >= 500) text = `the API server failed ${op} (HTTP ${status}); try again later.`;
  else if (status !== undefined) text = `${op} failed (HTTP ${status}).`;
  else if (UNREACHABLE_CODES.has(code) || /ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up/.test(message)) text = `the API server is unreachable for ${op} (${code || 'network error'}); check the network, VPN or the context's server URL.`;
  else if (/exec|credential|token/i.test(message)) text = `the context's credentials could not be obtained for ${op} (${scrubSecrets(firstLine(error))}); check its exec plugin (\`aws eks get-token\`) and AWS credentials.`;
  else text = `${op} failed: ${scrubSecrets(firstLine(error))}`;
  return fault(context, text);
}

function fault(context: string, text: string): LiveFault {
  const line = `kube context ${context}: ${text}`.replace(/\s+/g, ' ').trim();
  return { cluster: context, message: scrubSecrets(line.length > 400 ? `${line.slice(0, 397)}...` : line) };
}

function firstLine(error: unknown): string {
  const message = typeof (error as { message?: unknown } | undefined)?.message === 'string' ? (error as { message: string }).message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
