/**
 * A loopback stand-in for the two AWS APIs the live checks call, speaking
 * their wire protocols so the real SDK clients talk to it through
 * `AWS_ENDPOINT_URL_EKS` / `AWS_ENDPOINT_URL_IAM`: EKS REST-JSON
 * (`GET /clusters/{name}`) and IAM Query/XML (`POST /` with a form body,
 * `Action=ListOpenIDConnectProviders | GetOpenIDConnectProvider | GetRole |
 * ListAttachedRolePolicies | ListRolePolicies`). It keeps
 * every request, so tests can assert that nothing was called, and the
 * headers it saw, so they can assert that secrets did not leak.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInCluster {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly issuerId: string;
  readonly status?: string;
  /** Answered instead of the well-formed `cluster` object, to test what a broken answer does. */
  readonly raw?: unknown;
}

export interface StandInRole {
  readonly account: string;
  readonly name: string;
  /** The trust policy as JSON text: sent percent-encoded, as IAM sends it. */
  readonly trust: string;
  readonly attached?: readonly string[];
  readonly inline?: readonly string[];
}

export interface StandInProvider {
  readonly account: string;
  readonly host: string;
  readonly clientIds: readonly string[];
}

/** A scripted failure: the next `times` requests matching `service` answer with it. */
export interface StandInFault {
  readonly service: 'eks' | 'iam';
  readonly status: number;
  readonly code: string;
  readonly message: string;
  times: number;
  /** Reset the connection (a TCP RST) instead of answering. */
  readonly reset?: boolean;
  /** Never answer. */
  readonly hang?: boolean;
  /** Only IAM requests of this action. */
  readonly action?: string;
}

export interface RecordedRequest {
  readonly service: 'eks' | 'iam';
  readonly method: string;
  readonly url: string;
  readonly action?: string;
  readonly headers: http.IncomingHttpHeaders;
}

