/**
 * readObjects over an embedded engine cluster, with the ClusterDriver's semantics: the cluster catches up
 * first, kinds resolve through the API server's registry, objects come back as private JSON copies.
 */
import { type Cluster, queryObjects } from '../../engine';
import type { KubeObjectJson, ObjectQuery } from '../evaluation/context';

export function readObjectsFromCluster(cluster: Cluster): (query: ObjectQuery) => Promise<KubeObjectJson[]> {
  // The API server's list already hands out copies (as the embedded driver relies on too).
  return async (query) => queryObjects(cluster, query) as unknown as KubeObjectJson[];
}
