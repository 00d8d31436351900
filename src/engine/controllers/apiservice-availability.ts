/**
 * kube-aggregator's AvailableConditionController for APIServices backed by a Service (metrics-server's
 * v1beta1.metrics.k8s.io): Available=True ("Passed") once the Service's Endpoints have a ready address on the
 * Service's port, False with the aggregator's reason otherwise. Local APIServices are left as they are. Discovery
 * lists an aggregated group only while its APIService is Available (api/resources.ts servedResources).
 */
import type { APIService } from '../api/cluster-types';
import { rfc3339 } from '../api/time';
import type { Endpoints, Service } from '../api/types';
import type { ObjectStore } from '../store/store';
import { deepEqual, withStatus } from '../store/store';
import type { Controller, ControllerContext } from './context';

type Availability = { status: 'True' | 'False'; reason: string; message: string };

export class ApiServiceAvailabilityController implements Controller {
  readonly watches = ['apiservices', 'services', 'endpoints'] as const;

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    for (const apiService of this.ctx.store.values<APIService>('apiservices')) {
      const ref = apiService.spec.service;
      if (!ref?.name || apiService.metadata.deletionTimestamp) continue;
      const now = availability(this.ctx.store, ref.namespace ?? 'default', ref.name, ref.port ?? 443);
      const old = apiService.status?.conditions?.find((c) => c.type === 'Available');
      const condition = {
        lastTransitionTime:
          old && old.status === now.status ? old.lastTransitionTime : rfc3339(this.ctx.now()),
        message: now.message,
        reason: now.reason,
        status: now.status,
        type: 'Available',
      };
      const status = { conditions: [condition] };
      if (deepEqual(apiService.status ?? {}, status)) continue;
      this.ctx.server.updateObject(withStatus(apiService, status), { fromClient: false });
    }
  }
}

function availability(store: ObjectStore, namespace: string, name: string, port: number): Availability {
  const service = store.get<Service>('services', namespace, name);
  if (!service)
    return {
      status: 'False',
      reason: 'ServiceNotFound',
      message: `service/${name} in "${namespace}" is not present`,
    };
  const servicePort = service.spec.ports?.find((p) => p.port === port);
  const portName = servicePort?.name ?? '';
  const endpoints = store.get<Endpoints>('endpoints', namespace, name);
  const ready = (endpoints?.subsets ?? []).some(
    (s) => (s.addresses?.length ?? 0) > 0 && (s.ports ?? []).some((p) => (p.name ?? '') === portName),
  );
  if (!ready)
    return {
      status: 'False',
      reason: 'MissingEndpoints',
      message: `endpoints for service/${name} in "${namespace}" have no addresses with port name "${portName}"`,
    };
  return { status: 'True', reason: 'Passed', message: 'all checks passed' };
}

/** Whether the named APIService exists and is Available (what makes its group appear in discovery). */
export function isApiServiceAvailable(store: ObjectStore, name: string): boolean {
  const apiService = store.get<APIService>('apiservices', undefined, name);
  if (!apiService || apiService.metadata.deletionTimestamp) return false;
  return apiService.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ?? false;
}