export class AwsStandIn {
  readonly requests: RecordedRequest[] = [];
  clusters: StandInCluster[] = [];
  providers: StandInProvider[] = [];
  roles: StandInRole[] = [];
  faults: StandInFault[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<AwsStandIn> {
    const handlers: { standIn?: AwsStandIn } = {};
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => handlers.standIn!.handle(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    handlers.standIn = new AwsStandIn(server, (server.address() as AddressInfo).port);
    return handlers.standIn;
  }

  get eksEndpoint(): string {
    return `http://127.0.0.1:${this.port}/eks`;
  }

  get iamEndpoint(): string {
    return `http://127.0.0.1:${this.port}/iam`;
  }

  /** Fake static credentials and the endpoints: what a test process gets. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_EKS: this.eksEndpoint,
      AWS_ENDPOINT_URL_IAM: this.iamEndpoint,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    };
  }

  count(service?: 'eks' | 'iam'): number {
    return this.requests.filter((r) => service === undefined || r.service === service).length;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const service = url.startsWith('/iam') ? 'iam' : 'eks';
    const action = service === 'iam' ? (new URLSearchParams(body).get('Action') ?? undefined) : undefined;
    this.requests.push({ service, method: req.method ?? '', url, headers: req.headers, ...(action !== undefined ? { action } : {}) });
    const fault = this.faults.find((f) => f.service === service && f.times > 0 && (f.action === undefined || f.action === action));
    if (fault) {
      fault.times--;
      if (fault.reset) return void req.socket.resetAndDestroy();
      if (fault.hang) return;
      if (service === 'eks') return this.json(res, fault.status, { message: fault.message }, fault.code);
      return this.xml(res, fault.status, `<ErrorResponse><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${fault.message}</Message></Error><RequestId>r1</RequestId></ErrorResponse>`);
    }
    if (service === 'eks') return this.describeCluster(url, res);
    return this.iam(action, new URLSearchParams(body), res);
  }

  private describeCluster(url: string, res: http.ServerResponse): void {
    const m = /^\/eks\/clusters\/([^/?]+)/.exec(url);
    const cluster = m ? this.clusters.find((c) => c.name === decodeURIComponent(m[1]!)) : undefined;
    if (!cluster) return this.json(res, 404, { message: `No cluster found for name: ${m?.[1] ?? '?'}.` }, 'ResourceNotFoundException');
    if (cluster.raw !== undefined) return this.json(res, 200, { cluster: cluster.raw });
    this.json(res, 200, {
      cluster: {
        name: cluster.name,
        arn: `arn:aws:eks:${cluster.region}:${cluster.account}:cluster/${cluster.name}`,
        status: cluster.status ?? 'ACTIVE',
        version: '1.31',
        identity: { oidc: { issuer: `https://oidc.eks.${cluster.region}.amazonaws.com/id/${cluster.issuerId}` } },
      },
    });
  }

  private iam(action: string | undefined, params: URLSearchParams, res: http.ServerResponse): void {
    const ns = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"';
    if (action === 'ListOpenIDConnectProviders') {
      const members = this.providers.map((p) => `<member><Arn>arn:aws:iam::${p.account}:oidc-provider/${p.host}</Arn></member>`).join('');
      return this.xml(res, 200, `<ListOpenIDConnectProvidersResponse ${ns}><ListOpenIDConnectProvidersResult><OpenIDConnectProviderList>${members}</OpenIDConnectProviderList></ListOpenIDConnectProvidersResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></ListOpenIDConnectProvidersResponse>`);
    }
    if (action === 'GetOpenIDConnectProvider') {
      const arn = params.get('OpenIDConnectProviderArn') ?? '';
      const p = this.providers.find((x) => arn === `arn:aws:iam::${x.account}:oidc-provider/${x.host}`);
      if (!p) return this.xml(res, 404, `<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>not found</Message></Error><RequestId>r3</RequestId></ErrorResponse>`);
      const ids = p.clientIds.map((c) => `<member>${c}</member>`).join('');
      return this.xml(res, 200, `<GetOpenIDConnectProviderResponse ${ns}><GetOpenIDConnectProviderResult><ClientIDList>${ids}</ClientIDList><Url>${p.host}</Url><ThumbprintList/></GetOpenIDConnectProviderResult><ResponseMetadata><RequestId>r4</RequestId></ResponseMetadata></GetOpenIDConnectProviderResponse>`);
    }
    if (action === 'GetRole' || action === 'ListAttachedRolePolicies' || action === 'ListRolePolicies') {
      const name = params.get('RoleName') ?? '';
      const role = this.roles.find((r) => r.name === name);
      if (!role) return this.xml(res, 404, `<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name ${name} cannot be found.</Message></Error><RequestId>r6</RequestId></ErrorResponse>`);
      const meta = '<ResponseMetadata><RequestId>r7</RequestId></ResponseMetadata>';
      if (action === 'GetRole') {
        const arn = `arn:aws:iam::${role.account}:role/${role.name}`;
        return this.xml(res, 200, `<GetRoleResponse ${ns}><GetRoleResult><Role><Path>/</Path><RoleName>${role.name}</RoleName><RoleId>AROAEXAMPLEID</RoleId><Arn>${arn}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>${encodeURIComponent(role.trust)}</AssumeRolePolicyDocument></Role></GetRoleResult>${meta}</GetRoleResponse>`);
      }
      if (action === 'ListAttachedRolePolicies') {
        const members = (role.attached ?? []).map((a) => `<member><PolicyArn>${a}</PolicyArn><PolicyName>${a.split('/').pop()}</PolicyName></member>`).join('');
        return this.xml(res, 200, `<ListAttachedRolePoliciesResponse ${ns}><ListAttachedRolePoliciesResult><AttachedPolicies>${members}</AttachedPolicies><IsTruncated>false</IsTruncated></ListAttachedRolePoliciesResult>${meta}</ListAttachedRolePoliciesResponse>`);
      }
      const members = (role.inline ?? []).map((n) => `<member>${n}</member>`).join('');
      return this.xml(res, 200, `<ListRolePoliciesResponse ${ns}><ListRolePoliciesResult><PolicyNames>${members}</PolicyNames><IsTruncated>false</IsTruncated></ListRolePoliciesResult>${meta}</ListRolePoliciesResponse>`);
    }
    this.xml(res, 400, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unknown action</Message></Error><RequestId>r5</RequestId></ErrorResponse>`);
  }

  private json(res: http.ServerResponse, status: number, body: unknown, errorType?: string): void {
    res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
    res.end(JSON.stringify(body));
  }

  private xml(res: http.ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(body);
  }
}
