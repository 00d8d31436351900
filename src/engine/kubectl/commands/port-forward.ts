/**
 * `kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT...`: kubectl's cmd/portforward (Complete, then
 * RunPortForwardContext) and client-go's tools/portforward (address and port parsing, listeners, connections),
 * with the lab terminal's LocalPorts as the machine's loopback sockets. A connection reaches the pod as
 * `curl POD_IP:PORT` does; one the pod refuses ends the forward the way kubectl v1.30 does (an error line from the
 * kubelet's socat, then `error: lost connection to pod`).
 */
import type { Pod, Service } from '../../api/types';
import type { Cluster } from '../../cluster';
import { LocalPorts, type LocalResponse } from '../../terminal/local-ports';
import { Random } from '../../store/random';
import { FlagError, type ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, InterruptedError, KubectlContext, UsageError } from '../context';
import { waitForClusterChange } from '../wait';
import { resolvePod } from './logs-exec';
import { parseGoDuration } from './rollout-status';
import { klogHeader } from '../klog';

interface ListenAddress {
  address: string;
  protocol: 'tcp4' | 'tcp6';
  failureMode: 'all' | 'any';
}

interface ForwardedPort {
  local: number;
  remote: number;
}

/** Go's strconv.Atoi: an optional sign and decimal digits. */
function atoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** cmd/portforward splitPort: `[LOCAL:]REMOTE`; anything but exactly one colon counts as `REMOTE` alone. */
function splitPort(port: string): [string, string] {
  const parts = port.split(':');
  return parts.length === 2 ? [parts[0], parts[1]] : [parts[0], parts[0]];
}

function containerPortByName(pod: Pod, name: string): number {
  for (const container of pod.spec.containers)
    for (const port of container.ports ?? []) if ((port.name ?? '') === name) return port.containerPort;
  throw new CommandError(`Pod '${pod.metadata.name}' does not have a named port '${name}'`);
}

function servicePortByName(svc: Service, name: string): number {
  const found = (svc.spec.ports ?? []).find((p) => (p.name ?? '') === name);
  if (!found) throw new CommandError(`Service '${svc.metadata.name}' does not have a named port '${name}'`);
  return found.port;
}

/** util.LookupContainerPortNumberByServicePort: the container port a service port leads to in `pod`. */
function containerPortForServicePort(svc: Service, pod: Pod, port: number): number {
  for (const sp of svc.spec.ports ?? []) {
    if (sp.port !== port) continue;
    if (svc.spec.clusterIP === 'None') return port;
    if (typeof sp.targetPort === 'string') return containerPortByName(pod, sp.targetPort);
    return sp.targetPort ? sp.targetPort : sp.port;
  }
  throw new CommandError(`Service ${svc.metadata.name} does not have a service port ${port}`);
}

/** checkUDPPortInService / checkUDPPortInPod: a remote port that is UDP only cannot be forwarded. */
function checkUdpPorts(
  specs: string[],
  ports: { port: number; protocol?: string }[],
  byName: (name: string) => number,
): void {
  const protocols = (wanted: string) =>
    new Set(ports.filter((p) => (p.protocol ?? 'TCP') === wanted).map((p) => p.port));
  const tcp = protocols('TCP');
  const udpOnly = [...protocols('UDP')].filter((p) => !tcp.has(p));
  for (const spec of specs) {
    const remote = splitPort(spec)[1];
    const number = atoi(remote) ?? byName(remote);
    if (udpOnly.includes(number)) throw new CommandError(`UDP protocol is not supported for ${remote}`);
  }
}

/** translateServicePortToTargetPort: service ports (numbers or names) become the target pod's container ports. */
function translateServicePorts(specs: string[], svc: Service, pod: Pod): string[] {
  return specs.map((spec) => {
    let [local, remote] = splitPort(spec);
    let number = atoi(remote);
    if (number === undefined) {
      number = servicePortByName(svc, remote);
      if (local === remote) local = String(number);
    }
    remote = String(containerPortForServicePort(svc, pod, number));
    return local !== remote ? `${local}:${remote}` : remote;
  });
}

