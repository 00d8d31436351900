/**
 * One cluster's Kubernetes API over HTTP (node:http request → response, no framework). Every read and write goes
 * through the cluster's ApiServer, the same methods the terminal's built-in kubectl calls, so the two faces can
 * differ only in formatting. Nothing thrown while serving escapes: every failure is answered with a Status.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { fromServedVersion, inServedVersion, type ResourceInfo } from '../api/resources';
import type { KubeObject } from '../api/types';
import type { Cluster } from '../cluster';
import { versionInfo } from '../kubectl/commands/info';
import { MINIKUBE_USER, type UserInfo } from '../server/rbac';
import { authorizeRequest, requestUser, resourceAttributes } from './auth';
import { hpaFromV1, hpaToV1 } from './autoscaling-v1';
import { decodeBody, MAX_BODY_BYTES, readBody } from './body';
import { checkFields, parseFieldValidation } from './field-validation';
import {
  AGGREGATED_CONTENT_TYPE,
  aggregatedDiscovery,
  apiGroupList,
  apiResourceList,
  apiVersions,
  findResource,
  isServedGroupVersion,
  wantsAggregated,
  WITH_SCALE,
} from './discovery';
import { openApiV2, openApiV3GroupVersion, openApiV3Root } from './openapi';
import { servedNow } from '../server/served';
import { applyPatch, PATCH_TYPES, type PatchType } from './patch';
import { review as reviewAnswer, reviewTarget } from '../server/reviews';
import { evictPod } from '../server/eviction';
import { podLog, readScale, writeScale, writeStatus } from './subresources';
import { issueToken, type TokenRequestSpec } from '../server/token-request';
import { HttpStatus, methodNotAllowed, notFoundPath, statusFor } from './status';
import { metricsAnswer, metricsRequest } from './metrics-api';
import { toTable, wantsTable, type IncludeObject } from './table';
import { WatchHub, type WatchLimits } from './watch';
import { serveFollowedLog } from './streams/log-stream';
import { serveStreamUpgrade, STREAM_SUBRESOURCES, type TrackStream } from './streams/upgrade';
import { KubeletRefusal } from './streams/exec-session';

export interface ApiHandlerOptions {
  cluster: Cluster;
  /** When set, requests must carry `Authorization: Bearer <token>` (kubectl sends it over TLS only). */
  token?: string;
  /** Who the requests come from (the token's user); minikube's user, a member of system:masters, by default. */
  user?: UserInfo;
  /** `host:port` the server listens on (`/api`'s serverAddressByClientCIDRs). */
  address(): string;
  maxBodyBytes?: number;
  /** Bounds of the watch history and of a watcher's unread backlog (defaults in watch.ts). */
  watchLimits?: WatchLimits;
  /** Called once per request when it has been answered (for logs and tests). */
  onRequest?(method: string, url: string, code: number): void;
}

/** A parsed resource path: /api/v1/... or /apis/<group>/<version>/... */
interface ResourcePath {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Served in another version than the engine stores (autoscaling/v1 HorizontalPodAutoscalers). */
  v1Hpa?: boolean;
}

