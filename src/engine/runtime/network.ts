/**
 * The cluster network as curl sees it: node IP + NodePort and ClusterIP + port go through kube-proxy to a ready
 * endpoint (round-robin; connection refused when the service has none), pod IP + port reaches the container
 * directly. Names resolve through cluster DNS (cluster-dns.ts) with the pod's search path.
 */
import type { Endpoints, Node, Pod, Service } from '../api/types';
import type { Kubelet } from '../controllers/kubelet';
import type { ObjectStore } from '../store/store';
import {
  answerPath,
  bootcampReply,
  HPA_EXAMPLE_REPLY,
  httpbinBody,
  listensOn,
  NGINX_WELCOME,
  podHostname,
  speaksTls,
} from './apps';
import { HTTPD_INDEX } from './image-profiles';
import type { Ingress } from '../api/network-types';
import { nginxErrorPage, routeIngress } from './ingress-routing';
import { resolve } from './cluster-dns';
import { lookupImage } from './images';
import type { ClusterNetwork, HttpResult, HttpsResult } from './types';

const MAX_SERVED_LOG = 500;
const INGRESS_HTTPS_PORT = 443;
/** nginx's answer to plain HTTP on its TLS port. */
const PLAIN_HTTP_TO_HTTPS_PAGE =
  '<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n' +
  '<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export type NetworkResult = HttpsResult;

/** What a probe's connection gets: an HTTP status, or why there is none ('malformed': not an HTTP server). */
export type ProbeAnswer =
  /** `tls`: the server speaks HTTPS (metrics-server's secure port). */
  | { ok: true; status: number; tls?: boolean; delayMs?: number }
  | { ok: false; error: 'refused' | 'timeout' | 'no-route' | 'unresolved' | 'malformed' };

/** What a request carries beyond its address: its path and Host header (what an Ingress routes on). */
export interface RequestLine {
  path: string;
  host: string;
  /** Sent over TLS (https://); `insecure`: without checking the server's certificate. */
  tls?: { insecure: boolean };
}

/** A request made without TLS never fails for a TLS reason: its result is a plain HttpResult. */
function plain(result: NetworkResult): HttpResult {
  if (!result.ok && (result.error === 'tls-plain' || result.error === 'tls-untrusted'))
    throw new Error(`a plain HTTP request failed with ${result.error}`);
  return result as HttpResult;
}

export class SimNetwork implements ClusterNetwork {
  private roundRobin = new Map<string, number>();

  constructor(
    private readonly store: ObjectStore,
    private readonly kubelet: Kubelet,
    private readonly sync: () => void,
    private readonly now: () => number,
  ) {}

  state(): [string, number][] {
    return [...this.roundRobin.entries()];
  }

  load(entries: [string, number][]): void {
    this.roundRobin = new Map(entries);
  }

  /** `host` is an IP or a service DNS name; 'unresolved' is returned only for names. */
  httpGet(host: string, port: number, path = '/', hostHeader?: string): HttpResult {
    this.sync();
    return plain(this.request(host, port, 'default', { path, host: hostHeader ?? host }));
  }

  httpsGet(
    host: string,
    port: number,
    path: string,
    hostHeader: string | undefined,
    insecure: boolean,
  ): HttpsResult {
    this.sync();
    return this.request(host, port, 'default', { path, host: hostHeader ?? host, tls: { insecure } });
  }

