import type { KubeObject } from './api/types';
import type { Cluster } from './cluster';

/** Which objects to read: the shape graders use on every cluster backend. */
export interface ObjectSelection {
  /** A kind or any alias kubectl accepts ("Pod", "pods", "po", "deployment.apps"). */
  kind: string;
  /** Omit for every namespace (and for cluster-scoped kinds). */
  namespace?: string;
  name?: string;
  labelSelector?: string;
}

/**
 * The objects a selection names, as the API server holds them right now (the cluster catches up
 * first). A kind the cluster does not serve has no objects, so graders agree on every backend.
 * The objects are the store's own: callers that keep or change them must copy them.
 */
export function queryObjects(cluster: Cluster, selection: ObjectSelection): readonly KubeObject[] {
  const info = cluster.api.resourceFor(selection.kind);
  if (!info) return [];
  cluster.sync();
  const objects = cluster.api.list(info.resource, {
    namespace: info.namespaced ? selection.namespace : undefined,
    labelSelector: selection.labelSelector,
  });
  return selection.name === undefined
    ? objects
    : objects.filter((object) => object.metadata.name === selection.name);
}
