/**
 * Load a student can make: a container whose program loops `wget`/`curl` against a Service (the HPA walkthrough's
 * `while sleep 0.01; do wget -q -O- http://php-apache; done`), or the same loop typed as a long-running line in a
 * pod shell. Each such client keeps the Service's ready pods busy while it runs; the work is shared evenly among
 * the pods the Service's Endpoints list as ready.
 */
import type { Endpoints, Pod, Service } from '../api/types';
import { containerArgv } from '../runtime/programs';
import type { ObjectStore } from '../store/store';

/** A client looping requests against `host:port` from a pod, while it runs. */
export interface LoadClient {
  /** Namespace of the pod the loop runs in (where short Service names resolve). */
  namespace: string;
  host: string;
  port: number;
  /** Epoch ms the loop started. */
  from: number;
  /** Epoch ms it stopped; absent while it runs. */
  until?: number;
}

const URL_RE = /^(?:https?:\/\/)?([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?(?:\/\S*)?$/;

/**
 * The target of a shell loop that keeps requesting a URL (`while`/`until` around `wget` or `curl`), or undefined.
 * A bounded `for` loop or a single request is not a steady load.
 */
export function loopTarget(script: string): { host: string; port: number } | undefined {
  const loop = /\b(?:while|until)\b[\s\S]*?\bdo\b([\s\S]*?)\bdone\b/.exec(script);
  if (!loop) return undefined;
  const words = loop[1].split(/[\s;]+/).filter(Boolean);
  const tool = words.findIndex((w) => w === 'wget' || w === 'curl');
  if (tool < 0) return undefined;
  for (const word of words.slice(tool + 1)) {
    if (word.startsWith('-')) continue;
    const m = URL_RE.exec(word.replace(/^["']|["']$/g, ''));
    if (m) return { host: m[1].toLowerCase(), port: m[3] ? Number(m[3]) : 80 };
  }
  return undefined;
}

/** The loops running as containers' programs: one client per running container whose argv is such a loop. */
export function containerClients(store: ObjectStore): LoadClient[] {
  const clients: LoadClient[] = [];
  for (const pod of store.values<Pod>('pods')) {
    for (const status of pod.status?.containerStatuses ?? []) {
      const startedAt = status.state.running?.startedAt;
      if (!startedAt) continue;
      const spec = pod.spec.containers.find((c) => c.name === status.name);
      if (!spec) continue;
      const target = loopTarget(containerArgv(spec.image, spec.command, spec.args).join(' '));
      if (target)
        clients.push({
          namespace: pod.metadata.namespace ?? 'default',
          ...target,
          from: Date.parse(startedAt),
        });
    }
  }
  return clients;
}

/** The ready pods behind `host:port` seen from `namespace` (a Service name in any DNS form, or its ClusterIP). */
export function servingPods(store: ObjectStore, namespace: string, host: string, port: number): Pod[] {
  const service = resolveService(store, namespace, host);
  if (!service || !(service.spec.ports ?? []).some((p) => p.port === port)) return [];
  const endpoints = store.get<Endpoints>('endpoints', service.metadata.namespace, service.metadata.name);
  const pods: Pod[] = [];
  for (const subset of endpoints?.subsets ?? [])
    for (const address of subset.addresses ?? []) {
      const ref = address.targetRef;
      const pod = ref ? store.get<Pod>('pods', ref.namespace, ref.name) : undefined;
      if (pod && !pods.includes(pod)) pods.push(pod);
    }
  return pods;
}

function resolveService(store: ObjectStore, namespace: string, host: string): Service | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host))
    return store.values<Service>('services').find((s) => s.spec.clusterIP === host);
  const [name, ns = namespace, svc, ...rest] = host.split('.');
  if (svc !== undefined && svc !== 'svc') return undefined;
  if (rest.length > 0 && rest.join('.') !== 'cluster.local') return undefined;
  return store.get<Service>('services', ns, name);
}
