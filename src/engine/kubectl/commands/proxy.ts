/**
 * `kubectl proxy`: kubectl's cmd/proxy and pkg/proxy (listen, request filter, API prefix) in front of the engine's
 * API server, listening on the lab terminal's LocalPorts. What `curl localhost:8001/...` gets back is what the
 * kube-apiserver sends a curl client: JSON indented by two spaces without a final newline (the apiserver
 * pretty-prints for a `curl` User-Agent), typed objects with `kind` before `apiVersion`, list items without them,
 * and a Status object for errors.
 */
import type { ResourceInfo } from '../../api/resources';
import { isStatusError, StatusError } from '../../api/status-error';
import type { KubeObject, Pod, Service } from '../../api/types';
import type { Cluster } from '../../cluster';
import { LocalPorts, type LocalRequest, type LocalResponse } from '../../terminal/local-ports';
import { FlagError, parseArgs } from '../argv';
import { CommandDef, flag, GLOBAL_FLAGS } from '../command';
import { CommandError, KubectlContext } from '../context';
import { waitForClusterChange } from '../wait';
import { versionCommand } from './info';
import { parseGoDuration } from './rollout-status';

const DEFAULT_PORT = 8001;
const DEFAULT_REJECT_PATHS = '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach';
const DEFAULT_ACCEPT_HOSTS = '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$';

/** Go's json.MarshalIndent(v, "", "  ") with its HTML-safe escaping: what the apiserver sends a curl client. */
export function apiJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A typed object as the apiserver encodes it: TypeMeta is `kind` then `apiVersion`, then the object's fields. */
function typed(obj: KubeObject): Record<string, unknown> {
  const { apiVersion, kind, ...rest } = obj as KubeObject & Record<string, unknown>;
  return { kind, apiVersion, ...rest };
}

/** A list item: typed lists carry no TypeMeta on their items. */
function item(obj: KubeObject): Record<string, unknown> {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = obj as KubeObject & Record<string, unknown>;
  return rest;
}

function json(status: number, value: unknown): LocalResponse {
  return { ok: true, status, body: apiJson(value), contentType: 'application/json' };
}

function text(status: number, body: string): LocalResponse {
  return { ok: true, status, body, contentType: 'text/plain; charset=utf-8' };
}

/** metav1.Status for a failure (field order of the Go struct; empty details fields are omitted). */
function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

function fromStatusError(error: StatusError): LocalResponse {
  const { status } = error;
  const d = status.details;
  const details = d
    ? Object.fromEntries(
        Object.entries({ name: d.name, group: d.group, kind: d.kind, causes: d.causes }).filter(
          ([, v]) => v !== undefined && v !== '',
        ),
      )
    : undefined;
  return json(error.code, statusBody(error.code, status.reason, status.message, details));
}

const NOT_FOUND = (): LocalResponse =>
  json(404, statusBody(404, 'NotFound', 'the server could not find the requested resource', {}));

const SERVICE_UNAVAILABLE = (message: string): LocalResponse =>
  json(503, statusBody(503, 'ServiceUnavailable', message));

/** `kubectl version -o json`'s serverVersion: the cluster's /version. */
function serverVersion(ctx: KubectlContext): unknown {
  let out = '';
  const capture: KubectlContext = { ...ctx, stdout: (chunk) => (out += chunk), stderr: () => undefined };
  void versionCommand.run(capture, parseArgs(['-o', 'json'], [...GLOBAL_FLAGS, ...versionCommand.flags]));
  return (JSON.parse(out) as { serverVersion: unknown }).serverVersion;
}

function resourceAt(
  cluster: Cluster,
  group: string,
  version: string,
  name: string,
): ResourceInfo | undefined {
  const info = cluster.api.resourceFor(name);
  return info && info.resource === name && info.group === group && info.version === version
    ? info
    : undefined;
}

