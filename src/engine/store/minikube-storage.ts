/**
 * minikube's default-storageclass addon (deploy/addons/storageclass/storageclass.yaml): the `standard` class,
 * marked default, served by the storage-provisioner pod's `k8s.io/minikube-hostpath` provisioner. The manifest
 * names no reclaim policy or binding mode, so the API server's defaults (Delete, Immediate) apply.
 */
import { DEFAULT_CLASS_ANNOTATION, type StorageClass } from '../api/storage-types';

export const MINIKUBE_PROVISIONER = 'k8s.io/minikube-hostpath';
/** Where the provisioner makes a claim's directory on the node (pkg/storage/storage_provisioner.go). */
export const HOSTPATH_ROOT = '/tmp/hostpath-provisioner';

export function standardStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: 'standard',
      labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' },
      annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
    },
    provisioner: MINIKUBE_PROVISIONER,
  };
}
