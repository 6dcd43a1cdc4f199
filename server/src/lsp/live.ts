/**
 * Live cluster checks in the language server. Static analysis never waits
 * for them: the scan publishes diagnostics first, then this fetches (in the
 * background, through the cache) and asks for a re-analysis when facts
 * arrive. Faults become one status line (`irsa/liveStatus`, shown in the
 * VS Code status bar) and one log line each; the static diagnostics stay.
 *
 * Besides the clusters, the roles the workspace's ServiceAccounts name by
 * ARN are read from IAM, and the ServiceAccounts of the kubeconfig contexts
 * in `irsa.live.kubernetesContexts` (or the current one) from Kubernetes
 * (issue #16), under the same conditions.
 *
 * Trust: no AWS or Kubernetes call unless the workspace is trusted and live checks are
 * enabled. VS Code sends `workspaceTrusted` in `initializationOptions` and
 * `irsa/workspaceTrusted` when the user grants trust. A client that says
 * nothing about trust (Neovim, Helix, …) gets live checks only when its
 * settings set `irsa.live.enabled: true` explicitly: that is the user's
 * opt-in, and without it a server started on a cloned repository calls
 * nothing.
 */
import type { Connection } from 'vscode-languageserver/node';
import { LIVE_STATUS_NOTIFICATION, type InitializationOptions, type LiveStatus } from '../../../shared/protocol';
import type { Workspace } from '../index/workspace';
import { clustersNamedByWorkspace, mergeClusterTargets, roleArnsNamedByWorkspace, targetsKey } from '../live/discovery';
import type { ClusterTarget, LiveFacts, LiveFault } from '../live/types';
import { awsCredentialsConfigured } from '../node/aws';
import { gatherLiveFacts, LiveCaches, type LiveRequest } from '../node/live-facts';
import { kubeconfigClusters } from '../node/kubeconfig';
import { notificationType } from './convert';
import type { Logger } from './log';
import type { SettingsStore } from './settings';

export interface LiveDependencies {
  readonly connection: Connection;
  readonly log: Logger;
  readonly workspace: Workspace;
  readonly settings: SettingsStore;
  /** New facts (or none any more): analyse again. */
  readonly onFactsChanged: () => void;
}