/** convertPodNamedPortToNumber: named container ports become numbers. */
function convertNamedPorts(specs: string[], pod: Pod): string[] {
  return specs.map((spec) => {
    const [local, remote] = splitPort(spec);
    if (remote === '') throw new CommandError('remote port cannot be empty');
    const container = atoi(remote) === undefined ? String(containerPortByName(pod, remote)) : remote;
    return local !== remote ? `${local}:${container}` : container;
  });
}

/** Go's strconv.ParseUint(s, 10, 16) error text, or the value. */
function parseUint16(text: string): number | string {
  if (!/^\d+$/.test(text)) return `strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`;
  const value = Number(text);
  return value > 65535 ? `strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range` : value;
}

/** client-go parsePorts: `5000`, `8888:5000`, `:5000` / `0:5000` (a random local port). */
function parsePorts(specs: string[]): ForwardedPort[] {
  return specs.map((spec) => {
    const parts = spec.split(':');
    if (parts.length > 2) throw new CommandError(`invalid port format '${spec}'`);
    const localText = parts.length === 1 ? parts[0] : parts[0] || '0';
    const remoteText = parts.length === 1 ? parts[0] : parts[1];
    const local = parseUint16(localText);
    if (typeof local === 'string')
      throw new CommandError(`error parsing local port '${localText}': ${local}`);
    const remote = parseUint16(remoteText);
    if (typeof remote === 'string')
      throw new CommandError(`error parsing remote port '${remoteText}': ${remote}`);
    if (remote === 0) throw new CommandError('remote port must be > 0');
    return { local, remote };
  });
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Go's net.ParseIP family: 4, 6, or undefined when `text` is not an IP address. */
function ipFamily(text: string): 4 | 6 | undefined {
  const v4 = IPV4.exec(text);
  if (v4) return v4.slice(1).every((octet) => Number(octet) <= 255) ? 4 : undefined;
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  const tail = groups[groups.length - 1] ?? '';
  const embeddedV4 = tail.includes('.');
  if (embeddedV4 && ipFamily(tail) !== 4) return undefined;
  const hexGroups = embeddedV4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const count = hexGroups.length + (embeddedV4 ? 2 : 0);
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  if (/^::ffff:/i.test(text) && embeddedV4) return 4;
  return 6;
}

/** client-go parseAddresses: `localhost` means 127.0.0.1 and ::1 (either may fail); sorted by address. */
function parseAddresses(values: string[]): ListenAddress[] {
  if (values.length === 0) throw new CommandError('you must specify at least 1 address');
  const parsed = new Map<string, ListenAddress>();
  for (const address of values) {
    if (address === 'localhost') {
      if (!parsed.has('127.0.0.1'))
        parsed.set('127.0.0.1', { address: '127.0.0.1', protocol: 'tcp4', failureMode: 'all' });
      if (!parsed.has('::1')) parsed.set('::1', { address: '::1', protocol: 'tcp6', failureMode: 'all' });
      continue;
    }
    const family = ipFamily(address);
    if (family === undefined) throw new CommandError(`${address} is not a valid IP`);
    parsed.set(address, { address, protocol: family === 4 ? 'tcp4' : 'tcp6', failureMode: 'any' });
  }
  return [...parsed.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Go's net.JoinHostPort. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The pods a selector picks, as resolvePod orders them: running ones first, then the oldest. */
function firstPodFor(ctx: KubectlContext, namespace: string, selector: Record<string, string>): Pod {
  const pods = ctx.cluster.api
    .list<Pod>('pods', {
      namespace,
      labelSelector: Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    })
    .filter((p) => !p.metadata.deletionTimestamp);
  if (pods.length === 0) throw new CommandError('timed out waiting for the condition');
  const running = pods.filter((p) => p.status?.phase === 'Running');
  return (running.length > 0 ? running : pods).sort((a, b) =>
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
  )[0];
}

/** The builder's lookup of `NAME` (a pod) or `TYPE/NAME`, then AttachablePodForObjectFn. */
function forwardablePod(ctx: KubectlContext, args: ParsedArgs, ref: string): { pod: Pod; service?: Service } {
  const api = ctx.cluster.api;
  const namespace = namespaceFlag(args);
  const slash = ref.indexOf('/');
  if (slash < 0) return { pod: api.get<Pod>('pods', namespace, ref) };
  const type = ref.slice(0, slash);
  const name = ref.slice(slash + 1);
  if (type === '' || name === '')
    throw new CommandError('arguments in resource/name form must have a single resource and name');
  const info = api.resourceFor(type);
  if (!info) throw new CommandError(`the server doesn't have a resource type "${type}"`);
  switch (info.resource) {
    case 'pods':
    case 'deployments':
    case 'replicasets':
      return { pod: resolvePod(ctx, args, ref) };
    case 'services': {
      const service = api.get<Service>('services', namespace, name);
      const selector = service.spec.selector ?? {};
      if (Object.keys(selector).length === 0)
        throw new CommandError(
          `cannot attach to *v1.Service: invalid service '${name}': Service is defined without a selector`,
        );
      return { pod: firstPodFor(ctx, namespace, selector), service };
    }
    default: {
      const goType = `*${info.version}.${info.kind}`;
      api.get(info.resource, info.namespaced ? namespace : undefined, name);
      throw new CommandError(`cannot attach to ${goType}: selector for ${goType} not implemented`);
    }
  }
}

/** cmdutil.GetPodRunningTimeoutFlag. */
function podRunningTimeout(value: string): number {
  let ms: number;
  try {
    ms = value === '' ? NaN : parseGoDuration(value);
  } catch {
    ms = NaN;
  }
  if (Number.isNaN(ms))
    throw new FlagError(
      `invalid argument "${value}" for "--pod-running-timeout" flag: time: invalid duration ${JSON.stringify(value)}`,
    );
  if (ms <= 0) throw new UsageError('--pod-running-timeout must be higher than zero');
  return ms;
}

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** socat's own log timestamp: `2024/06/03 02:15:00`. */
function socatTime(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 19).replace(/-/g, '/').replace('T', ' ');
}

/**
 * The kubelet's (cri-dockerd's) side of one forwarded connection: the pod's answer, or why it failed (the text the
 * kubelet sends on the forward's error stream; the served API's port-forward sends the same).
 */
export function forwardToPod(
  cluster: Cluster,
  target: Pod,
  remote: number,
  path: string,
): { ok: true; result: LocalResponse } | { ok: false; error: string } {
  const namespace = target.metadata.namespace ?? 'default';
  const sandbox = new Random(hash32(target.metadata.uid ?? target.metadata.name)).hex(64);
  let pod: Pod | undefined;
  try {
    pod = cluster.api.get<Pod>('pods', namespace, target.metadata.name);
  } catch {
    pod = undefined;
  }
  const gone = `Error response from daemon: No such container: ${sandbox}`;
  if (!pod || pod.metadata.uid !== target.metadata.uid || !pod.status?.podIP)
    return { ok: false, error: `error forwarding port ${remote} to pod ${sandbox}, uid : ${gone}` };
  const result = cluster.network.httpGet(pod.status.podIP, remote, path);
  if (result.ok) return { ok: true, result };
  if (result.error === 'no-route')
    return { ok: false, error: `error forwarding port ${remote} to pod ${sandbox}, uid : ${gone}` };
  const now = cluster.clock.now();
  const socatPid = 1000 + (hash32(`${sandbox}:${now}`) % 98000);
  return {
    ok: false,
    error:
      `error forwarding port ${remote} to pod ${sandbox}, uid : exit status 1: ${socatTime(now)} ` +
      `socat[${socatPid}] E connect(5, AF=2 127.0.0.1:${remote}, 16): Connection refused\n`,
  };
}

export const portForwardCommand: CommandDef = {
  path: ['port-forward'],
  short: 'Forward one or more local ports to a pod',
  usage:
    'kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]',
  flags: [
    {
      name: 'address',
      type: 'stringArray',
      default: ['localhost'],
      description:
        'Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.',
    },
    flag.string(
      'pod-running-timeout',
      undefined,
      '1m0s',
      'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
    ),
  ],
  async run(ctx, args) {
    // Complete
    if (args.positional.length < 2)
      throw new UsageError('TYPE/NAME and list of ports are required for port-forward');
    podRunningTimeout(args.flags['pod-running-timeout'] as string);
    const { pod, service } = forwardablePod(ctx, args, args.positional[0]);
    const specs = args.positional.slice(1);
    let ports: string[];
    if (service) {
      checkUdpPorts(specs, service.spec.ports ?? [], (name) => servicePortByName(service, name));
      ports = translateServicePorts(specs, service, pod);
    } else {
      const containerPorts = pod.spec.containers.flatMap((c) =>
        (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol })),
      );
      checkUdpPorts(specs, containerPorts, (name) => containerPortByName(pod, name));
      ports = convertNamedPorts(specs, pod);
    }

    // RunPortForwardContext
    const namespace = namespaceFlag(args);
    const current = ctx.cluster.api.get<Pod>('pods', namespace, pod.metadata.name);
    if (current.status?.phase !== 'Running')
      throw new CommandError(
        `unable to forward port because pod is not running. Current status=${current.status?.phase ?? ''}`,
      );
    const addresses = parseAddresses(
      (args.flags.address as string[]).flatMap((value) => (value === '' ? [] : value.split(','))),
    );
    const forwards = parsePorts(ports);
    return forward(ctx, current, addresses, forwards);
  },
};