  /** Like httpGet, resolving short service names relative to `namespace` (a request made from inside a pod). */
  request(host: string, port: number, namespace: string, line?: RequestLine): NetworkResult {
    const req = line ?? { path: '/', host };
    const target = host.trim().toLowerCase();
    if (target === '') return { ok: false, error: 'unresolved' };
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(target)) {
      // Cluster DNS: a Service's cluster IP, or a headless Service's (or its named pod's) pod address.
      const ip = resolve(this.store, target, namespace)?.ips[0];
      if (!ip) return { ok: false, error: 'unresolved' };
      return this.request(ip, port, namespace, req);
    }
    for (const node of this.store.values<Node>('nodes')) {
      if (node.status.addresses.some((a) => a.type === 'InternalIP' && a.address === target))
        return this.toNode(port, req);
    }
    for (const svc of this.store.values<Service>('services')) {
      if (svc.spec.clusterIP === target) return this.viaService(svc, port, 'cluster', req);
    }
    const pod = this.store.values<Pod>('pods').find((p) => p.status?.podIP === target && !p.spec.hostNetwork);
    if (pod) return this.toPod(pod, port, req);
    if (target.startsWith('127.')) return { ok: false, error: 'refused' };
    return {
      ok: false,
      error: target.startsWith('10.244.') || target.startsWith('192.168.49.') ? 'no-route' : 'timeout',
    };
  }

  private toNode(port: number, req: RequestLine): NetworkResult {
    for (const svc of this.store.values<Service>('services')) {
      const sp = svc.spec.ports?.find((p) => p.nodePort === port);
      if (sp) return this.viaService(svc, sp.port, 'node', req);
    }
    // A running pod's hostPort (the ingress controller's 80 and 443) answers on the node's address.
    for (const pod of this.store.values<Pod>('pods')) {
      if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) continue;
      for (const c of pod.spec.containers)
        for (const p of c.ports ?? []) if (p.hostPort === port) return this.toPod(pod, p.containerPort, req);
    }
    if (port === 8443 || port === 10250)
      return { ok: true, status: 400, body: 'Client sent an HTTP request to an HTTPS server.\n' };
    return { ok: false, error: 'refused' };
  }

  private viaService(svc: Service, port: number, _via: 'node' | 'cluster', req?: RequestLine): NetworkResult {
    const sp = svc.spec.ports?.find((p) => p.port === port);
    if (!sp) return { ok: false, error: 'timeout' };
    if (svc.metadata.name === 'kubernetes' && svc.metadata.namespace === 'default')
      return { ok: true, status: 400, body: 'Client sent an HTTP request to an HTTPS server.\n' };
    const ep = this.store.get<Endpoints>('endpoints', svc.metadata.namespace, svc.metadata.name);
    const subset = ep?.subsets?.find((s) => (s.addresses?.length ?? 0) > 0);
    const addresses = subset?.addresses ?? [];
    if (addresses.length === 0) return { ok: false, error: 'refused' };
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const turn = this.roundRobin.get(key) ?? 0;
    this.roundRobin.set(key, turn + 1);
    const address = addresses[turn % addresses.length];
    const targetPort =
      subset?.ports?.find((p) => (sp.name ? p.name === sp.name : true))?.port ??
      (typeof sp.targetPort === 'number' ? sp.targetPort : sp.port);
    const pod = address.targetRef
      ? this.store.get<Pod>('pods', address.targetRef.namespace, address.targetRef.name)
      : undefined;
    if (!pod) return { ok: false, error: 'refused' };
    return this.toPod(pod, targetPort, req);
  }

  /**
   * ingress-nginx's two ports: 80 takes plain HTTP (and redirects a host its Ingresses serve over TLS to https with
   * a 308, the controller's default ssl-redirect), 443 takes TLS with the host's certificate (the TLS Secret, else
   * the controller's fake one: self-signed either way) and answers a plain request with nginx's 400 page.
   */
  private atIngressController(port: number, req: RequestLine): NetworkResult {
    if (port === INGRESS_HTTPS_PORT) {
      if (!req.tls) return { ok: true, status: 400, body: PLAIN_HTTP_TO_HTTPS_PAGE };
      if (!req.tls.insecure) return { ok: false, error: 'tls-untrusted' };
      return this.viaIngress(req);
    }
    if (req.tls) return { ok: false, error: 'tls-plain' };
    const host = req.host.replace(/:\d+$/, '').toLowerCase();
    const redirects = this.store
      .values<Ingress>('ingresses')
      .some((ing) => (ing.spec.tls ?? []).some((t) => (t.hosts ?? []).some((h) => h.toLowerCase() === host)));
    if (redirects && routeIngress(this.store.values<Ingress>('ingresses'), req.host, req.path))
      return { ok: true, status: 308, body: nginxErrorPage(308) };
    return this.viaIngress(req);
  }

  /** ingress-nginx: the backend the Ingress rules pick for the request, nginx's 404 or 503 page otherwise. */
  private viaIngress(req: RequestLine): NetworkResult {
    const route = routeIngress(this.store.values<Ingress>('ingresses'), req.host, req.path);
    if (!route) return { ok: true, status: 404, body: nginxErrorPage(404) };
    const svc = this.store.get<Service>('services', route.namespace, route.backend.name);
    const port =
      route.backend.port.number ?? svc?.spec.ports?.find((p) => p.name === route.backend.port.name)?.port;
    // The controller ends TLS: it talks plain HTTP to the backend.
    const upstream = { path: req.path, host: req.host };
    const result = svc && port !== undefined ? this.viaService(svc, port, 'cluster', upstream) : undefined;
    return result?.ok ? result : { ok: true, status: 503, body: nginxErrorPage(503) };
  }

  /**
   * What the kubelet's prober reaches from the node: a pod's own IP is answered by the container listening on
   * `port` (by path, and logged by the app; without a path, a TCP probe's bare connect); any other host goes
   * through the cluster network.
   */
  probe(host: string, port: number, path?: string): ProbeAnswer {
    const pod = this.store.values<Pod>('pods').find((p) => p.status?.podIP === host && !p.spec.hostNetwork);
    if (!pod) {
      const result = plain(this.request(host, port, 'default'));
      return result.ok ? { ok: true, status: result.status } : result;
    }
    const rec = this.kubelet.podRecord(pod.metadata.uid);
    for (const c of rec?.containers ?? []) {
      const app = lookupImage(c.image)?.app;
      if (c.stage !== 'running' || !app || listensOn(app) !== port) continue;
      if (path === undefined) return { ok: true, status: 0 }; // a TCP connect: accepted, no request
      const answer = answerPath(app, path);
      if (!answer.ok) return answer;
      // The app logs the request: bootcamp counts it like any other, nginx names the probe's path and agent.
      if (app === 'bootcamp') this.remember(c.served, this.now());
      if (app === 'nginx') this.remember((c.probeRequests ??= []), [this.now(), path, answer.status]);
      // A slow app (httpbin's /delay/N) answers only after delayMs.
      const delay = answer.delayMs ? { delayMs: answer.delayMs } : {};
      return { ok: true, status: answer.status, ...(speaksTls(app) ? { tls: true } : {}), ...delay };
    }
    return { ok: false, error: 'refused' };
  }

  /** Appends to an app's request log, keeping the newest MAX_SERVED_LOG entries. */
  private remember<T>(log: T[], entry: T): void {
    log.push(entry);
    if (log.length > MAX_SERVED_LOG) log.splice(0, log.length - MAX_SERVED_LOG);
  }

  /** A request reaching a pod's network namespace on `port`. */
  toPod(pod: Pod, port: number, req?: RequestLine): NetworkResult {
    const rec = this.kubelet.podRecord(pod.metadata.uid);
    if (!rec) return { ok: false, error: 'no-route' };
    for (const c of rec.containers) {
      if (c.stage !== 'running') continue;
      const img = lookupImage(c.image);
      if (img?.app === 'ingress-nginx' && (port === 80 || port === INGRESS_HTTPS_PORT))
        return this.atIngressController(port, req ?? { path: '/', host: pod.status?.podIP ?? '' });
      if (!img || listensOn(img.app) !== port) continue;
      // Over TLS: only a server that speaks it answers, and its self-signed certificate needs -k.
      if (req?.tls && !speaksTls(img.app)) return { ok: false, error: 'tls-plain' };
      if (req?.tls && !req.tls.insecure) return { ok: false, error: 'tls-untrusted' };
      c.served.push(this.now());
      if (c.served.length > MAX_SERVED_LOG) c.served.splice(0, c.served.length - MAX_SERVED_LOG);
      if (img.app === 'bootcamp')
        return {
          ok: true,
          status: 200,
          body: bootcampReply(podHostname(pod.metadata.name), img.version ?? 1),
        };
      if (img.app === 'httpd') return { ok: true, status: 200, body: HTTPD_INDEX };
      if (img.app === 'httpbin') {
        const path = req?.path ?? '/';
        const host = req?.host ?? pod.status?.podIP ?? '';
        const answer = answerPath('httpbin', path);
        const status = answer.ok ? answer.status : 200;
        return { ok: true, status, body: httpbinBody(path, host, '10.244.0.1') };
      }
      if (img.app === 'hpa-example') return { ok: true, status: 200, body: HPA_EXAMPLE_REPLY };
      if (img.app === 'redis') return { ok: false, error: 'refused' }; // not HTTP: curl gets an empty reply
      return { ok: true, status: 200, body: NGINX_WELCOME };
    }
    return { ok: false, error: 'refused' };
  }
}
