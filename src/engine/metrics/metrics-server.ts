/**
 * The metrics-server add-on at work: while its pod is Ready the Metrics API is served; every --metric-resolution
 * (60 s, from the pod's start) it scrapes the kubelets, and a container has a CPU rate once two scrapes have seen it
 * running. Usage is simulated: an idle baseline per image with a small deterministic wobble (keyed by the pod's
 * uid, so by the cluster's seed), plus the CPU the Service load of looping clients (load.ts) costs it, capped at the
 * container's CPU limit. A scrape is computed once and kept, as metrics-server keeps its latest one.
 */
import { parseQuantity } from '../api/quantity';
import type { Deployment, Pod } from '../api/types';
import { METRIC_RESOLUTION_MS, METRICS_API_SERVICE, METRICS_SERVER_SELECTOR } from '../addons/metrics-server';
import { isApiServiceAvailable } from '../controllers/apiservice-availability';
import type { ObjectStore } from '../store/store';
import { containerArgv } from '../runtime/programs';
import { containerClients, loopTarget, servingPods, type LoadClient } from './load';
import { CLIENT_LOOP_MILLICORES, NODE_OVERHEAD, usageProfile } from './profiles';

export interface ContainerSample {
  name: string;
  cpuNanocores: number;
  memoryBytes: number;
}

export interface PodSample {
  pod: Pod;
  containers: ContainerSample[];
}

export interface NodeSample {
  name: string;
  cpuNanocores: number;
  memoryBytes: number;
}

export interface Scrape {
  /** Epoch ms of the scrape (the samples' timestamp). */
  at: number;
  windowMs: number;
  pods: PodSample[];
  nodes: NodeSample[];
}

/** Whether the Metrics API is served, and the latest scrape once there is one (two scrapes after its start). */
export type MetricsState = { available: false } | { available: true; scrape: Scrape | undefined };

const NANO_PER_MILLI = 1_000_000;

export class MetricsServer {
  private cached: { at: number; startedAt: number; scrape: Scrape } | undefined;
  private readonly shellClients = new Set<LoadClient>();

  constructor(private readonly store: ObjectStore) {}

  /** A loop typed in a pod shell: a client from `client.from` until the returned function is called with its end. */
  startShellClient(client: Omit<LoadClient, 'until'>): (until: number) => void {
    const entry: LoadClient = { ...client };
    this.shellClients.add(entry);
    return (until) => {
      entry.until ??= until;
    };
  }

  state(now: number): MetricsState {
    const startedAt = this.serverStartedAt();
    if (startedAt === undefined) return { available: false };
    const scrapes = Math.floor((now - startedAt) / METRIC_RESOLUTION_MS);
    if (scrapes < 1) return { available: true, scrape: undefined };
    const at = startedAt + scrapes * METRIC_RESOLUTION_MS;
    if (!this.cached || this.cached.at !== at || this.cached.startedAt !== startedAt)
      this.cached = { at, startedAt, scrape: this.scrape(at) };
    return { available: true, scrape: this.cached.scrape };
  }

  /** The Ready metrics-server pod's start, when the add-on's Deployment exists (its APIService is registered). */
  private serverStartedAt(): number | undefined {
    const deployment = this.store.get<Deployment>('deployments', 'kube-system', 'metrics-server');
    if (!deployment || deployment.metadata.deletionTimestamp) return undefined;
    if (!isApiServiceAvailable(this.store, METRICS_API_SERVICE)) return undefined;
    let earliest: number | undefined;
    for (const pod of this.store.values<Pod>('pods')) {
      if (pod.metadata.namespace !== 'kube-system' || pod.metadata.deletionTimestamp) continue;
      if (pod.metadata.labels?.['k8s-app'] !== METRICS_SERVER_SELECTOR['k8s-app']) continue;
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      const started = pod.status?.containerStatuses?.[0]?.state.running?.startedAt;
      if (!ready || !started) continue;
      const at = Date.parse(started);
      if (earliest === undefined || at < earliest) earliest = at;
    }
    return earliest;
  }