const JSON_TYPE = 'application/json';
const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export class ApiHandler {
  readonly watches: WatchHub;
  private readonly cluster: Cluster;

  constructor(private readonly options: ApiHandlerOptions) {
    this.cluster = options.cluster;
    this.watches = new WatchHub(options.cluster, options.watchLimits);
  }

  /** The node:http request listener. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((error: unknown) => this.fail(req, res, error));
  };

  /**
   * The node:http server's 'upgrade' listener: `pods/NAME/exec`, `attach` and `portforward` over WebSocket or SPDY
   * (streams/upgrade.ts), authenticated and authorised as any request. A refusal is an HTTP Status reply.
   */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`)
        throw new HttpStatus(401, 'Unauthorized', 'Unauthorized');
      const user = requestUser(req, this.options.user ?? MINIKUBE_USER, this.cluster.store);
      const target = this.parsePath(url.pathname.replace(/\/+$/, ''));
      if (!target || target.info.resource !== 'pods' || !target.name || !target.subresource)
        throw notFoundPath();
      if (!STREAM_SUBRESOURCES.has(target.subresource))
        throw new HttpStatus(400, 'BadRequest', 'Upgrade request required');
      const { info, namespace, name, subresource } = target;
      authorizeRequest(
        this.cluster.store,
        user,
        resourceAttributes(method, false, info, namespace, name, subresource),
      );
      serveStreamUpgrade(
        this.cluster,
        req,
        socket,
        head,
        { namespace: namespace ?? 'default', pod: name, subresource },
        this.trackStream,
      );
      this.options.onRequest?.(method, req.url ?? '', 101);
    } catch (error) {
      const plain = error instanceof KubeletRefusal;
      const code = plain ? error.code : statusFor(error).code;
      const text = plain ? error.message : JSON.stringify(statusFor(error));
      socket.end(
        `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}\r\n` +
          `Content-Type: ${plain ? 'text/plain; charset=utf-8' : 'application/json'}\r\n` +
          'Cache-Control: no-cache, private\r\n' +
          `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
      this.options.onRequest?.(req.method ?? '', req.url ?? '', code);
    }
  };

  /** Open exec, attach, port-forward and log-follow streams (ended on shutdown). */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Ends every open watch and stream (server shutdown). */
  close(): void {
    this.watches.closeAll();
    for (const close of [...this.streams]) close();
    this.streams.clear();
  }

  private readonly streams = new Set<() => void>();

  private readonly trackStream: TrackStream = (close) => {
    this.streams.add(close);
    return { done: () => this.streams.delete(close) };
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (this.options.token !== undefined) {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${this.options.token}`) {
        req.resume();
        throw new HttpStatus(401, 'Unauthorized', 'Unauthorized');
      }
    }
    const store = this.cluster.store;
    let user: UserInfo;
    try {
      user = requestUser(req, this.options.user ?? MINIKUBE_USER, store);
    } catch (error) {
      req.resume();
      throw error;
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const accept = req.headers.accept;
    const review = reviewTarget(path);
    if (review) {
      const attributes = { verb: 'create', resource: review.resource, group: review.group };
      authorizeRequest(store, user, { ...attributes, namespace: review.namespace });
      if (method !== 'POST') {
        req.resume();
        throw methodNotAllowed();
      }
      this.send(res, 201, reviewAnswer(store, user, review, await this.body(req)));
      return;
    }
    const metrics = metricsRequest(path);
    if (metrics) {
      req.resume();
      const verb = metrics.name === undefined ? 'list' : 'get';
      const { resource, namespace, name } = metrics;
      authorizeRequest(store, user, { verb, resource, group: 'metrics.k8s.io', namespace, name });
      const table = { wanted: wantsTable(accept), include: includeObject(url.searchParams) };
      this.send(res, 200, metricsAnswer(this.cluster, method, metrics, url.searchParams, table));
      return;
    }
    const parsed = this.parsePath(path);
    if (!parsed) {
      req.resume();
      // Discovery, OpenAPI, /version, health: non-resource URLs, authorised by path.
      authorizeRequest(store, user, {
        verb: method.toLowerCase(),
        resource: '',
        group: '',
        nonResourceURL: url.pathname,
      });
      if (method === 'GET' && this.serveStatic(path, url, accept, res)) return;
      throw notFoundPath();
    }
    const { info, namespace, name, subresource } = parsed;
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    try {
      authorizeRequest(store, user, resourceAttributes(method, watch, info, namespace, name, subresource));
    } catch (error) {
      req.resume();
      throw error;
    }
    await this.serveResource(req, res, method, url, parsed);
  }

  // ------------------------------------------------------------------------------------------- static documents

  private serveStatic(path: string, url: URL, accept: string | undefined, res: ServerResponse): boolean {
    if (path === '/version') {
      this.send(res, 200, versionInfo());
      return true;
    }
    if (path === '/api' || path === '/apis') {
      const served = servedNow(this.cluster.store);
      if (wantsAggregated(accept))
        this.send(res, 200, aggregatedDiscovery(path === '/api', served), AGGREGATED_CONTENT_TYPE);
      else this.send(res, 200, path === '/api' ? apiVersions(this.options.address()) : apiGroupList(served));
      return true;
    }
    const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (gv) {
      const group = gv[1] ? '' : gv[2];
      const version = gv[1] ?? gv[3];
      const served = servedNow(this.cluster.store);
      if (!isServedGroupVersion(group, version, served)) throw notFoundPath();
      this.send(res, 200, apiResourceList(group, version, served));
      return true;
    }
    if (path === '/openapi/v2') {
      // kubectl asks for the protobuf form; the JSON document is served to clients that accept JSON.
      if (accept && !/application\/json|\*\/\*/.test(accept)) throw notFoundPath();
      this.send(res, 200, openApiV2());
      return true;
    }
    if (path === '/openapi/v3') {
      this.send(res, 200, openApiV3Root());
      return true;
    }
    const v3 = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (v3) {
      const group = v3[1] ? '' : v3[2];
      const version = v3[1] ?? v3[3];
      const doc = openApiV3GroupVersion(group, version);
      if (!doc) throw notFoundPath();
      res.setHeader(
        'Cache-Control',
        url.searchParams.has('hash') ? 'public, immutable' : 'no-cache, private',
      );
      this.send(res, 200, doc);
      return true;
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-cache, private',
      });
      res.end('ok');
      return true;
    }
    return false;
  }

  private parsePath(path: string): ResourcePath | undefined {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
    if (!m) return undefined;
    const group = m[1] ? '' : m[2];
    const version = m[1] ?? m[3];
    const segments = m[4].split('/').map((s) => decodeURIComponent(s));
    let namespace: string | undefined;
    let rest = segments;
    if (
      segments[0] === 'namespaces' &&
      segments.length >= 3 &&
      !['status', 'finalize'].includes(segments[2])
    ) {
      namespace = segments[1];
      rest = segments.slice(2);
    }
    if (rest.length > 3) return undefined;
    const v1Hpa = group === 'autoscaling' && version === 'v1' && rest[0] === 'horizontalpodautoscalers';
    const info = findResource(group, v1Hpa ? 'v2' : version, rest[0], servedNow(this.cluster.store));
    if (!info) return undefined;
    if (namespace !== undefined && !info.namespaced) return undefined;
    return { info, namespace, name: rest[1], subresource: rest[2], ...(v1Hpa ? { v1Hpa } : {}) };
  }

  // ------------------------------------------------------------------------------------------- resources

  private async serveResource(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    target: ResourcePath,
  ): Promise<void> {
    const api = this.cluster.api;
    const q = url.searchParams;
    const { info, name, subresource } = target;
    const namespace = info.namespaced ? target.namespace : undefined;
    if (info.warning) warn(res, [info.warning]);
    const dryRun = q.getAll('dryRun').includes('All');
    const accept = req.headers.accept;
    // The version the client speaks, when it is not the stored one.
    const view = (obj: KubeObject): KubeObject => (target.v1Hpa ? hpaToV1(obj) : inServedVersion(info, obj));
    const input = (body: unknown): unknown =>
      target.v1Hpa ? hpaFromV1(body) : fromServedVersion(info, body);

    if (subresource !== undefined) {
      if (name === undefined) throw notFoundPath();
      await this.serveSubresource(req, res, method, url, target, dryRun);
      return;
    }

    if (method === 'GET' && name === undefined) {
      req.resume();
      if (q.get('watch') === 'true' || q.get('watch') === '1') {
        this.watches.open(req, res, info, {
          namespace,
          labelSelector: q.get('labelSelector') ?? undefined,
          fieldSelector: q.get('fieldSelector') ?? undefined,
          resourceVersion: q.get('resourceVersion') ?? undefined,
          timeoutSeconds: q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined,
          bookmarks: q.get('allowWatchBookmarks') === 'true',
          table: wantsTable(accept),
          include: includeObject(q),
          ...(target.v1Hpa ? { view, apiVersion: 'autoscaling/v1' } : { view }),
        });
        return;
      }
      const all = api.list(info.resource, {
        namespace,
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
      });
      const resourceVersion = String(this.cluster.revision);
      const { items, next, remaining } = paginate(all, q, resourceVersion);
      if (wantsTable(accept)) {
        const table = toTable(info, items, this.cluster.now(), {
          resourceVersion,
          continue: next,
          include: includeObject(q),
        });
        this.send(res, 200, table, TABLE_TYPE);
        return;
      }
      const metadata: Record<string, unknown> = { resourceVersion };
      if (next) metadata.continue = next;
      if (remaining) metadata.remainingItemCount = remaining;
      const apiVersion = target.v1Hpa ? 'autoscaling/v1' : info.apiVersion;
      this.send(res, 200, { kind: `${info.kind}List`, apiVersion, metadata, items: items.map(view) });
      return;
    }

    if (method === 'GET') {
      req.resume();
      const obj = api.get(info.resource, namespace, name!);
      if (wantsTable(accept)) {
        const table = toTable(info, [obj], this.cluster.now(), {
          resourceVersion: obj.metadata.resourceVersion,
          include: includeObject(q),
        });
        this.send(res, 200, table, TABLE_TYPE);
      } else this.send(res, 200, view(obj));
      return;
    }

    if (method === 'POST' && name === undefined) {
      const raw = await readBody(req, this.maxBody);
      const body = this.objectBody(input(decodeBody(raw, req.headers['content-type'])), info, namespace);
      const text = target.v1Hpa ? undefined : jsonText(raw, req.headers['content-type']);
      warn(res, checkFields(body, info, parseFieldValidation(q.get('fieldValidation')), 'create', text));
      const created = api.create(body, { dryRun });
      this.send(res, 201, view(created));
      return;
    }

    if (method === 'PUT' && name !== undefined) {
      const raw = await readBody(req, this.maxBody);
      const body = this.objectBody(input(decodeBody(raw, req.headers['content-type'])), info, namespace);
      if (body.metadata.name !== name)
        throw new HttpStatus(
          400,
          'BadRequest',
          `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
        );
      const text = target.v1Hpa ? undefined : jsonText(raw, req.headers['content-type']);
      warn(res, checkFields(body, info, parseFieldValidation(q.get('fieldValidation')), 'update', text));
      const updated = api.update(body, { dryRun });
      this.send(res, 200, view(updated));
      return;
    }

    if (method === 'PATCH' && name !== undefined) {
      const type = patchType(req.headers['content-type']);
      const patch = decodeBody(await readBody(req, this.maxBody), req.headers['content-type']);
      const current = api.get(info.resource, namespace, name);
      const patched = input(applyPatch(type, view(current), patch)) as KubeObject;
      this.checkPatched(patched, info, namespace, name);
      warn(res, checkFields(patched, info, parseFieldValidation(q.get('fieldValidation')), 'patch'));
      // The patch's own resourceVersion (if any) is a precondition; otherwise the object just read is current.
      if (!patched.metadata.resourceVersion)
        patched.metadata.resourceVersion = current.metadata.resourceVersion;
      // A patch that changes nothing is not written (the API server's update skips it): same resourceVersion.
      const updated = api.update(patched, { dryRun });
      this.send(res, 200, view(updated));
      return;
    }

    if (method === 'DELETE' && name !== undefined) {
      const raw = await readBody(req, this.maxBody);
      const options = raw.length
        ? (decodeBody(raw, req.headers['content-type']) as Record<string, unknown>)
        : {};
      const grace = q.has('gracePeriodSeconds')
        ? Number(q.get('gracePeriodSeconds'))
        : options.gracePeriodSeconds;
      const bodyDryRun = Array.isArray(options.dryRun) && options.dryRun.includes('All');
      const deleted = api.delete(info.resource, namespace, name, {
        dryRun: dryRun || bodyDryRun,
        gracePeriodSeconds: typeof grace === 'number' && Number.isFinite(grace) ? grace : undefined,
      });
      this.send(res, 200, view(deleted));
      return;
    }

    if (method === 'DELETE') {
      req.resume();
      const victims = api.list(info.resource, {
        namespace,
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
      });
      const items = victims.map((v) =>
        api.delete(info.resource, v.metadata.namespace, v.metadata.name, { dryRun }),
      );
      this.send(res, 200, {
        kind: `${info.kind}List`,
        apiVersion: info.apiVersion,
        metadata: { resourceVersion: String(this.cluster.revision) },
        items,
      });
      return;
    }
    req.resume();
    throw methodNotAllowed();
  }

  private async serveSubresource(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    target: ResourcePath,
    dryRun: boolean,
  ): Promise<void> {
    const { info, namespace, name, subresource } = target;
    const q = url.searchParams;
    if (subresource === 'log' && info.resource === 'pods' && method === 'GET' && q.get('follow') === 'true') {
      req.resume();
      const pod = { namespace: namespace ?? 'default', pod: name!, query: q };
      serveFollowedLog(this.cluster, res, pod, this.trackStream);
      this.options.onRequest?.(method, req.url ?? '', 200);
      return;
    }
    if (STREAM_SUBRESOURCES.has(subresource!) && info.resource === 'pods') {
      // exec, attach and portforward are served on the 'upgrade' event; a plain request cannot have them.
      req.resume();
      throw new HttpStatus(400, 'BadRequest', 'Upgrade request required');
    }
    if (subresource === 'log' && info.resource === 'pods' && method === 'GET') {
      req.resume();
      const text = podLog(this.cluster, namespace ?? 'default', name!, {
        container: q.get('container') ?? undefined,
        tailLines: q.has('tailLines') ? Number(q.get('tailLines')) : undefined,
        previous: q.get('previous') === 'true',
        timestamps: q.get('timestamps') === 'true',
        sinceSeconds: q.has('sinceSeconds') ? Number(q.get('sinceSeconds')) : undefined,
        sinceTime: q.get('sinceTime') ?? undefined,
      });
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
      res.end(text);
      this.options.onRequest?.(method, req.url ?? '', 200);
      return;
    }
    if (subresource === 'scale' && WITH_SCALE.has(info.resource)) {
      if (method === 'GET') {
        req.resume();
        this.send(res, 200, readScale(this.cluster, info, namespace, name!));
        return;
      }
      if (method === 'PUT' || method === 'PATCH') {
        const raw = await readBody(req, this.maxBody);
        const body = decodeBody(raw, req.headers['content-type']);
        const scale =
          method === 'PUT'
            ? body
            : applyPatch(
                patchType(req.headers['content-type']),
                readScale(this.cluster, info, namespace, name!),
                body,
              );
        this.send(res, 200, writeScale(this.cluster, info, namespace, name!, scale, dryRun));
        return;
      }
    }
    if (subresource === 'eviction' && info.resource === 'pods' && method === 'POST') {
      const body = decodeBody(await readBody(req, this.maxBody), req.headers['content-type']);
      const options = (body as { deleteOptions?: { gracePeriodSeconds?: number; dryRun?: string[] } } | null)
        ?.deleteOptions;
      evictPod(this.cluster.server, namespace ?? 'default', name!, {
        dryRun: dryRun || (options?.dryRun?.length ?? 0) > 0,
        gracePeriodSeconds: options?.gracePeriodSeconds ?? undefined,
        now: this.cluster.clock.now(),
      });
      this.send(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
      return;
    }
    if (subresource === 'token' && info.resource === 'serviceaccounts' && method === 'POST') {
      const body = decodeBody(await readBody(req, this.maxBody), req.headers['content-type']);
      const spec = (body as { spec?: TokenRequestSpec } | null)?.spec ?? {};
      const ns = namespace ?? 'default';
      this.send(res, 201, issueToken(this.cluster.api, this.cluster.clock.now(), ns, name!, spec));
      return;
    }
    if (subresource === 'status') {
      const api = this.cluster.api;
      if (method === 'GET') {
        req.resume();
        this.send(res, 200, api.get(info.resource, namespace, name!));
        return;
      }
      if (method === 'PUT' || method === 'PATCH') {
        const body = decodeBody(await readBody(req, this.maxBody), req.headers['content-type']);
        const current = api.get(info.resource, namespace, name!);
        const next = (
          method === 'PUT' ? body : applyPatch(patchType(req.headers['content-type']), current, body)
        ) as KubeObject;
        this.send(res, 200, writeStatus(this.cluster, current, next, dryRun));
        return;
      }
    }
    req.resume();
    if (method !== 'GET' && method !== 'PUT' && method !== 'PATCH') throw methodNotAllowed();
    throw notFoundPath();
  }

  // ------------------------------------------------------------------------------------------- helpers

  private get maxBody(): number {
    return this.options.maxBodyBytes ?? MAX_BODY_BYTES;
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    return decodeBody(await readBody(req, this.maxBody), req.headers['content-type']);
  }

  /** The object of a POST or PUT: its kind must be the resource's, its namespace the path's. */
  private objectBody(body: unknown, info: ResourceInfo, namespace: string | undefined): KubeObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new HttpStatus(400, 'BadRequest', `Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    const obj = body as KubeObject;
    if (!obj.kind)
      throw new HttpStatus(400, 'BadRequest', `Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    if (obj.kind !== info.kind || (obj.apiVersion !== undefined && obj.apiVersion !== info.apiVersion))
      throw new HttpStatus(
        400,
        'BadRequest',
        `${obj.kind} in version "${String(obj.apiVersion ?? '')}" cannot be handled as a ${info.kind}: the object provided is unrecognized (must be of type ${info.kind})`,
      );
    if (typeof obj.metadata !== 'object' || obj.metadata === null)
      obj.metadata = {} as KubeObject['metadata'];
    if (info.namespaced && namespace !== undefined) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace)
        throw new HttpStatus(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      obj.metadata.namespace = namespace;
    }
    return obj;
  }

  private checkPatched(
    patched: KubeObject,
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
  ): void {
    if (typeof patched !== 'object' || patched === null || typeof patched.metadata !== 'object')
      throw new HttpStatus(422, 'Invalid', 'the patch made the object unreadable');
    if (patched.metadata.name !== name)
      throw new HttpStatus(
        400,
        'BadRequest',
        `the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`,
      );
    patched.kind = info.kind;
    if (info.namespaced) patched.metadata.namespace = namespace ?? 'default';
  }

  private send(res: ServerResponse, code: number, body: unknown, contentType = JSON_TYPE): void {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': contentType,
      'Cache-Control': 'no-cache, private',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
    const req = (res as ServerResponse & { req?: IncomingMessage }).req;
    this.options.onRequest?.(req?.method ?? '', req?.url ?? '', code);
  }

  private fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    const status = statusFor(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    try {
      this.send(res, status.code, status);
    } catch {
      res.destroy();
    }
    if (req.readable) req.resume();
  }
}