/** `/api/v1/namespaces/NS/pods/NAME[:PORT]/proxy/...` and `.../services/NAME[:PORT]/proxy/...`. */
function proxyTo(cluster: Cluster, info: ResourceInfo, namespace: string, target: string, path: string) {
  const parts = target.split(':');
  const [name, port] = parts.length === 3 ? [parts[1], parts[2]] : [parts[0], parts[1] ?? ''];
  if (info.resource === 'pods') {
    const pod = cluster.api.get<Pod>('pods', namespace, name);
    const ip = pod.status?.podIP;
    if (!ip) return json(400, statusBody(400, 'BadRequest', 'address not allowed'));
    const number = port === '' ? 80 : Number(port);
    if (!Number.isInteger(number) || number <= 0 || number > 65535)
      return json(400, statusBody(400, 'BadRequest', `invalid port: ${port}`));
    const result = cluster.network.httpGet(ip, number, path);
    return result.ok
      ? text(result.status, result.body)
      : SERVICE_UNAVAILABLE(
          `error trying to reach service: dial tcp ${ip}:${number}: connect: ${result.error === 'refused' ? 'connection refused' : 'no route to host'}`,
        );
  }
  const svc = cluster.api.get<Service>('services', namespace, name);
  const servicePort = (svc.spec.ports ?? []).find(
    (p) => (p.name ?? '') === port || (port !== '' && String(p.port) === port),
  );
  const unavailable = SERVICE_UNAVAILABLE(`no endpoints available for service "${target}"`);
  if (!servicePort || !svc.spec.clusterIP || svc.spec.clusterIP === 'None') return unavailable;
  const result = cluster.network.httpGet(svc.spec.clusterIP, servicePort.port, path);
  return result.ok ? text(result.status, result.body) : unavailable;
}

function queryParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    params.set(decode(eq < 0 ? pair : pair.slice(0, eq)), decode(eq < 0 ? '' : pair.slice(eq + 1)));
  }
  return params;
}

