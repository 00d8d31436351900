/**
 * ComponentStatus (v1, deprecated since v1.19): not stored; kube-apiserver probes the control plane's health
 * endpoints on every read. In the lab the scheduler, the controller manager and etcd are always healthy.
 */
import type { ComponentStatus } from '../api/cluster-types';

/** The components kube-apiserver checks, in the order it lists them (by name). */
const COMPONENTS = ['controller-manager', 'etcd-0', 'scheduler'];

export function componentStatuses(): ComponentStatus[] {
  return COMPONENTS.map((name) => ({
    kind: 'ComponentStatus',
    apiVersion: 'v1',
    // Made on each read, never stored: kube-apiserver answers a null creation time.
    metadata: { name, creationTimestamp: null as unknown as string },
    conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
  }));
}
