/**
 * kube-controller-manager's persistentvolume-controller with the pvc- and pv-protection controllers: binds each
 * pending claim to a volume that names it (a provisioned one) or to the smallest Available volume that fits
 * (same class, the access modes, enough capacity); keeps both sides' phases (Pending → Available → Bound →
 * Released); deletes a released volume whose reclaim policy is Delete; and lets a claim (a volume) marked for
 * deletion go once no pod uses it (no claim is bound to it). A claim with no volume to bind asks its class's
 * provisioner (hostpath-provisioner.ts) or, with no such class, stays Pending with the controller's event.
 */
import { parseQuantity } from '../api/quantity';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../api/storage-types';
import { rfc3339 } from '../api/time';
import { PVC_PROTECTION, PV_PROTECTION } from '../server/storage-objects';
import { deepEqual, withStatus } from '../store/store';
import type { Controller, ControllerContext } from './context';
import { byCreation } from './owners';
import {
  BETA_STORAGE_PROVISIONER,
  BIND_COMPLETED,
  BOUND_BY_CONTROLLER,
  editable,
  hasEvent,
  podsUsing,
  PV_CONTROLLER,
  refersTo,
  STORAGE_PROVISIONER,
} from './storage-common';

const storageOf = (text: string | undefined) => parseQuantity(text ?? '0')?.milli ?? 0n;

export class VolumeBindingController implements Controller {
  readonly watches = ['persistentvolumeclaims', 'persistentvolumes', 'storageclasses', 'pods'] as const;

  constructor(
    private readonly ctx: ControllerContext,
    /** Called when a volume is deleted, so the node forgets the files it held. */
    private readonly volumeDeleted: (name: string) => void = () => undefined,
  ) {}

  reconcile(): void {
    const store = this.ctx.store;
    if (store.count('persistentvolumeclaims') === 0 && store.count('persistentvolumes') === 0) return;
    for (const pvc of store.values<PersistentVolumeClaim>('persistentvolumeclaims').sort(byCreation))
      this.syncClaim(pvc);
    for (const pv of store.values<PersistentVolume>('persistentvolumes').sort(byCreation))
      this.syncVolume(pv);
  }

  // ---------------------------------------------------------------- claims

  /** Claims already told why they wait (uid/reason); a restored cluster finds the events themselves. */
  private readonly told = new Set<string>();

  /** Whether the claim already has this one-time event (the reason it stays Pending); records that it will. */
  private reported(pvc: PersistentVolumeClaim, reason: string): boolean {
    const key = `${pvc.metadata.uid}/${reason}`;
    if (this.told.has(key)) return true;
    // Only a cache of the store's events: bounded, and rebuilt from them when cleared.
    if (this.told.size > 4096) this.told.clear();
    this.told.add(key);
    return hasEvent(this.ctx.store, pvc, reason);
  }

  private syncClaim(pvc: PersistentVolumeClaim): void {
    const ns = pvc.metadata.namespace ?? 'default';
    if (pvc.metadata.deletionTimestamp) {
      if (
        pvc.metadata.finalizers?.includes(PVC_PROTECTION) &&
        podsUsing(this.ctx.store, ns, pvc.metadata.name).length === 0
      )
        this.dropFinalizer(pvc, PVC_PROTECTION);
      return;
    }
    if (pvc.spec.volumeName) return this.keepBound(pvc);
    const volume = this.findVolume(pvc);
    if (volume) return this.bind(pvc, volume);
    const className = pvc.spec.storageClassName ?? '';
    if (className === '') {
      if (!this.reported(pvc, 'FailedBinding'))
        this.ctx.events.record(
          pvc,
          'Normal',
          'FailedBinding',
          'no persistent volumes available for this claim and no storage class is set',
          PV_CONTROLLER,
        );
      return;
    }
    const sc = this.ctx.store.get<StorageClass>('storageclasses', undefined, className);
    if (!sc) {
      if (!this.reported(pvc, 'ProvisioningFailed'))
        this.ctx.events.record(
          pvc,
          'Warning',
          'ProvisioningFailed',
          `storageclass.storage.k8s.io "${className}" not found`,
          PV_CONTROLLER,
        );
      return;
    }
    if (pvc.metadata.annotations?.[STORAGE_PROVISIONER] === sc.provisioner) return;
    // Delayed binding: nothing is provisioned until a pod that mounts the claim is being scheduled.
    if (
      sc.volumeBindingMode === 'WaitForFirstConsumer' &&
      podsUsing(this.ctx.store, ns, pvc.metadata.name).length === 0
    ) {
      if (!this.reported(pvc, 'WaitForFirstConsumer'))
        this.ctx.events.record(
          pvc,
          'Normal',
          'WaitForFirstConsumer',
          'waiting for first consumer to be created before binding',
          PV_CONTROLLER,
        );
      return;
    }
    // Dynamic provisioning is the external provisioner's job: the claim is handed to it by annotation.
    const next = editable(pvc);
    next.metadata.annotations = {
      ...next.metadata.annotations,
      [BETA_STORAGE_PROVISIONER]: sc.provisioner,
      [STORAGE_PROVISIONER]: sc.provisioner,
    };
    const handed = this.ctx.server.updateObject(next, { fromClient: false });
    this.ctx.events.record(
      handed,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      PV_CONTROLLER,
    );
  }