/** The kube-apiserver's answer to `GET path` (path with its query string), for a curl client. */
export function serveApi(ctx: KubectlContext, rawPath: string): LocalResponse {
  const cluster = ctx.cluster;
  const q = rawPath.indexOf('?');
  const path = q < 0 ? rawPath : rawPath.slice(0, q);
  const params = queryParams(q < 0 ? '' : rawPath.slice(q + 1));
  try {
    cluster.sync();
    if (['/healthz', '/livez', '/readyz'].includes(path)) return text(200, 'ok');
    if (path === '/version' || path === '/version/') return json(200, serverVersion(ctx));
    if (path === '/api' || path === '/api/')
      return json(200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${cluster.nodeIp}:8443` }],
      });
    const segments = path.split('/').slice(1);
    if (segments[segments.length - 1] === '') segments.pop();
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments.length >= 3)
      [group, version, rest] = ['', segments[1], segments.slice(2)];
    else if (segments[0] === 'apis' && segments.length >= 4)
      [group, version, rest] = [segments[1], segments[2], segments.slice(3)];
    else return NOT_FOUND();

    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const info = resourceAt(cluster, group, version, rest[0]);
    if (!info) {
      // `/api/v1/namespaces/NAME` is the namespace itself.
      if (rest[0] === 'namespaces' && rest.length === 2 && group === '' && version === 'v1')
        return json(200, typed(cluster.api.get('namespaces', undefined, rest[1])));
      return NOT_FOUND();
    }
    if (namespace !== undefined && !info.namespaced) return NOT_FOUND();
    const scope = info.namespaced ? namespace : undefined;
    if (rest.length === 1) {
      const items = cluster.api.list(info.resource, {
        namespace: scope,
        labelSelector: params.get('labelSelector') || undefined,
        fieldSelector: params.get('fieldSelector') || undefined,
      });
      return json(200, {
        kind: `${info.kind}List`,
        apiVersion: info.apiVersion,
        metadata: { resourceVersion: String(cluster.revision) },
        items: items.map(item),
      });
    }
    if (info.namespaced && namespace === undefined) return NOT_FOUND();
    const name = rest[1];
    if (rest.length === 2) return json(200, typed(cluster.api.get(info.resource, scope, name)));
    const sub = rest[2];
    if (sub === 'status' && rest.length === 3)
      return json(200, typed(cluster.api.get(info.resource, scope, name)));
    if (sub === 'log' && rest.length === 3 && info.resource === 'pods') {
      cluster.api.get('pods', scope, name);
      return text(
        200,
        ctx.cluster.runtime.logs(scope ?? 'default', name, params.get('container') || undefined),
      );
    }
    if (sub === 'proxy' && (info.resource === 'pods' || info.resource === 'services')) {
      const inner = '/' + rest.slice(3).join('/') + (path.endsWith('/') && rest.length > 3 ? '/' : '');
      return proxyTo(cluster, info, scope ?? 'default', name, inner);
    }
    return NOT_FOUND();
  } catch (error) {
    if (isStatusError(error)) return fromStatusError(error);
    throw error;
  }
}

/** pkg/proxy MakeRegexpArray: a comma-separated list of regular expressions. */
function regexps(flagName: string, value: string): RegExp[] {
  if (value === '') return [];
  return value.split(',').map((source) => {
    try {
      return new RegExp(source);
    } catch (error) {
      throw new CommandError(
        `invalid value for --${flagName}: ${source}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
}

const matchesAny = (text: string, patterns: RegExp[]) => patterns.some((re) => re.test(text));

/** Go's net.Listen("tcp", fmt.Sprintf("%s:%d", address, port)) on the lab machine: the bound addresses, or why not. */
function listenAddresses(
  address: string,
  port: number,
): { bind: string[]; shown: string; inError: string } | { error: string } {
  const joined = `${address}:${port}`;
  if (address.includes(':')) return { error: `listen tcp: address ${joined}: too many colons in address` };
  if (port < 0 || port > 65535) return { error: `listen tcp: address ${port}: invalid port` };
  if (address === '' || address === '0.0.0.0')
    return { bind: ['0.0.0.0', '::'], shown: `[::]:${port}`, inError: joined };
  if (address === 'localhost')
    return { bind: ['127.0.0.1'], shown: `127.0.0.1:${port}`, inError: `127.0.0.1:${port}` };
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address))
    return { error: `listen tcp: lookup ${address} on 127.0.0.53:53: no such host` };
  return { bind: [address], shown: joined, inError: joined };
}

