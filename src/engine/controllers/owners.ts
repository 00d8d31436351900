import type { KubeObject, OwnerReference, Pod, ReplicaSet } from '../api/types';

export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerRef(obj)?.uid === owner.metadata.uid;
}

export function ownerReferenceTo(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

export function revisionOf(rs: ReplicaSet): number {
  const n = Number(rs.metadata.annotations?.[REVISION] ?? '0');
  return Number.isFinite(n) ? n : 0;
}

export function isTerminating(obj: KubeObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Pods that count toward a ReplicaSet: not being deleted and not finished (controller.FilterActivePods). */
export function isPodActive(pod: Pod): boolean {
  return !isTerminating(pod) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

const parsedTimes = new Map<string, number>();

/** Creation time in ms (timestamps repeat a lot: parsed once each, bounded cache). */
export function creationMs(obj: KubeObject): number {
  const stamp = obj.metadata.creationTimestamp ?? '';
  let ms = parsedTimes.get(stamp);
  if (ms === undefined) {
    if (parsedTimes.size > 4096) parsedTimes.clear();
    ms = Date.parse(stamp) || 0;
    parsedTimes.set(stamp, ms);
  }
  return ms;
}

/** Oldest first, ties by name (controller.ReplicaSetsByCreationTimestamp). */
export function byCreation<T extends KubeObject>(a: T, b: T): number {
  return creationMs(a) - creationMs(b) || (a.metadata.name < b.metadata.name ? -1 : 1);
}
