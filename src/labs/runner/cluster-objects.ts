/**
 * readObjects over an embedded engine cluster, with the ClusterDriver's semantics: the cluster catches up
 * first, kinds resolve through the API server's registry, objects come back as private JSON copies.
 */
import type { Cluster } from '../../engine';
import type { KubeObjectJson, ObjectQuery } from '../evaluation/context';

export function readObjectsFromCluster(cluster: Cluster): (query: ObjectQuery) => Promise<KubeObjectJson[]> {
  return async (query) => {
    cluster.sync();
    const info = cluster.api.resourceFor(query.kind);
    if (!info) return [];
    const objects = cluster.api.list(info.resource, {
      namespace: info.namespaced ? query.namespace : undefined,
      labelSelector: query.labelSelector,
    });
    const selected =
      query.name === undefined ? objects : objects.filter((object) => object.metadata.name === query.name);
    return structuredClone(selected) as unknown as KubeObjectJson[];
  };
}
