/**
 * What the cluster serves at this moment: the registry's built-in resources, and an aggregated group while its
 * APIService is Available (an add-on such as metrics-server registers one when enabled and removes it when
 * disabled). Discovery, `api-resources` and `api-versions` all read this.
 */
import type { APIService } from '../api/cluster-types';
import { servedResources, type ResourceInfo } from '../api/resources';
import type { ObjectStore } from '../store/store';

export function isApiServiceAvailable(service: APIService | undefined): boolean {
  return !!service?.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True');
}

export function servedNow(store: ObjectStore): ResourceInfo[] {
  return servedResources((name) =>
    isApiServiceAvailable(store.get<APIService>('apiservices', undefined, name)),
  );
}
