/**
 * Applying and removing an add-on's manifests through the API server, as minikube's `kubectl apply -f` and
 * `kubectl delete -f` of the add-on's files do: existing objects are left as they are, missing ones are created,
 * and deletion skips what is already gone.
 */
import { resourceForKind } from '../api/resources';
import { isStatusError } from '../api/status-error';
import type { KubeObject } from '../api/types';
import type { ApiServer } from '../server/api-server';

/** The label minikube puts on every add-on object (its former addon-manager's mode). */
export const ADDON_MANAGER_LABEL = { 'addonmanager.kubernetes.io/mode': 'Reconcile' };

export function applyManifests(api: ApiServer, objects: readonly KubeObject[]): void {
  for (const obj of objects) {
    try {
      api.create(structuredClone(obj));
    } catch (error) {
      if (!isStatusError(error, 'AlreadyExists')) throw error;
    }
  }
}

/** Deletes in reverse order (workloads before the namespace that holds them). */
export function deleteManifests(api: ApiServer, objects: readonly KubeObject[]): void {
  for (const obj of [...objects].reverse()) {
    const info = resourceForKind(obj.kind);
    if (!info) throw new Error(`deleteManifests: no resource serves kind ${obj.kind}`);
    try {
      api.delete(info.resource, obj.metadata.namespace, obj.metadata.name);
    } catch (error) {
      if (!isStatusError(error, 'NotFound')) throw error;
    }
  }
}

/** Whether the object that marks an add-on as applied is in the cluster. */
export function exists(api: ApiServer, obj: KubeObject): boolean {
  const info = resourceForKind(obj.kind);
  if (!info) return false;
  try {
    // A namespace being emptied (Terminating) no longer counts as applied.
    return !api.get(info.resource, obj.metadata.namespace, obj.metadata.name).metadata.deletionTimestamp;
  } catch (error) {
    if (isStatusError(error, 'NotFound')) return false;
    throw error;
  }
}
