/**
 * `kubectl describe` for PersistentVolumeClaim, PersistentVolume and StorageClass (describe.go
 * describePersistentVolumeClaim, describePersistentVolume, describeStorageClass; reference breadth §6.4).
 */
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/storage-types';
import type { KubeEvent, Pod } from '../../api/types';
import { ageSince } from '../duration';
import { formatLabels } from '../printers/format';
import { accessModesString, claimClass, isDefaultClass, volumeClass } from '../printers/storage-columns';
import { DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './common';

/** Go's `%v` of a []string. */
const goSlice = (items: string[] | undefined) => `[${(items ?? []).join(' ')}]`;

/** The pods of the claim's namespace that mount it (getPodsForPVC), for `Used By:`. */
export function podsUsingClaim(claim: PersistentVolumeClaim, pods: Pod[]): Pod[] {
  return pods.filter((p) =>
    (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name),
  );
}

export function describePersistentVolumeClaim(
  pvc: PersistentVolumeClaim,
  pods: Pod[],
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${pvc.metadata.name}\n`);
  w.write(0, `Namespace:\t${pvc.metadata.namespace ?? ''}\n`);
  w.write(0, `StorageClass:\t${claimClass(pvc)}\n`);
  if (pvc.metadata.deletionTimestamp)
    w.write(0, `Status:\tTerminating (lasts ${ageSince(pvc.metadata.deletionTimestamp, now)})\n`);
  else w.write(0, `Status:\t${pvc.status?.phase ?? ''}\n`);
  w.write(0, `Volume:\t${pvc.spec.volumeName ?? ''}\n`);
  writeLabels(w, 'Labels', pvc.metadata.labels);
  writeAnnotations(w, 'Annotations', pvc.metadata.annotations);
  w.write(0, `Finalizers:\t${goSlice(pvc.metadata.finalizers)}\n`);
  const bound = Boolean(pvc.spec.volumeName);
  w.write(0, `Capacity:\t${bound ? (pvc.status?.capacity?.storage ?? '0') : ''}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModesString(pvc.status?.accessModes) : ''}\n`);
  if (pvc.spec.volumeMode) w.write(0, `VolumeMode:\t${pvc.spec.volumeMode}\n`);
  const source = pvc.spec.dataSource;
  if (source) {
    w.write(0, 'DataSource:\n');
    if (source.apiGroup !== undefined) w.write(1, `APIGroup:\t${source.apiGroup}\n`);
    w.write(1, `Kind:\t${source.kind}\n`);
    w.write(1, `Name:\t${source.name}\n`);
  }
  const users = podsUsingClaim(pvc, pods)
    .map((p) => p.metadata.name)
    .sort();
  w.write(0, 'Used By:\t');
  if (users.length === 0) w.write(0, '<none>\n');
  users.forEach((user, i) => w.write(0, `${i > 0 ? '\t' : ''}${user}\n`));
  if (events) writeEvents(w, events, now);
  return w;
}

export function describePersistentVolume(
  pv: PersistentVolume,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${pv.metadata.name}\n`);
  writeLabels(w, 'Labels', pv.metadata.labels);
  writeAnnotations(w, 'Annotations', pv.metadata.annotations);
  w.write(0, `Finalizers:\t${goSlice(pv.metadata.finalizers)}\n`);
  w.write(0, `StorageClass:\t${volumeClass(pv)}\n`);
  if (pv.metadata.deletionTimestamp)
    w.write(0, `Status:\tTerminating (lasts ${ageSince(pv.metadata.deletionTimestamp, now)})\n`);
  else w.write(0, `Status:\t${pv.status?.phase ?? ''}\n`);
  const ref = pv.spec.claimRef;
  w.write(0, `Claim:\t${ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : ''}\n`);
  w.write(0, `Reclaim Policy:\t${pv.spec.persistentVolumeReclaimPolicy ?? ''}\n`);
  w.write(0, `Access Modes:\t${accessModesString(pv.spec.accessModes)}\n`);
  if (pv.spec.volumeMode) w.write(0, `VolumeMode:\t${pv.spec.volumeMode}\n`);
  w.write(0, `Capacity:\t${pv.spec.capacity?.storage ?? '0'}\n`);
  // Volumes with node affinity (local volumes) are not made here: the provisioner's hostPath has none.
  w.write(0, 'Node Affinity:\t<none>\n');
  w.write(0, `Message:\t${pv.status?.message ?? ''}\n`);
  w.write(0, 'Source:\n');
  if (pv.spec.hostPath)
    w.write(
      2,
      `Type:\tHostPath (bare host directory volume)\n    Path:\t${pv.spec.hostPath.path}\n    HostPathType:\t${pv.spec.hostPath.type ?? ''}\n`,
    );
  else w.write(1, '<unknown>\n');
  if (events) writeEvents(w, events, now);
  return w;
}

/** AllowVolumeExpansion prints Go's `%t` of the pointer's value, or `<unset>`. */
const unsetOr = (value: boolean | undefined) => (value === undefined ? '<unset>' : value ? 'True' : 'False');

export function describeStorageClass(
  sc: StorageClass,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${sc.metadata.name}\n`);
  w.write(0, `IsDefaultClass:\t${isDefaultClass(sc) ? 'Yes' : 'No'}\n`);
  w.write(0, `Annotations:\t${formatLabels(sc.metadata.annotations)}\n`);
  w.write(0, `Provisioner:\t${sc.provisioner}\n`);
  w.write(0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
  w.write(0, `AllowVolumeExpansion:\t${unsetOr(sc.allowVolumeExpansion)}\n`);
  const options = sc.mountOptions ?? [];
  w.write(0, `MountOptions:${options.length === 0 ? '\t<none>' : ''}\n`);
  for (const option of options) w.write(1, `${option}\n`);
  w.write(0, `ReclaimPolicy:\t${sc.reclaimPolicy ?? ''}\n`);
  w.write(0, `VolumeBindingMode:\t${sc.volumeBindingMode ?? ''}\n`);
  if (events) writeEvents(w, events, now);
  return w;
}
