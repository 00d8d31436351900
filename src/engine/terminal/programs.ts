import type { Node } from '../api/types';
import type { Cluster } from '../cluster';
import type { HttpsResult } from '../runtime/types';
import { HOME } from '../kubectl/virtual-files';
import { httpReason, LocalPorts, type LocalResponse } from './local-ports';
import { runMinikubeAddons } from './minikube-addons';
import { hostNotRunning, runMinikubeStatus } from './minikube-machine';
import { runMinikubeService } from './minikube-network';
import { runMinikubeNode } from './minikube-node';
import { runMinikubeSsh } from './minikube-ssh';

export interface ProgramIO {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

const MINIKUBE_VERSION = 'v1.33.1';
const MINIKUBE_COMMIT = '5883c09216182566a63dff4c326a6fc9ed2982ff';

/** `minikube ip | status | version | start`: the parts of minikube a student uses once the cluster exists. */
export function runMinikube(cluster: Cluster, args: string[], io: ProgramIO): number {
  const [sub, ...rest] = args.filter((a) => !a.startsWith('-'));
  const nodes = cluster.api.list<Node>('nodes');
  // What needs the running machine (mustload.Running / Healthy) says it is stopped.
  if (cluster.stopped && (sub === 'ip' || sub === 'ssh' || sub === 'service'))
    return hostNotRunning(cluster, io);
  switch (sub) {
    case 'ip': {
      const wanted = optionValue(args, '-n', '--node');
      const node = wanted ? nodes.find((n) => n.metadata.name === wanted) : nodes[0];
      if (!node) {
        io.stderr(
          `\n❌  Exiting due to GUEST_NODE_RETRIEVE: retrieving node: Could not find node ${wanted}\n\n`,
        );
        return 85;
      }
      io.stdout(`${node.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? cluster.nodeIp}\n`);
      return 0;
    }
    case 'status':
      return runMinikubeStatus(cluster, io);
    case 'ssh':
      return runMinikubeSsh(nodes, args.slice(args.indexOf('ssh') + 1), io);
    case 'node':
      return runMinikubeNode(nodes, args.slice(args.indexOf('node') + 1), io);
    case 'service':
      return runMinikubeService(cluster, args.slice(args.indexOf('service') + 1), io);
    case 'addons':
      return runMinikubeAddons(cluster, args.slice(args.indexOf('addons') + 1), io);
    case 'version':
      io.stdout(`minikube version: ${MINIKUBE_VERSION}\ncommit: ${MINIKUBE_COMMIT}\n`);
      return 0;
    case undefined:
      io.stdout(
        'minikube provisions and manages local Kubernetes clusters optimized for development workflows.\n\nAvailable in this lab: minikube ip, minikube status, minikube version, minikube start, minikube stop, minikube addons, minikube node list|add|delete, minikube ssh, minikube dashboard --url\n',
      );
      return 0;
    default:
      void rest;
      io.stderr(
        `minikube ${sub}: not available in this lab terminal (available: ip, status, version, start, stop, addons, node list|add|delete, ssh, service, tunnel, dashboard --url)\n`,
      );
      return 127;
  }
}

function optionValue(args: string[], short: string, long: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === short || args[i] === long) return args[i + 1];
    if (args[i].startsWith(`${long}=`)) return args[i].slice(long.length + 1);
  }
  return undefined;
}

/**
 * `curl [-s] [-i] [-v] URL...` against the cluster network, with curl's error texts and exit codes. `localhost` and
 * 127.x.x.x reach what listens on the terminal's local ports (`kubectl port-forward`, `kubectl proxy`).
 */
