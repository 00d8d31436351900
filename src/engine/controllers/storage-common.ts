/** What the storage controllers share: claim ↔ volume matching and the pods that use a claim. */
import type { PersistentVolume, PersistentVolumeClaim } from '../api/storage-types';
import type { KubeEvent, KubeObject, Pod } from '../api/types';
import type { ObjectStore } from '../store/store';

export const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const PV_CONTROLLER = { component: 'persistentvolume-controller' };

/** Whether the volume's claimRef names this claim (and, once it carries a uid, this very claim). */
export function refersTo(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  return (
    ref !== undefined &&
    ref.name === pvc.metadata.name &&
    ref.namespace === pvc.metadata.namespace &&
    (!ref.uid || ref.uid === pvc.metadata.uid)
  );
}

/** The pods of the claim's namespace that mount it and have not finished. */
export function podsUsing(store: ObjectStore, namespace: string, claim: string): Pod[] {
  return store
    .valuesIn<Pod>('pods', namespace)
    .filter(
      (p) =>
        p.status?.phase !== 'Succeeded' &&
        p.status?.phase !== 'Failed' &&
        (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim),
    );
}

/** Whether an event with this reason was already recorded for the object (one-time warnings). */
export function hasEvent(store: ObjectStore, obj: KubeObject, reason: string): boolean {
  return store
    .valuesIn<KubeEvent>('events', obj.metadata.namespace ?? 'default')
    .some((e) => e.involvedObject.uid === obj.metadata.uid && e.reason === reason);
}

/** A copy of the object with its metadata (labels, annotations, finalizers) open for change. */
export function editable<T extends KubeObject>(obj: T): T {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      ...(obj.metadata.annotations ? { annotations: { ...obj.metadata.annotations } } : {}),
      ...(obj.metadata.finalizers ? { finalizers: [...obj.metadata.finalizers] } : {}),
    },
  };
}
