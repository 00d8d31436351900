/**
 * The EndpointSlice controller (endpointslice-controller.k8s.io): beside each Endpoints object the endpoints
 * controller keeps, one discovery.k8s.io/v1 slice `<service>-<5 random>` per selector Service, owned by the
 * Service, labelled with its name and the controller, listing every selected pod that has an IP with its
 * ready/serving/terminating conditions (not-ready pods included, unlike Endpoints' `addresses`). Headless
 * Services get the `service.kubernetes.io/headless` label and a pod's hostname when its subdomain names the
 * Service (the records cluster DNS serves for StatefulSet pods).
 */
import {
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
  SLICE_CONTROLLER,
  type EndpointSlice,
  type EndpointSliceEndpoint,
  type EndpointSlicePort,
} from '../api/network-types';
import { isStatusError } from '../api/status-error';
import type { Pod, Service } from '../api/types';
import { Random } from '../store/random';
import { deepEqual } from '../store/store';
import type { Controller, ControllerContext } from './context';
import { isPodReady } from './owners';
import { resolveTargetPort, servicePods } from './service-pods';

const HEADLESS_LABEL = 'service.kubernetes.io/headless';

function endpoint(pod: Pod, svc: Service): EndpointSliceEndpoint {
  const ready = isPodReady(pod);
  const ep: EndpointSliceEndpoint = {
    addresses: [pod.status!.podIP!],
    conditions: { ready, serving: ready, terminating: false },
  };
  // endpointutil.ShouldSetHostname: the pod names a hostname and its subdomain is this Service.
  if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) ep.hostname = pod.spec.hostname;
  ep.targetRef = {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
  };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  return ep;
}

/**
 * The slice's name suffix and uid, drawn from a stream seeded by the Service's uid: stable for a Service, and
 * without taking draws from the cluster's shared stream (which names pods).
 */
function sliceIdentity(svc: Service, taken: (name: string) => boolean): { name: string; uid: string } {
  let seed = 0x736c6963;
  for (const ch of svc.metadata.uid ?? svc.metadata.name)
    seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const random = new Random(seed);
  let name = `${svc.metadata.name}-${random.string(5)}`;
  for (let attempt = 0; attempt < 8 && taken(name); attempt++)
    name = `${svc.metadata.name}-${random.string(5)}`;
  return { name, uid: random.uid() };
}

function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name;
  labels[MANAGED_BY_LABEL] = SLICE_CONTROLLER;
  return labels;
}

/** The slices this controller manages for a Service (label selection, as the real controller lists them). */
export function slicesOf(slices: EndpointSlice[], service: string): EndpointSlice[] {
  return slices.filter(
    (s) =>
      s.metadata.labels?.[SERVICE_NAME_LABEL] === service &&
      s.metadata.labels?.[MANAGED_BY_LABEL] === SLICE_CONTROLLER,
  );
}

/** The versions a Service's slice was last worked out from: the Service, its selected pods, then its slices. */
function signatureOf(svc: Service, pods: readonly Pod[], slices: readonly EndpointSlice[]): string {
  let signature = `${svc.metadata.resourceVersion}|`;
  for (let i = 0; i < pods.length; i++)
    signature += i ? `,${pods[i].metadata.resourceVersion}` : pods[i].metadata.resourceVersion;
  signature += '|';
  for (let i = 0; i < slices.length; i++)
    signature += i ? `,${slices[i].metadata.resourceVersion}` : slices[i].metadata.resourceVersion;
  return signature;
}

export class EndpointSliceController implements Controller {
  /**
   * Per namespace, per Service uid: the signature its slice was last written or checked at. Every pod write in a
   * namespace marks it dirty, but most (a pod without an IP yet, another Service's pod, this controller's own slice
   * write) cannot change a given Service's slice: those are skipped without building the slice again.
   */
  private signatures = new Map<string, Map<string, string>>();
  private dirty = new Set<string>();
  private firstPass = true;

  readonly watches = ['services', 'pods', 'endpointslices'] as const;

  constructor(private readonly ctx: ControllerContext) {
    ctx.store.subscribe((_type, resource, obj) => {
      if (resource === 'pods' || resource === 'services' || resource === 'endpointslices')
        this.dirty.add(obj.metadata.namespace ?? '');
    });
  }

