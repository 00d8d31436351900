/**
 * ResourceQuota accounting and admission (the quota evaluators of kube-apiserver and the resourcequota
 * controller): what an object uses, what a namespace uses under a quota's scopes, and the Forbidden texts
 * `exceeded quota: ...` and `failed quota: ...: must specify ...`.
 */
import type { ResourceQuota } from '../api/policy-types';
import { addQuantity, formatQuantity, parseQuantity, zeroQuantity, type Quantity } from '../api/quantity';
import { resourceFor, type ResourceInfo, type ResourceName } from '../api/resources';
import type { PersistentVolumeClaim } from '../api/storage-types';
import type { Container, KubeObject, Pod, Service } from '../api/types';
import type { ObjectStore } from '../store/store';

export type Usage = Map<string, Quantity>;

const ONE: Quantity = { milli: 1000n, format: 'DecimalSI' };
/** Names a pod quota requires every container to declare (the evaluator's validation set). */
const COMPUTE = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory'];
/** Object counts with a legacy name of their own. */
const LEGACY_COUNT: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
  persistentvolumeclaims: 'persistentvolumeclaims',
};

function add(usage: Usage, key: string, q: Quantity): void {
  const before = usage.get(key);
  usage.set(key, before ? addQuantity(before, q) : q);
}

