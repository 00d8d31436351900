/** coordination.k8s.io/v1 Lease: the body from `kubernetes-types` (type-only), the engine's KubeObject envelope. */
import type * as coordination from 'kubernetes-types/coordination/v1';
import type { KubeObject } from './types';

export interface Lease extends KubeObject {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  spec?: coordination.LeaseSpec;
}
