/**
 * ObjectQuery → Kubernetes JSON objects, read straight from the cluster's API server (for grading).
 * Gives the same objects `kubectl get -o json` would print, so graders see what the student sees.
 */
import type { KubeObjectJson, ObjectQuery } from '../clusters/cluster-driver';
import { type Cluster, queryObjects as selectObjects } from '../engine/index';

export function queryObjects(cluster: Cluster, query: ObjectQuery): KubeObjectJson[] {
  if (typeof query?.kind !== 'string' || query.kind === '') throw new Error('object query needs a "kind"');
  return selectObjects(cluster, query) as unknown as KubeObjectJson[];
}