  private scrape(at: number): Scrape {
    const windowStart = at - METRIC_RESOLUTION_MS;
    const clients = [...containerClients(this.store), ...this.shellClients].filter(
      (c) => c.from < at && (c.until === undefined || c.until > windowStart),
    );
    // Each client's share of the window, spread over the pods serving it.
    const extra = new Map<string, number>();
    for (const client of clients) {
      const pods = servingPods(this.store, client.namespace, client.host, client.port);
      const share =
        (Math.min(at, client.until ?? at) - Math.max(windowStart, client.from)) / METRIC_RESOLUTION_MS;
      for (const pod of pods) {
        const uid = pod.metadata.uid ?? '';
        extra.set(uid, (extra.get(uid) ?? 0) + share / pods.length);
      }
    }
    const pods: PodSample[] = [];
    for (const pod of this.store.values<Pod>('pods')) {
      if (pod.status?.phase !== 'Running') continue;
      const containers = this.sampleContainers(pod, at, extra.get(pod.metadata.uid ?? '') ?? 0);
      if (containers.length > 0) pods.push({ pod, containers });
    }
    return { at, windowMs: METRIC_RESOLUTION_MS, pods, nodes: this.sampleNodes(pods, at) };
  }

  private sampleContainers(pod: Pod, at: number, clientShare: number): ContainerSample[] {
    const samples: ContainerSample[] = [];
    const uid = pod.metadata.uid ?? pod.metadata.name;
    const scrape = Math.floor(at / METRIC_RESOLUTION_MS);
    let loadTaken = false;
    for (const status of pod.status?.containerStatuses ?? []) {
      const started = status.state.running?.startedAt;
      if (!started || Date.parse(started) > at - METRIC_RESOLUTION_MS) continue;
      const spec = pod.spec.containers.find((c) => c.name === status.name);
      if (!spec) continue;
      const profile = usageProfile(spec.image, spec.name);
      let millicores = profile.idleMillicores * (0.75 + 0.5 * wobble(`${uid}/${spec.name}/cpu/${scrape}`));
      // The serving container takes the clients' work (the first one that does work per request).
      if (!loadTaken && clientShare > 0 && profile.perClientMillicores > 0) {
        millicores +=
          clientShare * profile.perClientMillicores * (0.95 + 0.1 * wobble(`${uid}/load/${scrape}`));
        loadTaken = true;
      }
      if (loopTarget(containerArgv(spec.image, spec.command, spec.args).join(' ')))
        millicores += CLIENT_LOOP_MILLICORES * (0.8 + 0.4 * wobble(`${uid}/client/${scrape}`));
      const limit = spec.resources?.limits?.cpu;
      const limitMilli = limit ? Number(parseQuantity(limit)?.milli ?? 0n) : undefined;
      if (limitMilli !== undefined && limitMilli > 0) millicores = Math.min(millicores, limitMilli);
      const memory = profile.memoryBytes * (0.97 + 0.06 * wobble(`${uid}/${spec.name}/memory`));
      samples.push({
        name: spec.name,
        cpuNanocores: Math.round(millicores * NANO_PER_MILLI),
        memoryBytes: Math.round(memory / 4096) * 4096,
      });
    }
    return samples;
  }

  private sampleNodes(pods: PodSample[], at: number): NodeSample[] {
    const scrape = Math.floor(at / METRIC_RESOLUTION_MS);
    return this.store.values('nodes').map((node) => {
      const name = node.metadata.name;
      let cpu = NODE_OVERHEAD.millicores * (0.85 + 0.3 * wobble(`${name}/cpu/${scrape}`)) * NANO_PER_MILLI;
      let memory = NODE_OVERHEAD.memoryBytes * (0.98 + 0.04 * wobble(`${name}/memory/${scrape}`));
      for (const { pod, containers } of pods) {
        if (pod.spec.nodeName !== name) continue;
        for (const c of containers) {
          cpu += c.cpuNanocores;
          memory += c.memoryBytes;
        }
      }
      return { name, cpuNanocores: Math.round(cpu), memoryBytes: Math.round(memory / 4096) * 4096 };
    });
  }
}

/** A deterministic number in [0, 1) from a key (FNV-1a): the same cluster gives the same usage. */
function wobble(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return (h >>> 8) / 0x1000000;
}

const servers = new WeakMap<ObjectStore, MetricsServer>();

/** The cluster's metrics-server (one per object store: the controllers, kubectl and the HTTP API share it). */
export function metricsServerFor(store: ObjectStore): MetricsServer {
  let server = servers.get(store);
  if (!server) {
    server = new MetricsServer(store);
    servers.set(store, server);
  }
  return server;
}
