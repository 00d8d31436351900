/**
 * Server-side table columns of PersistentVolumeClaim, PersistentVolume and StorageClass (printers.go
 * printPersistentVolumeClaim, printPersistentVolume, printStorageClass; reference breadth §6.1, §6.3).
 */
import {
  DEFAULT_CLASS_ANNOTATION,
  type AccessMode,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../../api/storage-types';
import type { KubeObject } from '../../api/types';
import { ageSince } from '../duration';
import type { Column } from './columns';

const name: Column<KubeObject> = { header: 'NAME', cell: (o) => o.metadata.name };
const age: Column<KubeObject> = {
  header: 'AGE',
  cell: (o, now) => ageSince(o.metadata.creationTimestamp, now),
};

/** storageutil.GetAccessModesAsString: the short forms, always in this order, each once. */
export function accessModesString(modes: AccessMode[] | undefined): string {
  const short: [AccessMode, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([mode]) => (modes ?? []).includes(mode))
    .map(([, s]) => s)
    .join(',');
}

/** The beta annotation still wins over the field, as storageutil.GetPersistentVolume(Claim)Class reads them. */
const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';
export const claimClass = (c: PersistentVolumeClaim) =>
  c.metadata.annotations?.[BETA_CLASS] ?? c.spec.storageClassName ?? '';
export const volumeClass = (v: PersistentVolume) =>
  v.metadata.annotations?.[BETA_CLASS] ?? v.spec.storageClassName ?? '';

/** storageutil.IsDefaultAnnotation: the GA or beta annotation set to "true". */
export function isDefaultClass(sc: KubeObject): boolean {
  const a = sc.metadata.annotations ?? {};
  return (
    a[DEFAULT_CLASS_ANNOTATION] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
  );
}

const terminating = (o: KubeObject, phase: string | undefined) =>
  o.metadata.deletionTimestamp ? 'Terminating' : (phase ?? '');

/** Capacity and access modes come from the status, and only once the claim names its volume. */
const bound = (c: PersistentVolumeClaim) => Boolean(c.spec.volumeName);

export const STORAGE_COLUMNS = {
  persistentvolumeclaims: [
    name,
    { header: 'STATUS', cell: (c) => terminating(c, c.status?.phase) },
    { header: 'VOLUME', cell: (c) => c.spec.volumeName ?? '' },
    { header: 'CAPACITY', cell: (c) => (bound(c) ? (c.status?.capacity?.storage ?? '0') : '') },
    { header: 'ACCESS MODES', cell: (c) => (bound(c) ? accessModesString(c.status?.accessModes) : '') },
    { header: 'STORAGECLASS', cell: claimClass },
    { header: 'VOLUMEATTRIBUTESCLASS', cell: (c) => c.spec.volumeAttributesClassName ?? '<unset>' },
    age,
    { header: 'VOLUMEMODE', wide: true, cell: (c) => c.spec.volumeMode ?? '<unset>' },
  ] as Column<PersistentVolumeClaim>[],
  persistentvolumes: [
    name,
    { header: 'CAPACITY', cell: (v) => v.spec.capacity?.storage ?? '0' },
    { header: 'ACCESS MODES', cell: (v) => accessModesString(v.spec.accessModes) },
    { header: 'RECLAIM POLICY', cell: (v) => v.spec.persistentVolumeReclaimPolicy ?? '' },
    { header: 'STATUS', cell: (v) => terminating(v, v.status?.phase) },
    {
      header: 'CLAIM',
      cell: (v) =>
        v.spec.claimRef ? `${v.spec.claimRef.namespace ?? ''}/${v.spec.claimRef.name ?? ''}` : '',
    },
    { header: 'STORAGECLASS', cell: volumeClass },
    { header: 'VOLUMEATTRIBUTESCLASS', cell: () => '<unset>' },
    { header: 'REASON', cell: (v) => v.status?.reason ?? '' },
    age,
    { header: 'VOLUMEMODE', wide: true, cell: (v) => v.spec.volumeMode ?? '<unset>' },
  ] as Column<PersistentVolume>[],
  storageclasses: [
    { header: 'NAME', cell: (s) => (isDefaultClass(s) ? `${s.metadata.name} (default)` : s.metadata.name) },
    { header: 'PROVISIONER', cell: (s) => s.provisioner },
    { header: 'RECLAIMPOLICY', cell: (s) => s.reclaimPolicy ?? 'Delete' },
    { header: 'VOLUMEBINDINGMODE', cell: (s) => s.volumeBindingMode ?? 'Immediate' },
    { header: 'ALLOWVOLUMEEXPANSION', cell: (s) => String(s.allowVolumeExpansion ?? false) },
    age,
  ] as Column<StorageClass>[],
} as const;
