/**
 * Defaulting, admission and validation of PersistentVolumeClaim, PersistentVolume and StorageClass (the core/v1
 * and storage/v1 SetDefaults, the DefaultStorageClass and StorageObjectInUseProtection admission plugins, and
 * the registry strategies' Validate/ValidateUpdate), with the real field-error texts.
 */
import { canonicalQuantity, parseQuantity, QUANTITY_REGEX_MESSAGE } from '../api/quantity';
import type { StatusCause } from '../api/status-error';
import {
  DEFAULT_CLASS_ANNOTATION,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../api/storage-types';
import type { KubeObject } from '../api/types';
import { deepEqual, type ObjectStore } from '../store/store';
import { invalidValue, required, unsupported } from './validation';

export const STORAGE_KINDS = new Set(['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass']);
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

function canonicalMap(map: Record<string, string> | undefined): void {
  if (map) for (const key of Object.keys(map)) map[key] = canonicalQuantity(String(map[key]));
}

/** SetDefaults: volumeMode Filesystem, a PV's reclaim policy Retain, a class's Delete and Immediate. */
export function defaultStorageObject(obj: KubeObject): void {
  if (obj.kind === 'PersistentVolumeClaim') {
    const pvc = obj as PersistentVolumeClaim;
    pvc.spec ??= {};
    pvc.spec.volumeMode ??= 'Filesystem';
    // The VolumeAttributesClass gate is off in 1.30: the server drops the field.
    delete pvc.spec.volumeAttributesClassName;
    canonicalMap(pvc.spec.resources?.requests);
    canonicalMap(pvc.spec.resources?.limits);
  } else if (obj.kind === 'PersistentVolume') {
    const pv = obj as PersistentVolume;
    pv.spec ??= {};
    pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    pv.spec.volumeMode ??= 'Filesystem';
    if (pv.spec.hostPath) pv.spec.hostPath.type ??= '';
    canonicalMap(pv.spec.capacity);
  } else if (obj.kind === 'StorageClass') {
    const sc = obj as StorageClass;
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  }
}

/** The class a claim without one gets: the newest class marked default (DefaultStorageClass admission). */
export function defaultClassName(store: ObjectStore): string | undefined {
  const defaults = store
    .values<StorageClass>('storageclasses')
    .filter((sc) => sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  return defaults[0]?.metadata.name;
}

/**
 * Admission on create: a claim naming no class gets the default one; claims and volumes get their protection
 * finalizer; a new claim or volume starts Pending whatever status the client sent.
 */
export function admitStorageObject(store: ObjectStore, obj: KubeObject): void {
  const add = (finalizer: string) => {
    const list = (obj.metadata.finalizers ??= []);
    if (!list.includes(finalizer)) list.push(finalizer);
  };
  if (obj.kind === 'PersistentVolumeClaim') {
    const pvc = obj as PersistentVolumeClaim;
    if (pvc.spec.storageClassName === undefined && !pvc.metadata.annotations?.[BETA_CLASS]) {
      const name = defaultClassName(store);
      if (name) pvc.spec.storageClassName = name;
    }
    add(PVC_PROTECTION);
    pvc.status = { phase: 'Pending' };
  } else if (obj.kind === 'PersistentVolume') {
    add(PV_PROTECTION);
    (obj as PersistentVolume).status = { phase: 'Pending' };
  }
}

function validateStorageQuantity(field: string, value: string | undefined): StatusCause[] {
  if (value === undefined) return [required(field)];
  const q = parseQuantity(String(value));
  if (!q) return [invalidValue(field, String(value), QUANTITY_REGEX_MESSAGE)];
  if (q.milli <= 0n) return [invalidValue(field, String(value), 'must be greater than zero')];
  return [];
}

function validateAccessModes(field: string, modes: string[] | undefined, detail: string): StatusCause[] {
  if (!modes || modes.length === 0) return [required(field, detail)];
  return modes.filter((m) => !ACCESS_MODES.includes(m)).map((m) => unsupported(field, m, ACCESS_MODES));
}

function validateClaim(pvc: PersistentVolumeClaim): StatusCause[] {
  const spec = pvc.spec ?? {};
  return [
    ...validateAccessModes('spec.accessModes', spec.accessModes, 'at least 1 access mode is required'),
    ...validateStorageQuantity('spec.resources[storage]', spec.resources?.requests?.storage),
  ];
}

function validateVolume(pv: PersistentVolume): StatusCause[] {
  const spec = pv.spec ?? {};
  const causes: StatusCause[] = [];
  if (!spec.capacity || Object.keys(spec.capacity).length === 0) causes.push(required('spec.capacity'));
  else causes.push(...validateStorageQuantity('spec.capacity[storage]', spec.capacity.storage));
  causes.push(...validateAccessModes('spec.accessModes', spec.accessModes, ''));
  const policies = ['Delete', 'Recycle', 'Retain'];
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !policies.includes(policy))
    causes.push(unsupported('spec.persistentVolumeReclaimPolicy', policy, policies));
  // The only volume source this lab's node can give is a host directory.
  if (!spec.hostPath) causes.push(required('spec', 'must specify a volume type'));
  else if (!spec.hostPath.path) causes.push(required('spec.hostPath.path'));
  return causes;
}

function validateClass(sc: StorageClass): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!sc.provisioner) causes.push(required('provisioner'));
  if (sc.reclaimPolicy && !['Delete', 'Retain'].includes(sc.reclaimPolicy))
    causes.push(unsupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
  const modes = ['Immediate', 'WaitForFirstConsumer'];
  if (sc.volumeBindingMode && !modes.includes(sc.volumeBindingMode))
    causes.push(unsupported('volumeBindingMode', sc.volumeBindingMode, modes));
  return causes;
}