/** client-go PortForwarder.forward: listen on every port and address, then serve until stopped. */
async function forward(
  ctx: KubectlContext,
  pod: Pod,
  addresses: ListenAddress[],
  forwards: ForwardedPort[],
): Promise<number> {
  const localPorts = ctx.localPorts ?? new LocalPorts();
  const releases: (() => void)[] = [];
  const stop = new AbortController();
  let lost = false;
  const pid = 10000 + (hash32(`${pod.metadata.uid}:${ctx.cluster.clock.now()}`) % 90000);
  const listenerFor = (port: ForwardedPort) => ({
    owner: 'kubectl port-forward',
    request: ({ path }: { path: string }): LocalResponse => {
      if (lost) return { ok: false, error: 'empty-reply' };
      ctx.stdout(`Handling connection for ${port.local}\n`);
      const answer = forwardToPod(ctx.cluster, pod, port.remote, path);
      if (answer.ok) return answer.result;
      const message = `an error occurred forwarding ${port.local} -> ${port.remote}: ${answer.error}`;
      ctx.stderr(
        klogHeader('E', ctx.cluster.clock.now(), pid, 'portforward.go:413') +
          (message.endsWith('\n') ? message : `${message}\n`),
      );
      lost = true;
      stop.abort();
      return { ok: false, error: 'empty-reply' };
    },
  });

  const onAbort = () => stop.abort();
  if (ctx.signal?.aborted) stop.abort();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let listening = false;
    for (const port of forwards) {
      const errors: string[] = [];
      const failed = { all: 0, any: 0 };
      const succeeded = { all: 0, any: 0 };
      for (const address of addresses) {
        const local = port.local === 0 ? localPorts.pickFree(ctx.cluster.seed) : port.local;
        const bound = localPorts.bind(address.address, local, listenerFor(port));
        if (!bound.ok) {
          errors.push(
            `unable to create listener: Error listen ${address.protocol} ${joinHostPort(address.address, local)}: bind: ${bound.error}`,
          );
          failed[address.failureMode]++;
          continue;
        }
        port.local = local;
        releases.push(bound.release);
        succeeded[address.failureMode]++;
        ctx.stdout(`Forwarding from ${joinHostPort(address.address, local)} -> ${port.remote}\n`);
      }
      if ((succeeded.all === 0 && failed.all > 0) || failed.any > 0)
        ctx.stderr(
          `Unable to listen on port ${port.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`,
        );
      else listening = true;
    }
    if (!listening)
      throw new CommandError(
        `unable to listen on any of the requested ports: [${forwards.map((p) => `{${p.local} ${p.remote}}`).join(' ')}]`,
      );
    const waitCtx: KubectlContext = { ...ctx, signal: stop.signal };
    for (;;) {
      try {
        await waitForClusterChange(waitCtx);
      } catch (error) {
        if (error instanceof InterruptedError && lost) throw new CommandError('lost connection to pod');
        throw error;
      }
    }
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    for (const release of releases) release();
  }
}
