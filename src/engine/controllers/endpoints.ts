/**
 * The endpoints controller: for every Service with a selector, an Endpoints object of the same name listing the
 * matching pods that have an IP — ready ones under `addresses`, the rest under `notReadyAddresses` — with the
 * service's target ports. Terminating pods are dropped at once. Addresses are sorted like RepackSubsets does
 * (by IP as a string, so 10.244.0.10 sorts before 10.244.0.7, as `describe service` shows).
 */
import { rfc3339 } from '../api/time';
import type { EndpointAddress, EndpointPort, Endpoints, Pod, Service } from '../api/types';
import { deepEqual, sortInPlace } from '../store/store';
import type { Controller, ControllerContext } from './context';
import { isPodReady } from './owners';
import { resolveTargetPort, servicePods } from './service-pods';

function address(pod: Pod): EndpointAddress {
  return {
    ip: pod.status!.podIP!,
    nodeName: pod.spec.nodeName,
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace!,
      name: pod.metadata.name,
      uid: pod.metadata.uid!,
    },
  };
}

const byIp = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);

export class EndpointsController implements Controller {
  /** Per namespace, per service uid: the versions its endpoints were last computed from. */
  private signatures = new Map<string, Map<string, string>>();
  /**
   * Namespaces where a pod, service or endpoints object changed since the last pass: only their services can
   * need new endpoints. Everything is looked at on the first pass (after a boot or a restore).
   */
  private dirty = new Set<string>();
  private firstPass = true;

  readonly watches = ['services', 'pods', 'endpoints'] as const;

  constructor(private readonly ctx: ControllerContext) {
    ctx.store.subscribe((_type, resource, obj) => {
      if (resource === 'pods' || resource === 'services' || resource === 'endpoints')
        this.dirty.add(obj.metadata.namespace ?? '');
    });
  }

  assumeSettled(): void {
    this.firstPass = false;
    this.dirty.clear();
  }

  reconcile(): void {
    const { store } = this.ctx;
    const dirty = this.dirty;
    const all = this.firstPass;
    this.firstPass = false;
    this.dirty = new Set();
    if (!all && dirty.size === 0) return;
    // One namespace (the usual case): no order to keep; a namespace without services or endpoints is a no-op.
    if (!all && dirty.size === 1) {
      for (const namespace of dirty) this.reconcileNamespace(namespace);
      return;
    }
    // In the services table's order (the order namespaces got their first service), as a full pass would go.
    for (const namespace of store.namespacesOf(['services', 'endpoints']))
      if (all || dirty.has(namespace)) this.reconcileNamespace(namespace);
  }

  private reconcileNamespace(namespace: string): void {
    const { store, server } = this.ctx;
    const wanted = new Set<string>();
    const seen = new Map<string, string>();
    const last = this.signatures.get(namespace);
    let pods: Pod[] | undefined;
    for (const svc of store.valuesIn<Service>('services', namespace)) {
      const selector = svc.spec.selector;
      if (!selector || svc.spec.type === 'ExternalName') continue;
      wanted.add(svc.metadata.name);
      pods ??= store.valuesIn<Pod>('pods', namespace);
      const selected = servicePods(pods, selector);
      // Same service, same selected pods at the same versions, endpoints unchanged: nothing to recompute.
      const ep = store.get<Endpoints>('endpoints', namespace, svc.metadata.name);
      let versions = '';
      for (let i = 0; i < selected.length; i++)
        versions += i ? `,${selected[i].metadata.resourceVersion}` : selected[i].metadata.resourceVersion;
      const signature = `${svc.metadata.resourceVersion}|${ep?.metadata.resourceVersion}|${versions}`;
      seen.set(svc.metadata.uid!, signature);
      if (last?.get(svc.metadata.uid!) === signature) continue;
      const ready = sortInPlace(selected.filter(isPodReady).map(address), byIp);
      const notReady = sortInPlace(selected.filter((p) => !isPodReady(p)).map(address), byIp);
      const ports: EndpointPort[] = [];
      for (const p of svc.spec.ports ?? []) {
        const port = resolveTargetPort(selected, p.targetPort, p.port);
        if (port !== undefined)
          ports.push({ ...(p.name ? { name: p.name } : {}), port, protocol: p.protocol });
      }
      const subsets =
        ready.length || notReady.length
          ? [
              {
                ...(ready.length ? { addresses: ready } : {}),
                ...(notReady.length ? { notReadyAddresses: notReady } : {}),
                ports,
              },
            ]
          : undefined;
      // Noted with the version this write leaves: the pass its own write triggers need not work it out again.
      const written = this.write(svc, subsets);
      seen.set(svc.metadata.uid!, `${svc.metadata.resourceVersion}|${written}|${versions}`);
    }
    if (seen.size) this.signatures.set(namespace, seen);
    else this.signatures.delete(namespace);
    for (const ep of store.valuesIn<Endpoints>('endpoints', namespace)) {
      const svc = store.get<Service>('services', namespace, ep.metadata.name);
      if (!wanted.has(ep.metadata.name) && (!svc || svc.spec.selector))
        server.removeObject('endpoints', namespace, ep.metadata.name);
    }
  }

  /** Returns the resourceVersion of the Service's Endpoints after the write. */
  private write(svc: Service, subsets: Endpoints['subsets']): string | undefined {
    const { store, server } = this.ctx;
    const existing = store.get<Endpoints>('endpoints', svc.metadata.namespace, svc.metadata.name);
    const labels = svc.metadata.labels;
    if (!existing) {
      const ep: Endpoints = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: {
          name: svc.metadata.name,
          namespace: svc.metadata.namespace,
          ...(labels ? { labels: { ...labels } } : {}),
        },
        ...(subsets ? { subsets } : {}),
      };
      return server.createObject(ep).metadata.resourceVersion;
    }
    if (deepEqual(existing.subsets, subsets) && deepEqual(existing.metadata.labels, labels))
      return existing.metadata.resourceVersion;
    const next: Endpoints = { ...existing, metadata: { ...existing.metadata } };
    if (subsets) next.subsets = subsets;
    else delete next.subsets;
    if (labels) next.metadata.labels = { ...labels };
    else delete next.metadata.labels;
    next.metadata.annotations = {
      ...(next.metadata.annotations ?? {}),
      'endpoints.kubernetes.io/last-change-trigger-time': rfc3339(this.ctx.now()),
    };
    return server.updateObject(next, { fromClient: false }).metadata.resourceVersion;
  }
}
