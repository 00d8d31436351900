/**
 * Cluster invariants, for tests and the fuzz test: after any sequence of commands and clock moves, a synced
 * cluster must satisfy all of them. `checkInvariants` returns the violations (empty = healthy);
 * `InvariantChecker` also remembers resourceVersions between calls to check they only grow.
 */
import { ordinalOf } from './controllers/statefulset';
import type { StatefulSet } from './api/workload-types';
import { RESOURCES } from './api/resources';
import type {
  Deployment,
  Endpoints,
  Job,
  KubeObject,
  Namespace,
  Pod,
  ReplicaSet,
  Service,
} from './api/types';
import type { Cluster } from './cluster';
import { controllerRef, isPodReady } from './controllers/owners';
import { matchesLabelSelector } from './server/selectors';
import { OperationsInvariants } from './operations-invariants';
import { storageViolations } from './storage-invariants';

/**
 * Issue 14: every pod is owned by an object that exists (or is standalone, or being deleted); a Job never runs
 * more pods than its parallelism; a CronJob's Jobs are named after their schedule minute.
 */
function batchViolations(cluster: Cluster, pods: Pod[]): string[] {
  const store = cluster.store;
  const out: string[] = [];
  const uids = new Set<string>();
  for (const resource of store.resources())
    for (const obj of store.values(resource)) if (obj.metadata.uid) uids.add(obj.metadata.uid);
  const modelled = new Set(RESOURCES.map((r) => r.kind));
  for (const pod of pods) {
    const ref = controllerRef(pod);
    if (ref && modelled.has(ref.kind) && !uids.has(ref.uid) && !pod.metadata.deletionTimestamp)
      out.push(`${key(pod)} is owned by missing ${ref.kind} ${ref.name} and not being deleted`);
  }
  for (const job of store.values<Job>('jobs')) {
    const running = pods.filter(
      (p) =>
        controllerRef(p)?.uid === job.metadata.uid &&
        !p.metadata.deletionTimestamp &&
        p.status?.phase !== 'Succeeded' &&
        p.status?.phase !== 'Failed',
    ).length;
    if (running > (job.spec.parallelism ?? 1))
      out.push(`${key(job)} runs ${running} pods, more than its parallelism ${job.spec.parallelism ?? 1}`);
    out.push(...indexedJobViolations(job, pods));
    const ref = controllerRef(job);
    if (ref?.kind === 'CronJob' && !uids.has(ref.uid) && !job.metadata.deletionTimestamp)
      out.push(`${key(job)} is owned by missing CronJob ${ref.name}`);
  }
  return out;
}

/** Issue 14 part 2: an Indexed Job runs at most one pod per completion index, every index below its completions. */
function indexedJobViolations(job: Job, pods: Pod[]): string[] {
  if (job.spec.completionMode !== 'Indexed') return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const pod of pods) {
    if (controllerRef(pod)?.uid !== job.metadata.uid || pod.metadata.deletionTimestamp) continue;
    const index = pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
    if (index === undefined || !(Number(index) < (job.spec.completions ?? 0)))
      out.push(`${key(pod)} of Indexed ${key(job)} has completion index ${index ?? '<none>'}`);
    const running = pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
    if (running && index !== undefined && seen.has(index))
      out.push(`${key(job)} runs two pods for completion index ${index}`);
    if (running && index !== undefined) seen.add(index);
  }
  return out;
}

/** Issue 14: a StatefulSet's pods have unique ordinals, each matching its name and its pod-index label. */
function statefulSetViolations(cluster: Cluster, pods: Pod[]): string[] {
  const out: string[] = [];
  for (const sts of cluster.store.values<StatefulSet>('statefulsets')) {
    const seen = new Set<number>();
    for (const pod of pods) {
      if (controllerRef(pod)?.uid !== sts.metadata.uid) continue;
      const ordinal = ordinalOf(sts.metadata.name, pod.metadata.name);
      if (ordinal < 0) out.push(`${key(pod)} of ${key(sts)} has no ordinal`);
      else if (seen.has(ordinal)) out.push(`${key(sts)} has ordinal ${ordinal} twice`);
      else if ((pod.metadata.labels?.['apps.kubernetes.io/pod-index'] ?? String(ordinal)) !== String(ordinal))
        out.push(`${key(pod)} has pod-index ${pod.metadata.labels?.['apps.kubernetes.io/pod-index']}`);
      seen.add(ordinal);
    }
  }
  return out;
}

