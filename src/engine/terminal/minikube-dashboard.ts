/**
 * `minikube dashboard [--url] [--port N]` (cmd/minikube/cmd/dashboard.go, minikube v1.33.1): enables the dashboard
 * add-on when it is off, then runs `kubectl proxy --port N` (0: a free port) and, once the dashboard answers through
 * it, prints its URL (`--url`, or when minikube runs as root) or tries to open a browser, which the lab machine does
 * not have. With the URL printed it runs until Ctrl-C, as the proxy does, and the URL answers `curl` meanwhile.
 * Status lines go to stderr, as minikube writes them "for folks re-using this output"; the URL to stdout.
 */
import { addonNamed, isAddonEnabled } from '../addons';
import { DASHBOARD_NAMESPACE } from '../addons/dashboard';
import type { Endpoints } from '../api/types';
import type { Cluster } from '../cluster';
import { InterruptedError } from '../kubectl/context';
import { waitForClusterChange } from '../kubectl/wait';
import { hostNotRunning } from './minikube-machine';
import { fatal, STYLE } from './minikube-output';
import type { ProgramIO } from './programs';

/** How long minikube retries the proxied URL before giving up (retry.Expo's limit in dashboard.go). */
const PROXY_HEALTH_LIMIT_MS = 10 * 60_000;

/**
 * Starts `kubectl proxy --port PORT` until `signal` aborts; `onServing` gets the `host:port` it serves on; resolves
 * with its exit code.
 */
export type ProxyStarter = (
  port: number,
  signal: AbortSignal,
  onServing: (address: string) => void,
) => Promise<number>;

export async function runMinikubeDashboard(
  cluster: Cluster,
  args: string[],
  io: ProgramIO,
  signal: AbortSignal | undefined,
  startProxy: ProxyStarter,
): Promise<number> {
  if (cluster.stopped) return hostNotRunning(cluster, io);
  const urlMode = args.includes('--url') || args.includes('--url=true');
  const portArg = optionValue(args, '--port');
  const port = portArg === undefined ? 0 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(fatal('HOST_KUBECTL_PROXY', 'Invalid port'));
    return 30;
  }
  const addon = addonNamed('dashboard')!;
  if (!isAddonEnabled(addon, cluster.api)) {
    io.stderr(`${STYLE.enabling}Enabling dashboard ...\n`);
    for (const image of addon.images) io.stdout(`${STYLE.option}Using image ${image}\n`);
    addon.behaviour!.enable({ api: cluster.api, profile: cluster.profile });
    const tip = addon.behaviour!.tipAfterEnable?.(cluster.profile);
    if (tip) io.stdout(`${STYLE.tip}${tip}\n`);
  }
  io.stderr(`${STYLE.verifying}Verifying dashboard health ...\n`);
  io.stderr(`${STYLE.launch}Launching proxy ...\n`);
  const stop = new AbortController();
  const stopProxy = () => stop.abort();
  signal?.addEventListener('abort', stopProxy);
  let served: (address: string | undefined) => void = () => {};
  const serving = new Promise<string | undefined>((resolve) => (served = resolve));
  const proxy = startProxy(port, stop.signal, served);
  void proxy.then(() => served(undefined));
  try {
    const address = await serving;
    // The proxy could not start (its own error is printed): minikube's "kubectl proxy" failure.
    if (address === undefined) return (await proxy) === 130 ? 130 : 30;
    const url = `http://${address}/api/v1/namespaces/${DASHBOARD_NAMESPACE}/services/http:kubernetes-dashboard:/proxy/`;
    io.stderr(`${STYLE.verifying}Verifying proxy health ...\n`);
    // The proxied URL answers 200 once the dashboard's Service has a ready endpoint.
    const until = cluster.clock.now() + PROXY_HEALTH_LIMIT_MS;
    while (!dashboardReady(cluster)) {
      if (cluster.clock.now() >= until) {
        io.stderr(
          fatal(
            'SVC_URL_TIMEOUT',
            `${url} is not accessible: Temporary Error: unexpected response code: 503`,
          ),
        );
        return 112;
      }
      await waitForClusterChange({ cluster, signal } as Parameters<typeof waitForClusterChange>[0], until);
    }
    if (!urlMode) {
      // minikube opens a browser for a user other than root; the lab machine has none (pkg/browser's error).
      io.stdout(`🎉  Opening ${url} in your default browser...\n`);
      io.stderr(
        fatal(
          'HOST_BROWSER',
          'failed to open browser: exec: "xdg-open,x-www-browser,www-browser": executable file not found in $PATH',
        ),
      );
      return 30;
    }
    io.stdout(`${url}\n`);
    // Then it sits until kubectl proxy exits (Ctrl-C).
    return await proxy;
  } catch (error) {
    if (error instanceof InterruptedError) return 130;
    throw error;
  } finally {
    stopProxy();
    signal?.removeEventListener('abort', stopProxy);
    await proxy.catch(() => 0);
  }
}

function dashboardReady(cluster: Cluster): boolean {
  const endpoints = cluster.api
    .list<Endpoints>('endpoints', { namespace: DASHBOARD_NAMESPACE })
    .find((e) => e.metadata.name === 'kubernetes-dashboard');
  return (endpoints?.subsets ?? []).some((s) => (s.addresses ?? []).length > 0);
}

function optionValue(args: string[], long: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === long) return args[i + 1];
    if (args[i].startsWith(`${long}=`)) return args[i].slice(long.length + 1);
  }
  return undefined;
}