export function countKey(info: ResourceInfo): string {
  return `count/${info.group ? `${info.resource}.${info.group}` : info.resource}`;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** A container's request for a resource: declared, else its limit (the API server defaults requests to limits). */
function request(c: Container, resource: 'cpu' | 'memory'): Quantity | undefined {
  const text = c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
  return text === undefined ? undefined : parseQuantity(String(text));
}

function limit(c: Container, resource: 'cpu' | 'memory'): Quantity | undefined {
  const text = c.resources?.limits?.[resource];
  return text === undefined ? undefined : parseQuantity(String(text));
}

/** What one object counts against quotas. Terminal pods count nothing. */
export function usageOf(info: ResourceInfo, obj: KubeObject): Usage {
  const usage: Usage = new Map();
  if (info.resource === 'pods' && isTerminal(obj as Pod)) return usage;
  const legacy = info.group === '' ? LEGACY_COUNT[info.resource] : undefined;
  if (legacy) usage.set(legacy, ONE);
  usage.set(countKey(info), ONE);
  if (info.resource === 'pods') {
    for (const c of (obj as Pod).spec?.containers ?? []) {
      for (const r of ['cpu', 'memory'] as const) {
        const req = request(c, r);
        if (req) {
          add(usage, `requests.${r}`, req);
          add(usage, r, req);
        }
        const lim = limit(c, r);
        if (lim) add(usage, `limits.${r}`, lim);
      }
    }
  }
  if (info.resource === 'persistentvolumeclaims') {
    // The PVC evaluator: the storage request, also per class (`<class>.storageclass.storage.k8s.io/...`).
    const spec = (obj as PersistentVolumeClaim).spec;
    const storage = parseQuantity(String(spec?.resources?.requests?.storage ?? '0'));
    const perClass = spec?.storageClassName
      ? `${spec.storageClassName}.storageclass.storage.k8s.io/`
      : undefined;
    if (storage) {
      usage.set('requests.storage', storage);
      if (perClass) usage.set(`${perClass}requests.storage`, storage);
    }
    if (perClass) usage.set(`${perClass}persistentvolumeclaims`, ONE);
  }
  if (info.resource === 'services') {
    const svc = obj as Service;
    const ports = svc.spec?.ports?.length ?? 0;
    if (svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer')
      usage.set('services.nodeports', { milli: BigInt(ports) * 1000n, format: 'DecimalSI' });
    if (svc.spec?.type === 'LoadBalancer') usage.set('services.loadbalancers', ONE);
  }
  return usage;
}

/** Whether a quota's scopes select this object (scopes only ever select pods). */
export function matchesScopes(quota: ResourceQuota, info: ResourceInfo, obj: KubeObject): boolean {
  const scopes = quota.spec?.scopes ?? [];
  if (scopes.length === 0) return true;
  if (info.resource !== 'pods') return false;
  const pod = obj as Pod;
  const bestEffort = (pod.spec?.containers ?? []).every(
    (c) =>
      Object.keys(c.resources?.requests ?? {}).length === 0 &&
      Object.keys(c.resources?.limits ?? {}).length === 0,
  );
  const terminating = (pod.spec as { activeDeadlineSeconds?: number })?.activeDeadlineSeconds !== undefined;
  return scopes.every((scope) => {
    switch (scope) {
      case 'BestEffort':
        return bestEffort;
      case 'NotBestEffort':
        return !bestEffort;
      case 'Terminating':
        return terminating;
      case 'NotTerminating':
        return !terminating;
      default:
        return true;
    }
  });
}

/** Scoped quotas track only pod resources; the rest stay at zero. */
function trackedBy(quota: ResourceQuota, key: string): boolean {
  if ((quota.spec?.scopes ?? []).length === 0) return true;
  return key === 'pods' || key === 'count/pods' || COMPUTE.includes(key);
}

/** The quota's status.used: every hard resource, summed over the namespace's objects. */
export function computeUsed(store: ObjectStore, quota: ResourceQuota): Record<string, string> {
  const hard = quota.spec?.hard ?? {};
  const keys = Object.keys(hard);
  const totals: Usage = new Map();
  const resources = new Set<ResourceName>();
  for (const key of keys) {
    const resource = resourceForKey(key);
    if (resource) resources.add(resource.resource);
  }
  for (const resource of resources) {
    const info = resourceFor(resource)!;
    for (const obj of store.valuesIn(resource, quota.metadata.namespace ?? 'default')) {
      if (!matchesScopes(quota, info, obj)) continue;
      for (const [key, q] of usageOf(info, obj)) add(totals, key, q);
    }
  }
  const used: Record<string, string> = {};
  for (const key of keys.sort()) {
    const total = trackedBy(quota, key) ? totals.get(key) : undefined;
    used[key] = formatQuantity(total ?? zeroQuantity());
  }
  return used;
}

/** Which stored resource a quota key counts. */
function resourceForKey(key: string): ResourceInfo | undefined {
  if (key.startsWith('count/')) return resourceFor(key.slice('count/'.length));
  if (COMPUTE.includes(key)) return resourceFor('pods');
  if (key.startsWith('services.')) return resourceFor('services');
  return key in LEGACY_COUNT ? resourceFor(key) : undefined;
}

function render(usage: Usage | Record<string, string>, keys: string[]): string {
  const get = (k: string) =>
    usage instanceof Map ? formatQuantity(usage.get(k) ?? zeroQuantity()) : (usage[k] ?? '0');
  return keys.map((k) => `${k}=${get(k)}`).join(',');
}

/**
 * Quota admission for a new object: undefined when every quota of its namespace allows it, else the reason
 * (the text after `is forbidden: `).
 */
export function quotaRefusal(store: ObjectStore, info: ResourceInfo, obj: KubeObject): string | undefined {
  if (!info.namespaced || store.count('resourcequotas') === 0) return undefined;
  const quotas = store
    .valuesIn<ResourceQuota>('resourcequotas', obj.metadata.namespace ?? 'default')
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const delta = usageOf(info, obj);
  if (delta.size === 0) return undefined;
  for (const quota of quotas) {
    if (!matchesScopes(quota, info, obj)) continue;
    const hard = quota.spec?.hard ?? {};
    if (info.resource === 'pods') {
      const missing = missingCompute(obj as Pod, Object.keys(hard));
      if (missing) return `failed quota: ${quota.metadata.name}: must specify ${missing}`;
    }
    const used = quota.status?.used ?? computeUsed(store, quota);
    const exceeded: string[] = [];
    for (const key of Object.keys(hard).sort()) {
      const requested = delta.get(key);
      if (!requested || !trackedBy(quota, key)) continue;
      const limitQ = parseQuantity(hard[key]);
      const usedQ = parseQuantity(used[key] ?? '0') ?? zeroQuantity();
      if (limitQ && usedQ.milli + requested.milli > limitQ.milli) exceeded.push(key);
    }
    if (exceeded.length > 0)
      return `exceeded quota: ${quota.metadata.name}, requested: ${render(delta, exceeded)}, used: ${render(used, exceeded)}, limited: ${render(hard, exceeded)}`;
  }
  return undefined;
}

/** `limits.cpu for: app; requests.memory for: app,sidecar` when containers lack what a compute quota covers. */
function missingCompute(pod: Pod, hardKeys: string[]): string | undefined {
  const required = hardKeys.filter((k) => COMPUTE.includes(k)).sort();
  const missing: string[] = [];
  for (const key of required) {
    const [kind, resource] = key.includes('.') ? key.split('.') : ['requests', key];
    const names = (pod.spec?.containers ?? [])
      .filter((c) => {
        const declared =
          kind === 'limits' ? c.resources?.limits : { ...c.resources?.limits, ...c.resources?.requests };
        return declared?.[resource] === undefined;
      })
      .map((c) => c.name)
      .sort();
    if (names.length > 0) missing.push(`${key} for: ${names.join(',')}`);
  }
  return missing.length > 0 ? missing.join('; ') : undefined;
}