export function runCurl(cluster: Cluster, args: string[], io: ProgramIO, localPorts?: LocalPorts): number {
  const urls: string[] = [];
  let includeHeaders = false;
  let silent = false;
  let showErrors = false;
  let hostHeader: string | undefined;
  let insecure = false;
  /** `--resolve host:port:address`: names this terminal cannot resolve, pinned for one request. */
  const resolved = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-s' || arg === '--silent') silent = true;
    else if (arg === '-S' || arg === '--show-error') showErrors = true;
    else if (arg === '-i' || arg === '--include') includeHeaders = true;
    else if (arg === '-k' || arg === '--insecure') insecure = true;
    else if (arg === '-L' || arg === '--location' || arg === '-v' || arg === '--verbose') continue;
    else if (/^-[sSiLvk]+$/.test(arg)) {
      if (arg.includes('s')) silent = true;
      if (arg.includes('S')) showErrors = true;
      if (arg.includes('i')) includeHeaders = true;
      if (arg.includes('k')) insecure = true;
    } else if (arg === '-H' || arg === '--header') {
      const header = args[++i] ?? '';
      const colon = header.indexOf(':');
      if (colon > 0 && header.slice(0, colon).trim().toLowerCase() === 'host')
        hostHeader = header.slice(colon + 1).trim();
    } else if (arg === '--resolve') {
      const entry = /^([^:]+):(\d+):(.+)$/.exec(args[++i] ?? '');
      if (entry) resolved.set(`${entry[1].toLowerCase()}:${entry[2]}`, entry[3]);
    } else if (['-m', '--max-time', '--connect-timeout', '-A', '--user-agent'].includes(arg)) i++;
    else if (arg.startsWith('-')) {
      io.stderr(
        `curl: option ${arg}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`,
      );
      return 2;
    } else urls.push(arg);
  }
  if (urls.length === 0) {
    io.stderr("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const quietErrors = silent && !showErrors;
  let exitCode = 0;
  for (const url of urls) {
    const parsed = parseUrl(url);
    if ('error' in parsed) {
      if (!quietErrors) io.stderr(`${parsed.error}\n`);
      exitCode = parsed.code;
      continue;
    }
    const { port, path } = parsed;
    const pinned = resolved.get(`${parsed.host.toLowerCase()}:${port}`);
    const host = pinned ?? parsed.host;
    // The lab terminal is the minikube host: cluster DNS names do not resolve there (only inside pods).
    const local = LocalPorts.isLocalHost(host.toLowerCase());
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(host) && !local) {
      if (!quietErrors) io.stderr(`curl: (6) Could not resolve host: ${host}\n`);
      exitCode = 6;
      continue;
    }
    const sentHost = hostHeader ?? (pinned ? parsed.host : undefined);
    const result: LocalResponse | HttpsResult = local
      ? (localPorts?.connect(host.toLowerCase(), port, path) ?? { ok: false, error: 'refused' })
      : cluster.stopped
        ? // A stopped node container answers no ARP on minikube's network: the host finds no route to it.
          ({ ok: false, error: 'no-route' } as const)
        : parsed.tls
          ? cluster.network.httpsGet(host, port, path, sentHost, insecure)
          : cluster.network.httpGet(host, port, path, sentHost);
    if (result.ok) {
      if (includeHeaders)
        io.stdout(
          `HTTP/1.1 ${result.status} ${httpReason(result.status)}\r\nContent-Type: ${('contentType' in result && result.contentType) || 'text/plain'}\r\nDate: ${new Date(cluster.clock.now()).toUTCString()}\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n`,
        );
      io.stdout(result.body);
      continue;
    }
    const messages = {
      'empty-reply': { code: 52, text: 'Empty reply from server' },
      refused: { code: 7, text: `Failed to connect to ${host} port ${port} after 0 ms: Connection refused` },
      'no-route': {
        code: 7,
        text: `Failed to connect to ${host} port ${port} after 3071 ms: No route to host`,
      },
      timeout: {
        code: 28,
        text: `Failed to connect to ${host} port ${port} after 133987 ms: Connection timed out`,
      },
      unresolved: { code: 6, text: `Could not resolve host: ${host}` },
      'tls-plain': { code: 35, text: 'error:0A00010B:SSL routines::wrong version number' },
      'tls-untrusted': {
        code: 60,
        text: `SSL certificate problem: self-signed certificate\n${CURL_CERT_ADVICE}`,
      },
    } as const;
    const failure = messages[result.error];
    if (!quietErrors) io.stderr(`curl: (${failure.code}) ${failure.text}\n`);
    exitCode = failure.code;
  }
  return exitCode;
}

/** What curl adds after a certificate it cannot verify. */
const CURL_CERT_ADVICE =
  'More details here: https://curl.se/docs/sslcerts.html\n\n' +
  'curl failed to verify the legitimacy of the server and therefore could not\n' +
  'establish a secure connection to it. To learn more about this situation and\n' +
  'how to fix it, please visit the web page mentioned above.';

