/**
 * `minikube service` and `minikube tunnel` on Linux with the docker driver (minikube v1.33.1 cmd/service.go,
 * pkg/minikube/service, pkg/minikube/tunnel): a Service's NodePort URLs on the node IP, as a list (`--url`) or as
 * minikube's bordered table; and the route-based tunnel, which while it runs gives every LoadBalancer Service its
 * cluster IP as external IP (EXTERNAL-IP leaves `<pending>`) and takes it back when it stops (Ctrl-C or kill).
 */
import { renderTable } from '../addons/table';
import type { Service } from '../api/types';
import type { Cluster } from '../cluster';
import { InterruptedError } from '../kubectl/context';
import { waitForClusterChange } from '../kubectl/wait';
import type { ProgramIO } from './programs';

function optionValue(args: string[], short: string, long: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === short || args[i] === long) return args[i + 1];
    if (args[i].startsWith(`${long}=`)) return args[i].slice(long.length + 1);
  }
  return undefined;
}

/** The URLs of a Service's node ports (`http://<node IP>:<nodePort>`), one per port that has one. */
function serviceUrls(cluster: Cluster, svc: Service): string[] {
  return (svc.spec.ports ?? [])
    .filter((p) => p.nodePort)
    .map((p) => `http://${cluster.nodeIp}:${p.nodePort}`);
}

const portLabel = (p: NonNullable<Service['spec']['ports']>[number]) =>
  p.name ? `${p.name}/${p.port}` : String(p.port);

/** `minikube service NAME [--url] [-n NS]` and `minikube service list`. */
export function runMinikubeService(cluster: Cluster, args: string[], io: ProgramIO): number {
  const namespace = optionValue(args, '-n', '--namespace') ?? 'default';
  const positional = args.filter(
    (a, i) => !a.startsWith('-') && args[i - 1] !== '-n' && args[i - 1] !== '--namespace',
  );
  const urlOnly = args.includes('--url');
  if (positional[0] === 'list') {
    // cmd/service_list.go: a Service without node ports has three cells; the others list theirs one per line.
    const rows = cluster.api.list<Service>('services').map((svc) => {
      const urls = serviceUrls(cluster, svc);
      const row = [svc.metadata.namespace ?? '', svc.metadata.name];
      if (urls.length === 0) return [...row, 'No node port'];
      const ports = (svc.spec.ports ?? []).filter((p) => p.nodePort).map(portLabel);
      return [...row, ports.join('\n'), urls.join('\n')];
    });
    io.stdout(renderTable(['NAMESPACE', 'NAME', 'TARGET PORT', 'URL'], rows));
    return 0;
  }
  const name = positional[0];
  if (!name) {
    io.stderr('\n❌  Exiting due to MK_USAGE: You must specify a service name\n\n');
    return 64;
  }
  const svc = cluster.api.list<Service>('services', { namespace }).find((s) => s.metadata.name === name);
  if (!svc) {
    io.stderr(
      `\n❌  Exiting due to SVC_NOT_FOUND: Service '${name}' was not found in '${namespace}' namespace.\n` +
        `You may select another namespace by using 'minikube service ${name} -n <namespace>'. Or list out all the services using 'minikube service list'\n\n`,
    );
    return 95;
  }
  const urls = serviceUrls(cluster, svc);
  if (urls.length === 0) {
    io.stderr(`😿  service ${namespace}/${name} has no node port\n`);
    return 0;
  }
  if (urlOnly) {
    io.stdout(urls.map((u) => `${u}\n`).join(''));
    return 0;
  }
  // One row per Service, its ports and URLs one per line (cmd/service.go).
  const ports = (svc.spec.ports ?? []).filter((p) => p.nodePort).map(portLabel);
  const rows = [[namespace, name, ports.join('\n'), urls.join('\n')]];
  io.stdout(renderTable(['NAMESPACE', 'NAME', 'TARGET PORT', 'URL'], rows));
  // No browser in the lab terminal: minikube names the URL it would have opened.
  io.stdout(`🎉  Opening service ${namespace}/${name} in default browser...\n`);
  for (const url of urls) io.stdout(`👉  ${url}\n`);
  return 0;
}

/** The tunnel's status block (pkg/minikube/tunnel/reporter.go), printed whenever the patched set changes. */
export function tunnelStatus(pid: number, nodeIp: string, services: string[]): string {
  return (
    'Status:\t\n' +
    '\tmachine: minikube\n' +
    `\tpid: ${pid}\n` +
    `\troute: 10.96.0.0/12 -> ${nodeIp}\n` +
    '\tminikube: Running\n' +
    `\tservices: [${services.join(' ')}]\n` +
    '    errors: \n' +
    '\t\tminikube: no errors\n' +
    '\t\trouter: no errors\n' +
    '\t\tloadbalancer emulator: no errors\n'
  );
}

function setExternalIp(cluster: Cluster, svc: Service, ip: string | undefined): void {
  const next: Service = { ...svc, status: { loadBalancer: ip ? { ingress: [{ ip }] } : {} } };
  cluster.server.updateObject(next, { fromClient: false });
}

/** `minikube tunnel`: runs until interrupted, patching LoadBalancer Services as they come. */
export async function runMinikubeTunnel(
  cluster: Cluster,
  io: ProgramIO,
  signal: AbortSignal | undefined,
): Promise<number> {
  const pid = 40000 + (cluster.seed % 20000);
  const patched = new Map<string, Service>();
  let reported: string | undefined;
  try {
    for (;;) {
      cluster.sync();
      for (const svc of cluster.api.list<Service>('services')) {
        const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
        if (svc.spec.type !== 'LoadBalancer' || !svc.spec.clusterIP) continue;
        if (!svc.status?.loadBalancer?.ingress?.length) setExternalIp(cluster, svc, svc.spec.clusterIP);
        patched.set(key, svc);
      }
      for (const [key, svc] of patched) {
        const still = cluster.api
          .list<Service>('services', { namespace: svc.metadata.namespace })
          .find((s) => s.metadata.name === svc.metadata.name && s.spec.type === 'LoadBalancer');
        if (!still) patched.delete(key);
      }
      const names = [...patched.values()].map((s) => s.metadata.name).sort();
      const text = tunnelStatus(pid, cluster.nodeIp, names);
      if (text !== reported) io.stdout(text);
      reported = text;
      await waitForClusterChange({ cluster, signal } as Parameters<typeof waitForClusterChange>[0]);
    }
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw error;
    return 130;
  } finally {
    // Stopping the tunnel takes the external IPs back (the load balancer emulator's cleanup).
    for (const svc of patched.values()) {
      const current = cluster.api
        .list<Service>('services', { namespace: svc.metadata.namespace })
        .find((s) => s.metadata.name === svc.metadata.name);
      if (current?.spec.type === 'LoadBalancer') setExternalIp(cluster, current, undefined);
    }
  }
}
