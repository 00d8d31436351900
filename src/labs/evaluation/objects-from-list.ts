/**
 * readObjects over a fixed list of Kubernetes objects, e.g. the items of a saved `kubectl get -o json` dump:
 * lets checks be evaluated without a live cluster. Filters exactly like an API server list: kind, namespace,
 * name, label selector; sorted by namespace, then name.
 */
import { matchesSelector, parseRequirements } from '../../engine/server/selectors';
import { KubeObjectJson, ObjectQuery } from './context';

export function readObjectsFromList(
  objects: KubeObjectJson[],
): (query: ObjectQuery) => Promise<KubeObjectJson[]> {
  return async (query) => {
    const requirements = query.labelSelector ? parseRequirements(query.labelSelector) : [];
    return objects
      .filter(
        (object) =>
          object.kind === query.kind &&
          (query.namespace === undefined || object.metadata.namespace === query.namespace) &&
          (query.name === undefined || object.metadata.name === query.name) &&
          matchesSelector(requirements, object.metadata.labels),
      )
      .sort(
        (a, b) =>
          (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
          a.metadata.name.localeCompare(b.metadata.name),
      )
      .map((object) => structuredClone(object));
  };
}
