/**
 * `kubectl logs` and `kubectl exec` against the simulated containers. The bootcamp container gets the full
 * shell toolset (runtime/shell.ts); nginx and system containers answer logs and the basic commands too.
 */
import { StatusError } from '../api/status-error';
import { podServiceAccountToken } from '../server/token-request';
import { MINIKUBE_CA_PEM } from '../store/minikube-ca';
import type { Container, Pod, Service } from '../api/types';
import type { ContainerRecord, Kubelet, PodRecord } from '../controllers/kubelet';
import type { ObjectStore } from '../store/store';
import { NGINX_WELCOME, podHostname } from './apps';
import { imageProfile } from './image-profiles';
import { formatLogLines, instanceLogLines, type LogOptions } from './container-logs';
import { lookupImage, parseImage } from './images';
import { aRecords, resolve } from './cluster-dns';
import type { SimNetwork } from './network';
import { applyProgramFiles } from './program-files';
import { expandParameters, runProgram, runRedirected, splitWords, type ShellContext } from './shell';
import { containerView, isServiceAccountVolume, writeTarget } from './volumes';
import { claimVolumeName, hostPathFiles, writeHostPathFile } from './host-paths';
import { resolveEnv } from '../controllers/container-env';
import type { ContainerRuntime, ExecResult } from './types';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface ExecOptions {
  /** `-t`: a terminal is attached (ps shows the interactive bash on pts/0, ls prints columns). */
  tty?: boolean;
  /** The interactive session's working directory (default `/`). */
  cwd?: string;
  /** A line typed in an interactive shell session (unknown programs get the shell's message, not the runtime's). */
  interactive?: boolean;
  /** What the program reads on stdin (a pod shell's here-document body for `sh -c LINE`: its first command's). */
  stdin?: string;
}

/** CoreDNS 1.11.1's start-up output (the configuration digest is this engine's own). */
const COREDNS_LOG =
  '.:53\n[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908\nCoreDNS-1.11.1\nlinux/amd64, go1.20.7, ae2bbc2\n';

const SHELLS = new Set(['bash', 'sh', '/bin/bash', '/bin/sh', '/usr/bin/bash']);

function badRequest(message: string): StatusError {
  return new StatusError({ reason: 'BadRequest', message });
}

