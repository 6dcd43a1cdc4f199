/**
 * A loopback stand-in for the one Kubernetes API call the live checks make,
 * `GET /api/v1/serviceaccounts` (all namespaces, paged with `limit` and
 * `continue`), reached by the real `@kubernetes/client-node` through a
 * kubeconfig the test writes. It keeps every request (to show that nothing
 * was called, and which token was sent) and can answer with a scripted
 * status, a malformed body, or not at all.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface StandInServiceAccount {
  readonly namespace: string;
  readonly name: string;
  readonly annotations?: Record<string, unknown>;
}

export interface KubernetesFault {
  readonly status: number;
  /** Sent as the body instead of a Status object. */
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Never answer. */
  readonly hang?: boolean;
  times: number;
}

export const STAND_IN_TOKEN = 'k8s-stand-in-bearer-token-0123456789';

export class KubernetesStandIn {
  readonly requests: { method: string; url: string; authorization?: string }[] = [];
  serviceAccounts: StandInServiceAccount[] = [];
  faults: KubernetesFault[] = [];
  /** Page size the stand-in enforces (the client asks for 500; a smaller one tests paging). */
  pageSize = 1000;
  private readonly hanging: http.ServerResponse[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<KubernetesStandIn> {
    const holder: { standIn?: KubernetesStandIn } = {};
    const server = http.createServer((req, res) => holder.standIn!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.standIn = new KubernetesStandIn(server, (server.address() as AddressInfo).port);
    return holder.standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Writes a kubeconfig with one context per name, each pointing at this
   * stand-in; `arns` names a context's cluster by EKS ARN. Returns its path.
   */
  writeKubeconfig(dir: string, contexts: readonly { name: string; cluster?: string }[], current = contexts[0]?.name): string {
    const file = path.join(dir, 'kubeconfig');
    const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
    for (const c of contexts) lines.push(`- name: ${c.cluster ?? c.name}`, "  cluster:", `    server: ${this.url}`, "    insecure-skip-tls-verify: true");
    lines.push('users:', '- name: tester', '  user:', `    token: ${STAND_IN_TOKEN}`, 'contexts:');
    for (const c of contexts) lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.cluster ?? c.name}`, '    user: tester');
    if (current !== undefined) lines.push(`current-context: ${current}`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  static tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-k8s-'));
  }

  close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}) });
    const fault = this.faults.find((f) => f.times > 0);
    if (fault) {
      fault.times--;
      if (fault.hang) return void this.hanging.push(res);
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      return void res.end(fault.body ?? JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `stand-in status ${fault.status}`, code: fault.status }));
    }
    if (req.method !== 'GET' || url.pathname !== '/api/v1/serviceaccounts') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 }));
    }
    const limit = Math.min(Number(url.searchParams.get('limit') ?? '1000') || 1000, this.pageSize);
    const start = Number(url.searchParams.get('continue') ?? '0') || 0;
    const page = this.serviceAccounts.slice(start, start + limit);
    const next = start + limit < this.serviceAccounts.length ? String(start + limit) : undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'ServiceAccountList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1', ...(next !== undefined ? { continue: next } : {}) },
        items: page.map((sa) => ({ metadata: { name: sa.name, namespace: sa.namespace, ...(sa.annotations ? { annotations: sa.annotations } : {}) } })),
      }),
    );
  }
}