export const proxyCommand: CommandDef = {
  path: ['proxy'],
  short: 'Run a proxy to the Kubernetes API server',
  usage:
    'kubectl proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix] [options]',
  flags: [
    flag.string(
      'accept-hosts',
      undefined,
      DEFAULT_ACCEPT_HOSTS,
      'Regular expression for hosts that the proxy should accept.',
    ),
    flag.string(
      'accept-paths',
      undefined,
      '^.*',
      'Regular expression for paths that the proxy should accept.',
    ),
    flag.string('address', undefined, '127.0.0.1', 'The IP address on which to serve on.'),
    flag.string('api-prefix', undefined, '/', 'Prefix to serve the proxied API under.'),
    flag.bool(
      'append-server-path',
      undefined,
      false,
      'If true, enables automatic path appending of the kube context server path to each request.',
    ),
    flag.bool('disable-filter', undefined, false, 'If true, disable request filtering in the proxy.'),
    flag.string(
      'keepalive',
      undefined,
      '0s',
      'keepalive specifies the keep-alive period for an active network connection.',
    ),
    flag.int(
      'port',
      'p',
      DEFAULT_PORT,
      'The port on which to run the proxy. Set to 0 to pick a random port.',
    ),
    flag.string(
      'reject-methods',
      undefined,
      '^$',
      'Regular expression for HTTP methods that the proxy should reject.',
    ),
    flag.string(
      'reject-paths',
      undefined,
      DEFAULT_REJECT_PATHS,
      'Regular expression for paths that the proxy should reject.',
    ),
    flag.string('unix-socket', 'u', '', 'Unix socket on which to run the proxy.'),
    flag.string(
      'www',
      'w',
      '',
      'Also serve static files from the given directory under the specified prefix.',
    ),
    flag.string(
      'www-prefix',
      'P',
      '/static/',
      'Prefix to serve static files under, if static file directory is specified.',
    ),
  ],
  async run(ctx, args) {
    const keepalive = args.flags.keepalive as string;
    try {
      parseGoDuration(keepalive);
    } catch {
      throw new FlagError(
        `invalid argument "${keepalive}" for "--keepalive" flag: time: invalid duration ${JSON.stringify(keepalive)}`,
      );
    }
    // Complete
    const withSlash = (s: string) => (s.endsWith('/') ? s : `${s}/`);
    const apiPrefix = withSlash(args.flags['api-prefix'] as string);
    const staticPrefix = withSlash(args.flags['www-prefix'] as string);
    const staticDir = args.flags.www as string;
    const filter = (args.flags['disable-filter'] as boolean)
      ? undefined
      : {
          acceptPaths: regexps('accept-paths', args.flags['accept-paths'] as string),
          rejectPaths: regexps('reject-paths', args.flags['reject-paths'] as string),
          acceptHosts: regexps('accept-hosts', args.flags['accept-hosts'] as string),
          rejectMethods: regexps('reject-methods', args.flags['reject-methods'] as string),
        };
    // Validate
    const port = args.flags.port as number;
    const unixSocket = args.flags['unix-socket'] as string;
    if (port !== DEFAULT_PORT && unixSocket !== '')
      throw new CommandError('cannot set --unix-socket and --port at the same time');

    const handle = ({ host, path: rawPath }: LocalRequest): LocalResponse => {
      const path = rawPath.split('?')[0];
      if (staticDir !== '' && path.startsWith(staticPrefix)) return text(404, '404 page not found\n');
      let apiPath = rawPath;
      if (!path.startsWith(apiPrefix)) return text(404, '404 page not found\n');
      if (!apiPrefix.startsWith('/api')) {
        // stripLeaveSlash
        const stripped = rawPath.slice(apiPrefix.length);
        apiPath = stripped.startsWith('/') ? stripped : `/${stripped}`;
      }
      if (filter) {
        const strippedPath = apiPath.split('?')[0];
        const accepted =
          !matchesAny(strippedPath, filter.rejectPaths) &&
          !matchesAny('GET', filter.rejectMethods) &&
          matchesAny(strippedPath, filter.acceptPaths) &&
          matchesAny(host, filter.acceptHosts);
        if (!accepted) return text(403, 'Forbidden\n');
      }
      return serveApi(ctx, apiPath);
    };

    const localPorts = ctx.localPorts ?? new LocalPorts();
    const releases: (() => void)[] = [];
    let shown: string;
    if (unixSocket !== '') shown = unixSocket;
    else {
      const chosen = port === 0 ? localPorts.pickFree(ctx.cluster.seed) : port;
      const plan = listenAddresses(args.flags.address as string, chosen);
      if ('error' in plan) throw new CommandError(plan.error);
      for (const address of plan.bind) {
        const bound = localPorts.bind(address, chosen, { owner: 'kubectl proxy', request: handle });
        if (!bound.ok) {
          for (const release of releases) release();
          throw new CommandError(`listen tcp ${plan.inError}: bind: ${bound.error}`);
        }
        releases.push(bound.release);
      }
      shown = plan.shown;
    }
    try {
      ctx.stdout(`Starting to serve on ${shown}\n`);
      for (;;) await waitForClusterChange(ctx);
    } finally {
      for (const release of releases) release();
    }
  },
};