  /** A volume already meant for the claim, else the smallest Available one that satisfies it. */
  private findVolume(pvc: PersistentVolumeClaim): PersistentVolume | undefined {
    const volumes = this.ctx.store.values<PersistentVolume>('persistentvolumes');
    const named = volumes.find((pv) => refersTo(pv, pvc) && !pv.metadata.deletionTimestamp);
    if (named) return named;
    const want = storageOf(pvc.spec.resources?.requests?.storage);
    const modes = pvc.spec.accessModes ?? [];
    return volumes
      .filter(
        (pv) =>
          !pv.spec.claimRef &&
          !pv.metadata.deletionTimestamp &&
          pv.status?.phase === 'Available' &&
          (pv.spec.storageClassName ?? '') === (pvc.spec.storageClassName ?? '') &&
          modes.every((m) => pv.spec.accessModes?.includes(m)) &&
          storageOf(pv.spec.capacity?.storage) >= want,
      )
      .sort((a, b) =>
        storageOf(a.spec.capacity?.storage) < storageOf(b.spec.capacity?.storage) ? -1 : 1,
      )[0];
  }

  private bind(pvc: PersistentVolumeClaim, pv: PersistentVolume): void {
    const ref = pv.spec.claimRef;
    if (!ref?.uid) {
      const claimed = editable(pv);
      claimed.spec = {
        ...pv.spec,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          namespace: pvc.metadata.namespace,
          name: pvc.metadata.name,
          uid: pvc.metadata.uid,
          apiVersion: 'v1',
          resourceVersion: pvc.metadata.resourceVersion,
        },
      };
      if (!ref)
        claimed.metadata.annotations = { ...claimed.metadata.annotations, [BOUND_BY_CONTROLLER]: 'yes' };
      this.ctx.server.updateObject(claimed, { fromClient: false });
    }
    const next = editable(pvc);
    next.spec = { ...pvc.spec, volumeName: pv.metadata.name };
    next.metadata.annotations = {
      ...next.metadata.annotations,
      [BIND_COMPLETED]: 'yes',
      [BOUND_BY_CONTROLLER]: 'yes',
    };
    const bound = this.ctx.server.updateObject(next, { fromClient: false });
    this.keepBound(bound);
  }

  /** A claim that names its volume is Bound with the volume's capacity and modes (Lost once it is gone). */
  private keepBound(pvc: PersistentVolumeClaim): void {
    const pv = this.ctx.store.get<PersistentVolume>('persistentvolumes', undefined, pvc.spec.volumeName!);
    const status: PersistentVolumeClaim['status'] = pv
      ? { phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity }
      : { ...pvc.status, phase: 'Lost' };
    if (!pv && pvc.status?.phase !== 'Lost')
      this.ctx.events.record(
        pvc,
        'Warning',
        'ClaimLost',
        'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
        PV_CONTROLLER,
      );
    if (!deepEqual(pvc.status ?? {}, status))
      this.ctx.server.updateObject(withStatus(pvc, status), { fromClient: false });
  }

  // ---------------------------------------------------------------- volumes

  private syncVolume(pv: PersistentVolume): void {
    const ref = pv.spec.claimRef;
    const claim = ref?.name
      ? this.ctx.store.get<PersistentVolumeClaim>('persistentvolumeclaims', ref.namespace, ref.name)
      : undefined;
    const live = claim && (!ref?.uid || ref.uid === claim.metadata.uid) ? claim : undefined;
    if (pv.metadata.deletionTimestamp) {
      if (pv.metadata.finalizers?.includes(PV_PROTECTION) && !(live?.spec.volumeName === pv.metadata.name))
        this.dropFinalizer(pv, PV_PROTECTION);
      return;
    }
    let phase: NonNullable<PersistentVolume['status']>['phase'];
    if (!ref) phase = 'Available';
    else if (live)
      phase = live.spec.volumeName === pv.metadata.name ? 'Bound' : (pv.status?.phase ?? 'Available');
    else phase = ref.uid ? 'Released' : 'Available';
    if (phase === 'Released' && pv.spec.persistentVolumeReclaimPolicy === 'Delete') {
      this.ctx.server.deleteObject('persistentvolumes', undefined, pv.metadata.name);
      this.volumeDeleted(pv.metadata.name);
      return;
    }
    if (pv.status?.phase === phase) return;
    const status = { phase, lastPhaseTransitionTime: rfc3339(this.ctx.now()) };
    this.ctx.server.updateObject(withStatus(pv, status), { fromClient: false });
  }

  private dropFinalizer(obj: PersistentVolumeClaim | PersistentVolume, finalizer: string): void {
    const next = editable(obj);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    this.ctx.server.updateObject(next, { fromClient: false });
  }
}
