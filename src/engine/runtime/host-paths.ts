/**
 * The files of hostPath PersistentVolumes. A provisioned volume is a directory on the node
 * (/tmp/hostpath-provisioner/<ns>/<claim>), so its files belong to the node, not to a pod: they are kept in the
 * kubelet's node record under the volume's name, outlive every pod that mounts the claim, and go with the
 * cluster's snapshots. They are forgotten when the volume is deleted (reclaim policy Delete).
 */
import type { PersistentVolumeClaim } from '../api/storage-types';
import type { Pod } from '../api/types';
import type { NodeRecord } from '../controllers/kubelet-state';
import type { ObjectStore } from '../store/store';

/** A node record with the volumes' files (relative path → content) by volume name. */
type WithHostPaths = NodeRecord & { hostPaths?: Record<string, Record<string, string>> };

/** The name of the PersistentVolume behind a pod volume that mounts a claim, once the claim is bound. */
export function claimVolumeName(store: ObjectStore, pod: Pod, volumeName: string): string | undefined {
  const claim = pod.spec.volumes?.find((v) => v.name === volumeName)?.persistentVolumeClaim?.claimName;
  if (!claim) return undefined;
  const pvc = store.get<PersistentVolumeClaim>('persistentvolumeclaims', pod.metadata.namespace, claim);
  return pvc?.spec.volumeName || undefined;
}

/** The volume's files on the node (an empty directory until something is written). */
export function hostPathFiles(node: NodeRecord, volume: string): Record<string, string> {
  return (node as WithHostPaths).hostPaths?.[volume] ?? {};
}

export function writeHostPathFile(node: NodeRecord, volume: string, path: string, content: string): void {
  const paths = ((node as WithHostPaths).hostPaths ??= {});
  (paths[volume] ??= {})[path] = content;
}

/** The provisioner removed the volume's directory: every node forgets its files. */
export function forgetHostPath(nodes: Record<string, NodeRecord>, volume: string): void {
  for (const node of Object.values(nodes) as WithHostPaths[]) {
    if (!node.hostPaths?.[volume]) continue;
    delete node.hostPaths[volume];
    if (Object.keys(node.hostPaths).length === 0) delete node.hostPaths;
  }
}
