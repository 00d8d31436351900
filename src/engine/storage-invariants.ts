/**
 * Issue 17 invariants of claims and volumes: a claim is bound to at most one volume and a volume to at most one
 * claim, both sides agree once bound, and a pod that was scheduled with claims still finds them.
 */
import type { PersistentVolume, PersistentVolumeClaim } from './api/storage-types';
import type { Pod } from './api/types';
import type { ObjectStore } from './store/store';

export function storageViolations(store: ObjectStore, pods: Pod[]): string[] {
  const out: string[] = [];
  const claims = store.values<PersistentVolumeClaim>('persistentvolumeclaims');
  const volumes = new Map(
    store.values<PersistentVolume>('persistentvolumes').map((v) => [v.metadata.name, v]),
  );
  const claimOf = new Map<string, string>();
  for (const pvc of claims) {
    const name = `${pvc.metadata.namespace}/${pvc.metadata.name}`;
    const volume = pvc.spec.volumeName;
    if (!volume) {
      if (pvc.status?.phase === 'Bound') out.push(`PersistentVolumeClaim ${name} is Bound without a volume`);
      continue;
    }
    const other = claimOf.get(volume);
    if (other) out.push(`PersistentVolume ${volume} is bound to both ${other} and ${name}`);
    claimOf.set(volume, name);
    const pv = volumes.get(volume);
    if (!pv) {
      if (pvc.status?.phase !== 'Lost')
        out.push(`PersistentVolumeClaim ${name} names missing volume ${volume}`);
      continue;
    }
    if (pv.spec.claimRef?.uid !== pvc.metadata.uid)
      out.push(`PersistentVolumeClaim ${name} is bound to ${volume}, which is not bound to it`);
  }
  for (const pv of volumes.values()) {
    if (pv.status?.phase !== 'Bound') continue;
    const ref = pv.spec.claimRef;
    const name = `${ref?.namespace}/${ref?.name}`;
    if (claimOf.get(pv.metadata.name) !== name)
      out.push(`PersistentVolume ${pv.metadata.name} is Bound but claim ${name} does not name it`);
  }
  for (const pod of pods) {
    if (!pod.spec.nodeName || pod.metadata.deletionTimestamp) continue;
    for (const volume of pod.spec.volumes ?? []) {
      const claim = volume.persistentVolumeClaim?.claimName;
      if (claim && !store.get('persistentvolumeclaims', pod.metadata.namespace, claim))
        out.push(`Pod ${pod.metadata.namespace}/${pod.metadata.name} runs with missing claim ${claim}`);
    }
  }
  return out;
}