function parseUrl(
  url: string,
): { host: string; port: number; path: string; tls: boolean } | { error: string; code: number } {
  const match = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/:?#]*)(?::(\d*))?([/?#].*)?$/.exec(
    url.startsWith('//') ? `http:${url}` : url,
  );
  if (!match) return { error: 'curl: (3) URL rejected: Malformed input to a URL function', code: 3 };
  const scheme = (match[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https')
    return { error: `curl: (1) Protocol "${scheme}" not supported`, code: 1 };
  const host = match[2];
  if (host === '') return { error: 'curl: (3) URL rejected: No host part in the URL', code: 3 };
  const port = match[3] ? Number(match[3]) : scheme === 'https' ? 443 : 80;
  if (port > 65535)
    return {
      error: 'curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535',
      code: 3,
    };
  return { host, port, path: match[4] && match[4].startsWith('/') ? match[4] : '/', tls: scheme === 'https' };
}

export function runEcho(args: string[], io: ProgramIO): number {
  const noNewline = args[0] === '-n';
  io.stdout((noNewline ? args.slice(1) : args).join(' ') + (noNewline ? '' : '\n'));
  return 0;
}

/** Hints for programs students meet in the handout that this terminal does not run. */
export const UNAVAILABLE_HINTS: Record<string, string> = {
  docker:
    'the cluster runs in a simulated minikube without a Docker CLI; use kubectl get pods -A to see the containers',
  systemctl:
    'there is no systemd here; the kubelet runs inside the simulated minikube node (see kubectl get nodes)',
  hostnamectl: 'the lab machine is shared; its hostname cannot be changed',
  hostname: 'try minikube ip or kubectl get nodes -o wide',
  ssh: 'there is no SSH access from this lab terminal',
};

export const HELP_TEXT = `This lab terminal runs the commands of the Kubernetes basics lab against your own simulated minikube cluster.

Available commands:
  kubectl ...          version, cluster-info, get, describe, create deployment, create -f, run, apply -f, delete, scale,
                       expose, set image, rollout status|history|undo|restart|pause|resume, label, logs, exec, wait,
                       api-resources, port-forward, proxy, diff -f, replace -f, cp (files and folders of your home
                       work with -f, e.g. kubectl apply -f manifests/), top pod|node (with minikube addons enable
                       metrics-server), autoscale, cordon, uncordon, drain, taint, events
  minikube ...         ip, status, version, start, stop, addons list|enable|disable, node list|add|delete NAME,
                       ssh [-- COMMAND], service NAME [--url], service list, tunnel and dashboard --url (until
                       Ctrl-C, or in the background with &)
  curl URL             HTTP requests to node, service and pod addresses, e.g. curl $(minikube ip):30080, and to
                       localhost ports opened by kubectl port-forward and kubectl proxy, e.g. curl localhost:8001/version;
                       an Ingress by its host: curl -H 'Host: NAME' $(minikube ip) or --resolve NAME:80:$(minikube ip)
  ls, cat, cd, pwd, mkdir, rm, mv, cp, touch, diff, echo
                       your files in ${HOME} (~), e.g. cat deployment.yaml, mkdir manifests, kubectl apply -f manifests/
  vim FILE             opens FILE in the editor pane of the lab page (also vi, nano)
  kubectl edit TYPE/NAME
                       opens the object in the editor pane; saving applies it (KUBE_EDITOR="cp FILE" edits from a file)
  export NAME=value    shell variables, e.g. export POD_NAME=$(kubectl get pods -o name | head -1)
  read NAME            reads a line you type into NAME (cat with no file copies what you type)
  jobs, kill, fg, bg, wait
                       job control for commands started with & at the end of the line, e.g. kubectl get pods -w &
  help, clear

Pipes into grep (-v -i -c -E -F -w -n -o), wc (-l -w -c), head and tail (-n N, -N) work, e.g.
  kubectl get pod --no-headers --all-namespaces | wc -l
Pipes can also feed kubectl apply -f - (and create, delete, replace, diff -f -), e.g. kubectl create deployment web --image=nginx
--dry-run=client -o yaml | kubectl apply -f -. Here-documents give a command its input, and > FILE / >> FILE write output into a file of your home:
  kubectl apply -f - <<EOF      (then the manifest's lines, then a line EOF)
  cat <<EOF > web.yaml          (writes the lines up to EOF into ~/web.yaml)
Substitution works for $(minikube ip), $(kubectl ...) and $NAME / \${NAME} variables.
Not available: other programs, ';', '&&', '||', '<' and redirections outside ${HOME}, backquotes.
Inside 'kubectl exec -ti POD -- bash' your lines run in the pod's shell until you type 'exit'.
NetworkPolicies are stored and shown, but as with minikube's default CNI they are not enforced: no traffic is blocked.
`;