export function validateStorageObject(obj: KubeObject): StatusCause[] {
  if (obj.kind === 'PersistentVolumeClaim') return validateClaim(obj as PersistentVolumeClaim);
  if (obj.kind === 'PersistentVolume') return validateVolume(obj as PersistentVolume);
  return validateClass(obj as StorageClass);
}

/** Field order is not meaning: a defaulted field may come last in one version and first in the other. */
const same = (a: unknown, b: unknown) => deepEqual(a ?? null, b ?? null);

/**
 * ValidatePersistentVolumeClaimUpdate: only a bound claim's storage request may change; volumeName may be set
 * once and a missing class filled in. (The real message continues with a cmp.Diff of the spec, left out here.)
 */
function claimUpdateCauses(old: PersistentVolumeClaim, next: PersistentVolumeClaim): StatusCause[] {
  const bound = old.status?.phase === 'Bound';
  const comparable = (pvc: PersistentVolumeClaim) => ({
    ...pvc.spec,
    volumeName: old.spec.volumeName ? pvc.spec.volumeName : undefined,
    storageClassName: old.spec.storageClassName === undefined ? undefined : pvc.spec.storageClassName,
    resources: bound
      ? { ...pvc.spec.resources, requests: { ...pvc.spec.resources?.requests, storage: undefined } }
      : pvc.spec.resources,
  });
  if (!same(comparable(old), comparable(next)))
    return [
      {
        field: 'spec',
        message:
          'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      },
    ];
  const before = parseQuantity(old.spec.resources?.requests?.storage ?? '0');
  const after = parseQuantity(next.spec.resources?.requests?.storage ?? '0');
  if (before && after && after.milli < before.milli)
    return [
      {
        field: 'spec.resources.requests.storage',
        message: 'Forbidden: field can not be less than previous value',
      },
    ];
  return [];
}

function classUpdateCauses(old: StorageClass, next: StorageClass): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!same(old.parameters, next.parameters))
    causes.push({ field: 'parameters', message: 'Forbidden: updates to parameters are forbidden.' });
  if (old.provisioner !== next.provisioner)
    causes.push({ field: 'provisioner', message: 'Forbidden: updates to provisioner are forbidden.' });
  if (old.reclaimPolicy !== next.reclaimPolicy)
    causes.push({ field: 'reclaimPolicy', message: 'Forbidden: updates to reclaimPolicy are forbidden.' });
  if (old.volumeBindingMode !== next.volumeBindingMode)
    causes.push(invalidValue('volumeBindingMode', next.volumeBindingMode ?? '', 'field is immutable'));
  return causes;
}

export function storageUpdateCauses(old: KubeObject, next: KubeObject): StatusCause[] {
  if (next.kind === 'PersistentVolumeClaim')
    return claimUpdateCauses(old as PersistentVolumeClaim, next as PersistentVolumeClaim);
  if (next.kind === 'StorageClass') return classUpdateCauses(old as StorageClass, next as StorageClass);
  return [];
}

/**
 * PersistentVolumeClaimResize admission: a bound claim's storage request may only grow when its class allows
 * volume expansion. The Forbidden text, or undefined.
 */
export function resizeRefusal(store: ObjectStore, old: KubeObject, next: KubeObject): string | undefined {
  if (next.kind !== 'PersistentVolumeClaim') return undefined;
  const before = (old as PersistentVolumeClaim).spec.resources?.requests?.storage;
  const after = (next as PersistentVolumeClaim).spec.resources?.requests?.storage;
  const grows = (parseQuantity(after ?? '0')?.milli ?? 0n) > (parseQuantity(before ?? '0')?.milli ?? 0n);
  if (!grows || (old as PersistentVolumeClaim).status?.phase !== 'Bound') return undefined;
  const className = (old as PersistentVolumeClaim).spec.storageClassName ?? '';
  const sc = store.get<StorageClass>('storageclasses', undefined, className);
  if (sc?.allowVolumeExpansion) return undefined;
  return 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize';
}