function key(obj: KubeObject): string {
  return `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}

export function checkInvariants(cluster: Cluster): string[] {
  cluster.sync();
  const store = cluster.store;
  const violations: string[] = [];
  const pods = store.values<Pod>('pods');
  const replicaSets = store.values<ReplicaSet>('replicasets');
  const deployments = store.values<Deployment>('deployments');
  const rsByUid = new Map(replicaSets.map((rs) => [rs.metadata.uid, rs]));
  const deployByUid = new Map(deployments.map((d) => [d.metadata.uid, d]));

  for (const pod of pods) {
    const ref = controllerRef(pod);
    if (ref?.kind === 'ReplicaSet' && !rsByUid.has(ref.uid) && !pod.metadata.deletionTimestamp)
      violations.push(`${key(pod)} is owned by missing ReplicaSet ${ref.name} and not being deleted`);
  }
  violations.push(...batchViolations(cluster, pods), ...statefulSetViolations(cluster, pods));
  violations.push(...storageViolations(store, pods));
  for (const rs of replicaSets) {
    const ref = controllerRef(rs);
    if (ref?.kind === 'Deployment' && !deployByUid.has(ref.uid) && !rs.metadata.deletionTimestamp)
      violations.push(`${key(rs)} is owned by missing Deployment ${ref.name}`);
  }

  const services = store.values<Service>('services');
  const clusterIps = new Map<string, string>();
  const nodePorts = new Map<number, string>();
  for (const svc of services) {
    const ip = svc.spec.clusterIP;
    if (ip && ip !== 'None') {
      if (clusterIps.has(ip))
        violations.push(`ClusterIP ${ip} used by ${clusterIps.get(ip)} and ${key(svc)}`);
      clusterIps.set(ip, key(svc));
    }
    for (const p of svc.spec.ports ?? []) {
      if (p.nodePort === undefined) continue;
      if (nodePorts.has(p.nodePort))
        violations.push(`NodePort ${p.nodePort} used by ${nodePorts.get(p.nodePort)} and ${key(svc)}`);
      nodePorts.set(p.nodePort, key(svc));
    }
    if (!svc.spec.selector) continue;
    const selected = pods.filter(
      (p) =>
        p.metadata.namespace === svc.metadata.namespace &&
        !p.metadata.deletionTimestamp &&
        p.status?.podIP &&
        matchesLabelSelector({ matchLabels: svc.spec.selector }, p.metadata.labels),
    );
    const ips = (list: Pod[]) => list.map((p) => p.status!.podIP!).sort();
    const expected = ips(selected.filter(isPodReady));
    const unready = ips(selected.filter((p) => !isPodReady(p)));
    const ep = store.get<Endpoints>('endpoints', svc.metadata.namespace, svc.metadata.name);
    const subsets = ep?.subsets ?? [];
    const actual = subsets.flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
    const actualUnready = subsets.flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip)).sort();
    if (!ep) violations.push(`${key(svc)} has no Endpoints object`);
    else if (expected.join(',') !== actual.join(','))
      violations.push(
        `Endpoints ${svc.metadata.namespace}/${svc.metadata.name} = [${actual}] but ready pods = [${expected}]`,
      );
    // Pods failing their readiness probe stay listed, as not ready.
    else if (actualUnready.join(',') !== unready.join(','))
      violations.push(
        `Endpoints ${svc.metadata.namespace}/${svc.metadata.name} not ready = [${actualUnready}] but unready pods = [${unready}]`,
      );
  }
  violations.push(...readinessViolations(pods));

  const podIps = new Map<string, string>();
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || pod.spec.hostNetwork) continue;
    if (podIps.has(ip)) violations.push(`pod IP ${ip} used by ${podIps.get(ip)} and ${key(pod)}`);
    podIps.set(ip, key(pod));
  }

  const seenVersions = new Map<string, string>();
  for (const resource of store.resources()) {
    for (const obj of store.values(resource)) {
      const rv = Number(obj.metadata.resourceVersion);
      if (!Number.isInteger(rv) || rv <= 0 || rv > store.revision)
        violations.push(
          `${key(obj)} has resourceVersion ${obj.metadata.resourceVersion} outside 1..${store.revision}`,
        );
      const other = seenVersions.get(obj.metadata.resourceVersion!);
      if (other)
        violations.push(`resourceVersion ${obj.metadata.resourceVersion} shared by ${other} and ${key(obj)}`);
      seenVersions.set(obj.metadata.resourceVersion!, key(obj));
    }
  }

  // A namespace is gone only once it is empty; an active one has its default account and root CA ConfigMap.
  const namespaces = new Map(store.values<Namespace>('namespaces').map((ns) => [ns.metadata.name, ns]));
  for (const info of RESOURCES) {
    if (!info.namespaced) continue;
    for (const obj of store.values(info.resource))
      if (!namespaces.has(obj.metadata.namespace ?? ''))
        violations.push(`${key(obj)} is in namespace ${obj.metadata.namespace}, which does not exist`);
  }
  for (const ns of namespaces.values()) {
    if (ns.status?.phase === 'Terminating') continue;
    const name = ns.metadata.name;
    if (!store.get('serviceaccounts', name, 'default'))
      violations.push(`active namespace ${name} has no default ServiceAccount`);
    if (!store.get('configmaps', name, 'kube-root-ca.crt'))
      violations.push(`active namespace ${name} has no kube-root-ca.crt ConfigMap`);
  }

  for (const d of deployments) {
    const s = d.status ?? {};
    if ((s.updatedReplicas ?? 0) > (s.replicas ?? 0))
      violations.push(
        `${key(d)} reports more updated (${s.updatedReplicas}) than total replicas (${s.replicas})`,
      );
    if ((s.availableReplicas ?? 0) > (s.readyReplicas ?? 0))
      violations.push(
        `${key(d)} reports more available (${s.availableReplicas}) than ready replicas (${s.readyReplicas})`,
      );
  }
  return violations;
}

/**
 * Probes: a pod is Ready exactly when it has not finished and all its containers are ready, and a container is
 * ready only while it runs and has started (a startup probe passed).
 */
function readinessViolations(pods: Pod[]): string[] {
  const out: string[] = [];
  for (const pod of pods) {
    const app = pod.status?.containerStatuses;
    if (!app?.length) continue;
    // Sidecars (init containers restarted Always) count towards the pod's readiness like app containers.
    const sidecars = new Set(
      (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
    );
    const statuses = [
      ...app,
      ...(pod.status?.initContainerStatuses ?? []).filter((s) => sidecars.has(s.name)),
    ];
    for (const s of statuses)
      if (s.ready && !(s.started && s.state.running))
        out.push(`${key(pod)} container ${s.name} is ready but not started and running`);
    const phase = pod.status?.phase;
    const expected = phase !== 'Succeeded' && phase !== 'Failed' && statuses.every((s) => s.ready);
    if (isPodReady(pod) !== expected)
      out.push(
        `${key(pod)} Ready=${isPodReady(pod)} but its containers' ready = ${statuses.map((s) => s.ready)}`,
      );
  }
  return out;
}

/** Remembers resourceVersions across checks: per object (by uid) and for the store they may only grow. */
export class InvariantChecker {
  private lastRevision = 0;
  private readonly versions = new Map<string, number>();
  private readonly operations: OperationsInvariants;

  constructor(private readonly cluster: Cluster) {
    this.operations = new OperationsInvariants(cluster);
  }

  check(): string[] {
    const violations = checkInvariants(this.cluster);
    violations.push(...this.operations.check());
    const store = this.cluster.store;
    if (store.revision < this.lastRevision)
      violations.push(`store revision went back from ${this.lastRevision} to ${store.revision}`);
    this.lastRevision = store.revision;
    for (const resource of store.resources()) {
      for (const obj of store.values(resource)) {
        const uid = obj.metadata.uid ?? key(obj);
        const rv = Number(obj.metadata.resourceVersion);
        const before = this.versions.get(uid);
        if (before !== undefined && rv < before)
          violations.push(`${key(obj)} resourceVersion went back from ${before} to ${rv}`);
        this.versions.set(uid, rv);
      }
    }
    return violations;
  }
}