export class LiveChecks {
  /** What the rules get; undefined until the first answer, and when live checks are off. */
  facts: LiveFacts | undefined;
  private trusted: boolean | undefined;
  private faults: readonly LiveFault[] = [];
  private status: LiveStatus = { state: 'off', text: 'IRSA: live off', tooltip: 'Live cluster checks have not started.' };
  private readonly caches: LiveCaches;
  /** The cluster set of the last fetch: an edit that names another cluster fetches again. */
  private lastTargetsKey: string | undefined;
  /** Bumped by every refresh: an answer to an older one is dropped. */
  private generation = 0;
  private ttlTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly deps: LiveDependencies) {
    this.caches = new LiveCaches(() => deps.settings.live.timeoutSeconds * 1000, deps.settings.live.cacheMinutes * 60_000);
  }

  initialize(options: unknown): void {
    const trusted = typeof options === 'object' && options !== null ? (options as InitializationOptions).workspaceTrusted : undefined;
    this.trusted = typeof trusted === 'boolean' ? trusted : undefined;
  }

  grantTrust(): void {
    this.trusted = true;
    this.deps.log.info('Workspace trusted: live cluster checks may call AWS now.');
    void this.refresh();
  }

  get enabled(): boolean {
    return this.trusted !== false && (this.deps.settings.live.enabled ?? this.trusted === true);
  }

  currentStatus(): LiveStatus {
    return this.status;
  }

  /** After the scan: from now on, model changes may start fetches. */
  start(): Promise<LiveStatus> {
    this.started = true;
    return this.refresh();
  }

  /** After an analysis: fetch again if the workspace now names other clusters. */
  modelChanged(): void {
    if (!this.started || !this.enabled || this.lastTargetsKey === undefined) return;
    if (requestKey(this.request(this.awsAllowed())) !== this.lastTargetsKey) void this.refresh();
  }

  /** Fetches what is not cached (everything with `force`: the refresh command). */
  async refresh(options: { force?: boolean } = {}): Promise<LiveStatus> {
    const generation = ++this.generation;
    clearTimeout(this.ttlTimer);
    if (!this.enabled) {
      const why = this.trusted === false ? 'the workspace is not trusted' : this.deps.settings.live.enabled === false ? 'irsa.live.enabled is false' : 'the client did not say the workspace is trusted; set irsa.live.enabled to true to opt in';
      this.lastTargetsKey = undefined;
      this.setFacts(undefined, []);
      return this.publish({ state: 'off', text: 'IRSA: live off', tooltip: `Live cluster checks are off: ${why}. Static checks run as usual.` });
    }
    this.caches.setTtl(this.deps.settings.live.cacheMinutes * 60_000);
    if (options.force) this.caches.clear();
    // As in the CLI: without credentials the SDK would only probe instance metadata and fail, on every refresh.
    const aws = this.awsAllowed();
    if (!aws && this.deps.settings.live.kubernetesContexts.length === 0) {
      this.lastTargetsKey = undefined;
      this.setFacts(undefined, []);
      return this.publish({
        state: 'off',
        text: 'IRSA: live off',
        tooltip: 'Live cluster checks are off: no AWS credentials are configured (AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/config or credentials). Configure them, or name clusters in irsa.clusters, then run "IRSA: Refresh live clusters". Static checks run as usual.',
      });
    }
    const request = this.request(aws);
    const { targets } = request;
    this.lastTargetsKey = requestKey(request);
    if (targets.length === 0 && request.roleArns.length === 0 && request.kubernetesContexts === undefined) {
      this.setFacts(undefined, []);
      return this.publish({ state: 'ok', text: 'IRSA: live, no clusters', tooltip: 'No cluster to check: name one in irsa.clusters, in the workspace (eks module, aws_eks_cluster, eksctl) or in your kubeconfig.' });
    }
    this.publish({ state: 'checking', text: 'IRSA: live checking…', tooltip: `Looking up ${[...targets.map((t) => t.name), ...(request.roleArns.length > 0 ? [`${request.roleArns.length} role(s)`] : []), ...(request.kubernetesContexts ? ['Kubernetes ServiceAccounts'] : [])].join(', ')}.` });
    const { facts, faults } = await gatherLiveFacts(request, this.caches);
    if (generation !== this.generation) return this.status;
    for (const fault of faults) this.deps.log.warn(`Live check: ${fault.message}`);
    this.setFacts(facts, faults);
    this.ttlTimer = setTimeout(() => void this.refresh(), this.deps.settings.live.cacheMinutes * 60_000 + 1000);
    this.ttlTimer.unref();
    const names = [
      ...facts.clusters.map((c) => `${c.name} (${c.region}, ${c.status})`),
      ...(facts.roles && facts.roles.size > 0 ? [`${facts.roles.size} role${facts.roles.size === 1 ? '' : 's'} in IAM`] : []),
      ...(facts.kubernetes ?? []).filter((c) => c.kind === 'read').map((c) => `kube context ${c.context}`),
    ];
    if (faults.length > 0) {
      const first = faults[0]!;
      const reason = first.message.replace(/^(?:cluster|role|kube context) \S+(?: \([^)]*\))?: /, '').split(/[;(]/)[0]!.trim();
      return this.publish({ state: 'failed', text: `IRSA: live check failed (${first.cluster}: ${reason})`, tooltip: [...faults.map((f) => f.message), ...(names.length > 0 ? [`Checked: ${names.join(', ')}`] : [])].join('\n') });
    }
    return this.publish({ state: 'ok', text: `IRSA: live ${liveCounts(facts)}`, tooltip: `Checked ${names.join(', ')} at ${new Date().toISOString().slice(11, 19)} UTC.` });
  }

  stop(): void {
    this.generation++;
    clearTimeout(this.ttlTimer);
  }

  /** AWS may be asked: clusters named in the settings, or credentials configured without asking the network. */
  private awsAllowed(): boolean {
    return this.deps.settings.clusters.length > 0 || awsCredentialsConfigured();
  }

  /** What to look up: clusters and roles when AWS may be asked; Kubernetes when contexts are named, or AWS may be asked and the workspace has ServiceAccounts. */
  private request(aws: boolean): LiveRequest {
    const model = this.deps.workspace.model();
    const contexts = this.deps.settings.live.kubernetesContexts;
    const kubernetes = contexts.length > 0 || (aws && model.serviceAccounts.length > 0);
    return { targets: aws ? this.targets() : [], roleArns: aws ? roleArnsNamedByWorkspace(model) : [], ...(kubernetes ? { kubernetesContexts: contexts } : {}) };
  }

  private targets(): ClusterTarget[] {
    const fromSettings = this.deps.settings.clusters.map((c): ClusterTarget => ({ name: c.name, region: c.region, ...(c.profile !== undefined ? { profile: c.profile } : {}), source: 'settings' }));
    return mergeClusterTargets(fromSettings, clustersNamedByWorkspace(this.deps.workspace.model()), kubeconfigClusters());
  }

  private setFacts(facts: LiveFacts | undefined, faults: readonly LiveFault[]): void {
    const changed = facts !== this.facts || faults.length !== this.faults.length;
    this.facts = facts;
    this.faults = faults;
    if (changed) this.deps.onFactsChanged();
  }

  private publish(status: LiveStatus): LiveStatus {
    // The output channel tells the same story as the status bar: why live checks are off, what they found.
    // Faults have their own warning lines (refresh); "checking" is a moment, not news.
    if (status.state !== 'checking' && status.state !== 'failed' && (status.text !== this.status.text || status.tooltip !== this.status.tooltip)) {
      this.deps.log.info(`${status.text}. ${status.tooltip}`);
    }
    this.status = status;
    this.deps.connection.sendNotification(notificationType(LIVE_STATUS_NOTIFICATION), status).catch(() => undefined);
    return status;
  }
}

/** A key that changes when what a refresh would look up changes. */
function requestKey(request: LiveRequest): string {
  return JSON.stringify([targetsKey(request.targets), request.roleArns, request.kubernetesContexts ?? null]);
}

/** "1 cluster", or "1 cluster · 2 roles · 1 context": what the live check read, so a run that read only roles or contexts says so. */
function liveCounts(facts: LiveFacts): string {
  const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const contexts = (facts.kubernetes ?? []).filter((c) => c.kind === 'read').length;
  const roles = facts.roles ? [...facts.roles.values()].filter((r) => r.kind !== 'unknown').length : 0;
  return [count(facts.clusters.length, 'cluster'), ...(roles > 0 ? [count(roles, 'role')] : []), ...(contexts > 0 ? [count(contexts, 'context')] : [])].join(' · ');
}
