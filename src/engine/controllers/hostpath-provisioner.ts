/**
 * minikube's storage-provisioner (k8s.io/minikube-hostpath), running in the kube-system pod of that name: for a
 * claim handed to it (the storage-provisioner annotation) it makes a directory under /tmp/hostpath-provisioner on
 * the node and a PersistentVolume `pvc-<claim uid>` bound to the claim, with the claim's size and access modes
 * and its class's reclaim policy. It works about a second after the claim appears, and only while its pod runs.
 * Its events name it `k8s.io/minikube-hostpath_<node>_<identity>` (sig-storage-lib-external-provisioner).
 */
import { createHash } from 'node:crypto';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../api/storage-types';
import type { Pod } from '../api/types';
import { HOSTPATH_ROOT, MINIKUBE_PROVISIONER } from '../store/minikube-storage';
import { WAKE, type Controller, type ControllerContext } from './context';
import { byCreation, creationMs } from './owners';
import { PROVISIONED_BY, STORAGE_PROVISIONER } from './storage-common';

/** From the claim's creation to its volume (minikube's provisioner answers within about a second). */
export const PROVISION_DELAY_MS = 1000;

/** A stable uuid-shaped identity derived from the provisioner pod (a real one draws it when it starts). */
function identity(pod: Pod, salt: string): string {
  const hex = createHash('sha256').update(`${salt}/${pod.metadata.uid}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class HostPathProvisioner implements Controller {
  readonly watches = ['persistentvolumeclaims', 'pods'] as const;

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    if (this.ctx.store.count('persistentvolumeclaims') === 0) return;
    const pod = this.ctx.store.get<Pod>('pods', 'kube-system', 'storage-provisioner');
    if (!pod || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running') return;
    const now = this.ctx.now();
    for (const pvc of this.ctx.store
      .values<PersistentVolumeClaim>('persistentvolumeclaims')
      .sort(byCreation)) {
      if (pvc.spec.volumeName || pvc.metadata.deletionTimestamp) continue;
      if (pvc.metadata.annotations?.[STORAGE_PROVISIONER] !== MINIKUBE_PROVISIONER) continue;
      const name = `pvc-${pvc.metadata.uid}`;
      if (this.ctx.store.get('persistentvolumes', undefined, name)) continue;
      const due = creationMs(pvc) + PROVISION_DELAY_MS;
      if (now < due) {
        this.ctx.timers.replace(due, WAKE, `provision/${pvc.metadata.uid}`);
        continue;
      }
      this.provision(pvc, pod, name);
    }
  }

  private provision(pvc: PersistentVolumeClaim, pod: Pod, name: string): void {
    const source = { component: `${MINIKUBE_PROVISIONER}_${pod.spec.nodeName}_${identity(pod, 'leader')}` };
    const ns = pvc.metadata.namespace ?? 'default';
    this.ctx.events.record(
      pvc,
      'Normal',
      'Provisioning',
      `External provisioner is provisioning volume for claim "${ns}/${pvc.metadata.name}"`,
      source,
    );
    const sc = this.ctx.store.get<StorageClass>('storageclasses', undefined, pvc.spec.storageClassName ?? '');
    const pv: PersistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name,
        annotations: {
          hostPathProvisionerIdentity: identity(pod, 'provisioner'),
          [PROVISIONED_BY]: MINIKUBE_PROVISIONER,
        },
      },
      spec: {
        accessModes: pvc.spec.accessModes,
        capacity: { storage: pvc.spec.resources?.requests?.storage ?? '0' },
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name: pvc.metadata.name,
          namespace: ns,
          resourceVersion: pvc.metadata.resourceVersion,
          uid: pvc.metadata.uid,
        },
        hostPath: { path: `${HOSTPATH_ROOT}/${ns}/${pvc.metadata.name}`, type: '' },
        persistentVolumeReclaimPolicy: sc?.reclaimPolicy ?? 'Delete',
        storageClassName: pvc.spec.storageClassName,
        volumeMode: pvc.spec.volumeMode ?? 'Filesystem',
      },
    };
    this.ctx.server.createObject(pv);
    this.ctx.events.record(
      pvc,
      'Normal',
      'ProvisioningSucceeded',
      `Successfully provisioned volume ${name}`,
      source,
    );
  }
}