  assumeSettled(): void {
    this.firstPass = false;
    this.dirty.clear();
  }

  reconcile(): void {
    const all = this.firstPass;
    const dirty = this.dirty;
    this.firstPass = false;
    this.dirty = new Set();
    if (!all && dirty.size === 0) return;
    for (const namespace of this.ctx.store.namespacesOf(['services', 'endpointslices']))
      if (all || dirty.has(namespace)) this.reconcileNamespace(namespace);
  }

  private reconcileNamespace(namespace: string): void {
    const { store, server } = this.ctx;
    const slices = store.valuesIn<EndpointSlice>('endpointslices', namespace);
    const wanted = new Set<string>();
    const last = this.signatures.get(namespace);
    const seen = new Map<string, string>();
    let inNamespace: Pod[] | undefined;
    for (const svc of store.valuesIn<Service>('services', namespace)) {
      if (!svc.spec.selector || svc.spec.type === 'ExternalName' || svc.metadata.deletionTimestamp) continue;
      wanted.add(svc.metadata.name);
      inNamespace ??= store.valuesIn<Pod>('pods', namespace);
      const pods = servicePods(inNamespace, svc.spec.selector);
      const own = slicesOf(slices, svc.metadata.name);
      const uid = svc.metadata.uid!;
      const signature = signatureOf(svc, pods, own);
      // Same Service, same pods and slices at the same versions: the slice would come out as it is.
      if (last?.get(uid) === signature) {
        seen.set(uid, signature);
        continue;
      }
      // A sorted copy: the signature keeps the store order.
      const byIp = [...pods].sort((a, b) =>
        a.status!.podIP! < b.status!.podIP! ? -1 : a.status!.podIP! > b.status!.podIP! ? 1 : 0,
      );
      const ports: EndpointSlicePort[] = [];
      for (const p of svc.spec.ports ?? []) {
        const port = resolveTargetPort(byIp, p.targetPort, p.port);
        if (port !== undefined) ports.push({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port });
      }
      const endpoints = byIp.map((p) => endpoint(p, svc));
      const before = store.revision;
      this.write(svc, own, endpoints, ports);
      // After its own write, the slice is what these pods make: the next pass need not build it again.
      const written =
        store.revision === before
          ? own
          : slicesOf(store.valuesIn<EndpointSlice>('endpointslices', namespace), svc.metadata.name);
      seen.set(uid, signatureOf(svc, pods, written));
    }
    if (seen.size) this.signatures.set(namespace, seen);
    else this.signatures.delete(namespace);
    for (const slice of slices) {
      const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (slice.metadata.labels?.[MANAGED_BY_LABEL] !== SLICE_CONTROLLER || service === undefined) continue;
      if (!wanted.has(service)) server.removeObject('endpointslices', namespace, slice.metadata.name);
    }
  }

  private write(
    svc: Service,
    existing: EndpointSlice[],
    endpoints: EndpointSliceEndpoint[],
    ports: EndpointSlicePort[],
  ): void {
    const { server } = this.ctx;
    const labels = sliceLabels(svc);
    const [current, ...extra] = existing;
    for (const slice of extra)
      server.removeObject('endpointslices', slice.metadata.namespace, slice.metadata.name);
    const list = endpoints.length > 0 ? endpoints : null;
    if (!current) {
      const identity = sliceIdentity(
        svc,
        (name) => this.ctx.store.get('endpointslices', svc.metadata.namespace, name) !== undefined,
      );
      const slice: EndpointSlice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: identity.name,
          generateName: `${svc.metadata.name}-`,
          namespace: svc.metadata.namespace,
          labels,
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'Service',
              name: svc.metadata.name,
              uid: svc.metadata.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        addressType: 'IPv4',
        endpoints: list,
        ports,
      };
      try {
        server.createObject(slice, identity.uid);
      } catch (error) {
        // A namespace being deleted takes no new objects; its Services and slices are going anyway.
        if (!isStatusError(error, 'Forbidden')) throw error;
      }
      return;
    }
    if (
      deepEqual(current.endpoints, list) &&
      deepEqual(current.ports, ports) &&
      deepEqual(current.metadata.labels, labels)
    )
      return;
    server.updateObject(
      { ...current, metadata: { ...current.metadata, labels }, endpoints: list, ports },
      { fromClient: false },
    );
  }
}