/** Docker link-style variables for the services that existed when the container started (enableServiceLinks). */
function serviceEnv(services: Service[]): [string, string][] {
  const out: [string, string][] = [];
  for (const svc of services) {
    const ip = svc.spec.clusterIP;
    const ports = svc.spec.ports ?? [];
    if (!ip || ip === 'None' || ports.length === 0) continue;
    const prefix = svc.metadata.name.toUpperCase().replace(/-/g, '_');
    const first = ports[0];
    out.push([`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(first.port)]);
    for (const p of ports)
      if (p.name)
        out.push([`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
    out.push([`${prefix}_PORT`, `${first.protocol.toLowerCase()}://${ip}:${first.port}`]);
    for (const p of ports) {
      const base = `${prefix}_PORT_${p.port}_${p.protocol}`;
      out.push(
        [base, `${p.protocol.toLowerCase()}://${ip}:${p.port}`],
        [`${base}_PROTO`, p.protocol.toLowerCase()],
        [`${base}_PORT`, String(p.port)],
        [`${base}_ADDR`, ip],
      );
    }
  }
  return out;
}

export class SimContainerRuntime implements ContainerRuntime {
  constructor(
    private readonly store: ObjectStore,
    private readonly kubelet: Kubelet,
    private readonly network: SimNetwork,
    private readonly now: () => number,
    private readonly sync: () => void,
  ) {}

  private find(
    namespace: string,
    podName: string,
    container: string | undefined,
  ): { pod: Pod; rec: PodRecord; c: ContainerRecord } {
    this.sync();
    const pod = this.store.get<Pod>('pods', namespace, podName);
    if (!pod)
      throw new StatusError({
        reason: 'NotFound',
        message: `pods "${podName}" not found`,
        details: { kind: 'pods', name: podName },
      });
    const name = container ?? pod.spec.containers[0]?.name;
    if (![...(pod.spec.initContainers ?? []), ...pod.spec.containers].some((c) => c.name === name))
      throw badRequest(`container ${name} is not valid for pod ${podName}`);
    const rec = this.kubelet.podRecord(pod.metadata.uid);
    const c = rec?.containers.find((x) => x.name === name);
    if (!rec || !c)
      throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: ContainerCreating`);
    return { pod, rec, c };
  }

  logs(namespace: string, podName: string, container?: string, options: LogOptions = {}): string {
    const { pod, c } = this.find(namespace, podName, container);
    const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((x) => x.name === c.name)!;
    const lines =
      c.startedAt === undefined
        ? undefined
        : instanceLogLines(this.store, pod, spec, c, this.now(), options.previous ?? false, COREDNS_LOG);
    if (options.previous && !lines)
      throw badRequest(`previous terminated container "${c.name}" in pod "${podName}" not found`);
    if (!lines) {
      const reason =
        c.waitingReason ??
        (c.init || !pod.spec.initContainers?.length ? 'ContainerCreating' : 'PodInitializing');
      const suffix =
        reason === 'ImagePullBackOff' || reason === 'ErrImagePull'
          ? 'trying and failing to pull image'
          : reason;
      throw badRequest(`container "${c.name}" in pod "${podName}" is waiting to start: ${suffix}`);
    }
    return formatLogLines(lines, options);
  }

  exec(
    namespace: string,
    podName: string,
    container: string | undefined,
    argv: string[],
    options: ExecOptions = {},
  ): ExecResult {
    const { pod, rec, c } = this.find(namespace, podName, container);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
      throw badRequest(
        `cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`,
      );
    if (c.stage !== 'running')
      throw badRequest(`unable to upgrade connection: container not found ("${c.name}")`);
    if (argv.length === 0) throw badRequest('you must specify at least one command for the container');
    return this.execIn(pod, rec, c, argv, options);
  }

  /** `kubectl cp` into a running container: writes the file as `tar -x` would; 'read-only' on a read-only mount. */
  writeFile(
    namespace: string,
    podName: string,
    container: string | undefined,
    path: string,
    content: string,
  ): 'read-only' | undefined {
    const { pod, rec, c } = this.find(namespace, podName, container);
    if (c.stage !== 'running')
      throw badRequest(`unable to upgrade connection: container not found ("${c.name}")`);
    return this.shellContext(pod, rec, c, {}).write?.(path, content);
  }

  /**
   * Runs argv in a running container the caller has already found (the kubelet's exec probes, which run inside
   * the simulation's own step and must not sync it again).
   */
  execIn(
    pod: Pod,
    rec: PodRecord,
    c: ContainerRecord,
    argv: string[],
    options: ExecOptions = {},
  ): ExecResult {
    const ctx = this.shellContext(pod, rec, c, options);
    c.execs = (c.execs ?? 0) + 1;
    const [program, ...rest] = argv;
    // busybox and Alpine have sh but no bash: the runtime cannot start the program at all.
    if (!ctx.profile.hasBash && /(^|\/)bash$/.test(program))
      return {
        stdout: '',
        stderr: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown\n`,
        exitCode: 126,
      };
    if (SHELLS.has(program)) {
      if (rest[0] === '-c') return this.runLine(ctx, rest[1] ?? '', options.stdin);
      // `echo 'ls /' | kubectl exec -i POD -- sh`: the shell runs the piped script line by line.
      if (options.stdin !== undefined && rest.length === 0) return this.runScript(ctx, options.stdin);
      return { stdout: '', stderr: '', exitCode: 0 }; // a shell with no terminal input ends at once
    }
    const result = runProgram(ctx, argv, options.stdin);
    // Run without a shell, a program the image lacks cannot be started at all.
    if (
      !options.interactive &&
      result.exitCode === 127 &&
      /(not found|No such file or directory)\n$/.test(result.stderr)
    )
      return {
        stdout: '',
        stderr: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": ${program.includes('/') ? 'stat ' + program + ': no such file or directory' : 'executable file not found in $PATH'}: unknown\n`,
        exitCode: 126,
      };
    return result;
  }

  /** A shell's script from stdin: each line in turn, until one says `exit`. */
  private runScript(ctx: ShellContext, script: string): ExecResult {
    let stdout = '';
    let stderr = '';
    let exitCode = 0;
    for (const line of script.split('\n')) {
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      const result = this.runLine(ctx, line);
      stdout += result.stdout;
      stderr += result.stderr;
      exitCode = result.exitCode;
      if (/^\s*exit\b/.test(line)) break;
    }
    return { stdout, stderr, exitCode };
  }

  /** `bash -c 'a; b && c'`: sequential commands with `;`, `&&` and `||`; the first one reads `stdin`. */
  private runLine(ctx: ShellContext, line: string, stdin?: string): ExecResult {
    let stdout = '';
    let stderr = '';
    let exitCode = 0;
    let elapsedMs = 0;
    // Like line.split(/(;|&&|\|\|)/), but an operator inside quotes is part of a word.
    const parts = splitOutsideQuotes(line, [';', '&&', '||']);
    let skip = false;
    for (let i = 0; i < parts.length; i += 2) {
      const words = splitWords(expandParameters(parts[i], ctx.env));
      const op = parts[i - 1];
      if (op === '&&') skip = exitCode !== 0;
      else if (op === '||') skip = exitCode === 0;
      else skip = false;
      if (skip || words.length === 0) continue;
      const result = this.runPipeline(ctx, parts[i], i === 0 ? stdin : undefined);
      if (result.cwd) ctx.cwd = result.cwd;
      stdout += result.stdout;
      stderr += result.stderr;
      exitCode = result.exitCode;
      elapsedMs += result.elapsedMs ?? 0;
      if (words[0] === 'exit') break;
    }
    return {
      stdout,
      stderr,
      exitCode,
      ...(ctx.cwd !== '/' ? { cwd: ctx.cwd } : {}),
      ...(elapsedMs ? { elapsedMs } : {}),
    };
  }

  /**
   * `a | b | c` inside one `sh -c` command: each stage reads the previous one's output; the pipeline's status is the
   * last stage's, and every stage's errors reach the exec stream.
   */
  private runPipeline(ctx: ShellContext, text: string, stdin?: string): ExecResult {
    const stages = splitOutsideQuotes(text, ['|']).filter((_, i) => i % 2 === 0);
    let piped: ExecResult | undefined =
      stdin === undefined ? undefined : { stdout: stdin, stderr: '', exitCode: 0 };
    let stderr = '';
    let elapsedMs = 0;
    for (const stage of stages) {
      const words = splitWords(expandParameters(stage, ctx.env));
      piped = runRedirected(ctx, words, piped?.stdout);
      stderr += piped.stderr;
      elapsedMs += piped.elapsedMs ?? 0;
    }
    return { ...piped!, stderr, ...(elapsedMs ? { elapsedMs } : {}) };
  }

  /**
   * The container's own variables as the kubelet resolved them when it created the instance (values from
   * ConfigMaps, Secrets, the pod); a ConfigMap changed since then does not change them.
   */
  private containerEnv(pod: Pod, spec: Container | undefined, c: ContainerRecord): [string, string][] {
    if (c.env) return c.env;
    if (!spec) return [];
    const resolved = resolveEnv(this.store, pod, spec);
    return 'env' in resolved ? resolved.env : [];
  }

  /**
   * The files of the `kube-api-access-*` volume admission adds: the cluster CA, the namespace and the pod-bound token
   * the kubelet got when it mounted the volume (at the pod's start).
   */
  private serviceAccountFiles(pod: Pod, rec: PodRecord): Record<string, string> {
    if (!pod.spec.volumes?.some((v) => isServiceAccountVolume(v.name))) return {};
    const namespace = pod.metadata.namespace ?? 'default';
    const accountName = pod.spec.serviceAccountName ?? 'default';
    const account = this.store.get('serviceaccounts', namespace, accountName);
    const node = rec.node ? this.store.get('nodes', undefined, rec.node) : undefined;
    const token = podServiceAccountToken({
      issuedAt: Date.parse(pod.status?.startTime ?? '') || this.now(),
      namespace,
      account: { name: accountName, uid: account?.metadata.uid ?? '' },
      pod: { name: pod.metadata.name, uid: pod.metadata.uid ?? '' },
      node: node ? { name: node.metadata.name, uid: node.metadata.uid ?? '' } : undefined,
    });
    return {
      [`${SERVICE_ACCOUNT_DIR}/ca.crt`]: MINIKUBE_CA_PEM,
      [`${SERVICE_ACCOUNT_DIR}/namespace`]: namespace,
      [`${SERVICE_ACCOUNT_DIR}/token`]: token,
    };
  }

  private shellContext(pod: Pod, rec: PodRecord, c: ContainerRecord, options: ExecOptions): ShellContext {
    const hostname = pod.spec.hostname ?? podHostname(pod.metadata.name);
    const img = lookupImage(c.image);
    const parsed = parseImage(c.image);
    const profile = imageProfile(img?.app, 'error' in parsed ? '' : parsed.tag, img?.version, NGINX_WELCOME);
    const startedAt = c.startedAt ?? this.now();
    const services =
      pod.spec.enableServiceLinks === false
        ? this.store
            .values<Service>('services')
            .filter((s) => s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')
        : this.store
            .list<Service>('services', pod.metadata.namespace)
            .filter((s) => Date.parse(s.metadata.creationTimestamp ?? '') <= startedAt);
    if (pod.metadata.namespace !== 'default' && pod.spec.enableServiceLinks !== false) {
      const api = this.store.get<Service>('services', 'default', 'kubernetes');
      if (api) services.unshift(api);
    }
    const spec = (c.init ? (pod.spec.initContainers ?? []) : pod.spec.containers).find(
      (x) => x.name === c.name,
    );
    const env: [string, string][] = [
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['HOSTNAME', hostname],
      ...(options.tty ? ([['TERM', 'xterm']] as [string, string][]) : []),
      ...this.containerEnv(pod, spec, c),
      ...serviceEnv(services),
      ...(profile.env as [string, string][]),
      ['HOME', '/root'],
    ];
    const files: Record<string, string> = {
      ...profile.files,
      '/etc/hostname': `${hostname}\n`,
      '/etc/hosts': `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${rec.ip ?? ''}\t${hostname}\n`,
      '/etc/resolv.conf': `nameserver 10.96.0.10\nsearch ${pod.metadata.namespace}.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n`,
      '/etc/passwd':
        'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nnode:x:1000:1000::/home/node:/bin/bash\n',
      ...this.serviceAccountFiles(pod, rec),
    };
    applyProgramFiles(files, this.store, pod, spec, c, this.now());
    // The volume mounts over the image, then what the container wrote into its own layer.
    const node = this.kubelet.nodeRecord(rec.node);
    const claimFiles = (volume: string) => {
      const pv = claimVolumeName(this.store, pod, volume);
      return pv === undefined ? undefined : hostPathFiles(node, pv);
    };
    const view = containerView(pod, spec, rec, c.subPaths, startedAt, claimFiles);
    if (files[`${SERVICE_ACCOUNT_DIR}/token`] !== undefined)
      view.dirs[SERVICE_ACCOUNT_DIR] ??= ['ca.crt', 'namespace', 'token'];
    Object.assign(files, view.files, c.files);
    const processes: ShellContext['processes'] =
      profile.processes.length > 0 && !spec?.command?.length
        ? profile.processes.map(
            ([pid, cmd]) => [pid, pid === 1 ? 0 : 1, startedAt, cmd] as [number, number, number, string],
          )
        : [[1, 0, startedAt, [...(spec?.command ?? []), ...(spec?.args ?? [])].join(' ') || 'sh']];
    const execs = c.execs ?? 0;
    return {
      hostname,
      podIp: rec.ip ?? '',
      namespace: pod.metadata.namespace ?? 'default',
      env,
      files,
      processes,
      nextPid: 20 + execs,
      now: this.now(),
      tty: options.tty ?? false,
      cwd: options.cwd ?? '/',
      profile,
      dirs: view.dirs,
      entries: view.entries,
      write: (path, content) => {
        const target = writeTarget(pod, spec, path);
        if (target.kind === 'read-only') return 'read-only';
        const pv = target.kind === 'claim' ? claimVolumeName(this.store, pod, target.volume) : undefined;
        if (target.kind === 'emptyDir') ((rec.emptyDirs ??= {})[target.volume] ??= {})[target.path] = content;
        else if (target.kind === 'claim' && pv) writeHostPathFile(node, pv, target.path, content);
        else (c.files ??= {})[path] = content;
        // Written files are cluster state kept in the kubelet's records, not in API objects: move the revision so
        // the change is saved with the next snapshot (a save is skipped while the revision stands still).
        this.store.setRevision(this.store.revision + 1);
        return undefined;
      },
      lookup: (name) => resolve(this.store, name, pod.metadata.namespace ?? 'default')?.ips[0],
      dns: (fqdn) => aRecords(this.store, fqdn),
      curl: (host, port, path = '/', hostHeader) => {
        const target = host === 'localhost' || host === '127.0.0.1' ? undefined : host;
        const line = { path, host: hostHeader ?? host };
        const result =
          target === undefined
            ? this.network.toPod(pod, port, line)
            : this.network.request(target, port, pod.metadata.namespace ?? 'default', line);
        if (result.ok) return { ok: true, body: result.body, status: result.status };
        const shownHost = host;
        if (result.error === 'unresolved')
          return { ok: false, message: `curl: (6) Could not resolve host: ${shownHost}` };
        // The image's curl (7.38, Debian jessie) words failures without the newer "after N ms".
        if (result.error === 'timeout')
          return {
            ok: false,
            message: `curl: (7) Failed to connect to ${shownHost} port ${port}: Connection timed out`,
          };
        if (result.error === 'no-route')
          return {
            ok: false,
            message: `curl: (7) Failed to connect to ${shownHost} port ${port}: No route to host`,
          };
        return {
          ok: false,
          message: `curl: (7) Failed to connect to ${shownHost} port ${port}: Connection refused`,
        };
      },
    };
  }
}

/**
 * `text` cut at each of `operators` that stands outside quotes, the operators kept between the pieces as
 * String.split with a capturing group keeps them (a quoted `|` or `;` is part of a word).
 */
function splitOutsideQuotes(text: string, operators: string[]): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quote !== "'" && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else {
      const op = operators.find((o) => text.startsWith(o, i));
      if (op) {
        parts.push(current, op);
        current = '';
        i += op.length - 1;
        continue;
      }
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}