/** A JSON body's text (duplicate keys are only visible there); YAML bodies are decoded strictly already. */
function jsonText(raw: Buffer, contentType: string | undefined): string | undefined {
  const type = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  return type.endsWith('json') ? raw.toString('utf8') : undefined;
}

/** Warnings travel as `Warning: 299 - "<text>"` headers (quotes escaped, or kubectl drops the header). */
function warn(res: ServerResponse, warnings: string[]): void {
  if (warnings.length === 0) return;
  const previous = res.getHeader('Warning');
  const earlier = Array.isArray(previous) ? previous : previous === undefined ? [] : [String(previous)];
  res.setHeader('Warning', [...earlier, ...warnings.map((w) => `299 - ${JSON.stringify(w)}`)]);
}

function includeObject(q: URLSearchParams): IncludeObject {
  const value = q.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function patchType(contentType: string | undefined): PatchType {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if ((PATCH_TYPES as readonly string[]).includes(type)) return type as PatchType;
  throw new HttpStatus(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
  );
}

/** limit/continue: the continue token carries the list's resourceVersion and the next item's position. */
function paginate(
  all: KubeObject[],
  q: URLSearchParams,
  resourceVersion: string,
): { items: KubeObject[]; next?: string; remaining?: number } {
  let start = 0;
  const token = q.get('continue');
  if (token) {
    let decoded: { start?: unknown } | undefined;
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { start?: unknown };
    } catch {
      decoded = undefined;
    }
    if (!decoded || typeof decoded.start !== 'number' || decoded.start < 0)
      throw new HttpStatus(
        400,
        'BadRequest',
        'continue key is not valid: incorrect encoded start resourceVersion',
      );
    start = decoded.start;
  }
  const limit = Number(q.get('limit') ?? 0);
  if (!Number.isFinite(limit) || limit <= 0 || start + limit >= all.length)
    return { items: all.slice(start) };
  const end = start + limit;
  const next = Buffer.from(JSON.stringify({ rv: resourceVersion, start: end })).toString('base64url');
  return { items: all.slice(start, end), next, remaining: all.length - end };
}
