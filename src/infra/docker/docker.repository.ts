/**
 * DockerRepository: the only place that talks to a Docker engine (the only importer of dockerode).
 * One instance per engine (DOCKER_HOST). Every method turns Docker's errors into DockerError, whose
 * message names the engine and the operation, and marks an engine that cannot be reached at all.
 */
import Docker from 'dockerode';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { demultiplex, type ExecStreams } from './docker-stream';
import { ExecSocket } from './exec-socket';

export type { ExecStreams };

export class DockerError extends Error {
  constructor(
    message: string,
    /** HTTP status from the engine (404 not found, 409 conflict), undefined when the engine was not reached. */
    readonly statusCode: number | undefined,
    /** True when the engine itself is unreachable (socket missing, connection refused, timeout). */
    readonly unreachable: boolean,
  ) {
    super(message);
    this.name = 'DockerError';
  }
}

export interface NodeContainerSpec {
  name: string;
  image: string;
  cmd?: string[];
  env?: string[];
  hostname: string;
  /** "uid:gid"; omit for the image's default (k3s runs as root, privileged). */
  user?: string;
  labels: Record<string, string>;
  network: string;
  /** Extra DNS names on the network that survive a rename (k3s workers find their server by it). */
  networkAliases?: string[];
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
  privileged: boolean;
  readonlyRootfs: boolean;
  tmpfs: Record<string, string>;
  /** Paths given an anonymous volume each: kept across restarts, removed with the container. */
  volumes?: string[];
}

export interface ContainerSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
  running: boolean;
  createdAtMs: number;
}

export interface ContainerDetails extends ContainerSummary {
  oomKilled: boolean;
  exitCode: number;
  /** Network name → container IP address on it. */
  addresses: Record<string, string>;
  hostConfig: {
    memoryBytes: number;
    nanoCpus: number;
    pidsLimit: number;
    capDrop: string[];
    securityOpt: string[];
    privileged: boolean;
  };
  user: string;
  mounts: number;
}

export interface NetworkSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
  internal: boolean;
  createdAtMs: number;
}

export interface ContainerStats {
  memoryBytes: number;
  memoryLimitBytes: number;
  pids: number;
}

export interface EngineInfo {
  version: string;
  apiVersion: string;
}

const CPU_PERIOD_US = 500_000;
const EXIT_CODE_ATTEMPTS = 400;

type DockerFailure = Error & { statusCode?: number; code?: string; json?: { message?: string } };

export class DockerRepository {
  private readonly docker: Docker;

  constructor(readonly dockerHost: string) {
    this.docker = new Docker(DockerRepository.connectionOptions(dockerHost));
  }

  /** unix:///path/docker.sock or tcp://host:port → dockerode options; anything else is rejected clearly. */
  static connectionOptions(dockerHost: string): Docker.DockerOptions {
    if (dockerHost.startsWith('unix://')) {
      const socketPath = dockerHost.slice('unix://'.length);
      if (!socketPath.startsWith('/'))
        throw new Error(`Docker host "${dockerHost}": expected unix:///absolute/path`);
      return { socketPath };
    }
    if (dockerHost.startsWith('tcp://')) {
      const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
      return { host: url.hostname, port: url.port || '2375', protocol: 'http' };
    }
    throw new Error(`Docker host "${dockerHost}": expected unix:///path/to/docker.sock or tcp://host:port`);
  }

  async info(): Promise<EngineInfo> {
    const version = await this.call('read the engine version', () => this.docker.version());
    return { version: version.Version, apiVersion: version.ApiVersion };
  }

  async imageExists(reference: string): Promise<boolean> {
    try {
      await this.call(`inspect image ${reference}`, () => this.docker.getImage(reference).inspect());
      return true;
    } catch (error) {
      if (error instanceof DockerError && error.statusCode === 404) return false;
      throw error;
    }
  }

  /** `docker import`: a rootfs tar stream becomes image `reference`, with Dockerfile-style `changes`. */
  async importImage(tar: Readable, reference: string, changes: string[]): Promise<void> {
    const [repo, tag] = splitReference(reference);
    const response = await this.call(`import image ${reference}`, () =>
      this.docker.importImage(tar as unknown as string, { repo, tag, changes } as unknown as object),
    );
    const body = await readAll(response as NodeJS.ReadableStream);
    const failure = body
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { error?: string })
      .find((message) => message.error);
    if (failure)
      throw new DockerError(`${this.dockerHost}: import image ${reference}: ${failure.error}`, 500, false);
  }

  /** Adds another name for an image (`docker tag`). */
  async tagImage(reference: string, newReference: string): Promise<void> {
    const [repo, tag] = splitReference(newReference);
    await this.call(`tag image ${reference} as ${newReference}`, () =>
      this.docker.getImage(reference).tag({ repo, tag }),
    );
  }

  async createNetwork(name: string, labels: Record<string, string>, internal: boolean): Promise<string> {
    const network = await this.call(`create network ${name}`, () =>
      this.docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        Internal: internal,
        Labels: labels,
        CheckDuplicate: true,
      }),
    );
    return network.id;
  }

  async findNetworks(labels: Record<string, string>): Promise<NetworkSummary[]> {
    const networks = await this.call('list networks', () =>
      this.docker.listNetworks({ filters: JSON.stringify({ label: labelFilters(labels) }) }),
    );
    return networks.map((n) => ({
      id: n.Id,
      name: n.Name,
      labels: n.Labels ?? {},
      internal: n.Internal,
      createdAtMs: Date.parse(n.Created),
    }));
  }

  /** Removes a network; a network that is already gone is not an error. */
  async removeNetwork(nameOrId: string): Promise<void> {
    await this.ignoringNotFound(`remove network ${nameOrId}`, () =>
      this.docker.getNetwork(nameOrId).remove(),
    );
  }

  async createContainer(spec: NodeContainerSpec): Promise<string> {
    const container = await this.call(`create container ${spec.name}`, () =>
      this.docker.createContainer({
        name: spec.name,
        Image: spec.image,
        Cmd: spec.cmd,
        Env: spec.env,
        Hostname: spec.hostname,
        User: spec.user,
        Labels: spec.labels,
        Volumes: Object.fromEntries((spec.volumes ?? []).map((path) => [path, {}])),
        AttachStdin: false,
        AttachStdout: false,
        AttachStderr: false,
        Tty: false,
        HostConfig: {
          NetworkMode: spec.network,
          Memory: spec.memoryBytes,
          MemorySwap: spec.memoryBytes,
          // The CPU share is enforced over a long CFS period: same average as NanoCpus, but a short burst
          // (a command starting its client) is not throttled mid-way, which would double its latency.
          CpuPeriod: CPU_PERIOD_US,
          CpuQuota: Math.round((spec.nanoCpus / 1e9) * CPU_PERIOD_US),
          PidsLimit: spec.pidsLimit,
          Privileged: spec.privileged,
          CapDrop: spec.privileged ? [] : ['ALL'],
          SecurityOpt: spec.privileged ? [] : ['no-new-privileges'],
          ReadonlyRootfs: spec.readonlyRootfs,
          Tmpfs: spec.tmpfs,
          Init: true,
          RestartPolicy: { Name: 'no' },
          LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
        },
        NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: spec.networkAliases ?? [] } } },
      }),
    );
    return container.id;
  }

  /**
   * Creates a container that is never started, only to hold `labels` under a unique name: the engine
   * reserves names atomically, so a second creation of the same name fails with a 409 DockerError.
   */
  async createMarker(name: string, image: string, labels: Record<string, string>): Promise<void> {
    await this.call(`create marker ${name}`, () =>
      this.docker.createContainer({
        name,
        Image: image,
        Cmd: ['true'],
        Labels: labels,
        HostConfig: { NetworkMode: 'none' },
      }),
    );
  }

  /** Stops a container (SIGTERM, then SIGKILL after `graceSeconds`). */
  async stopContainer(nameOrId: string, graceSeconds = 5): Promise<void> {
    await this.call(`stop container ${nameOrId}`, () =>
      this.docker.getContainer(nameOrId).stop({ t: graceSeconds }),
    );
  }

  async startContainer(nameOrId: string): Promise<void> {
    await this.call(`start container ${nameOrId}`, () => this.docker.getContainer(nameOrId).start());
  }

  /** Kills and removes a container with its anonymous volumes; one that is already gone is not an error. */
  async removeContainer(nameOrId: string): Promise<void> {
    await this.ignoringNotFound(`remove container ${nameOrId}`, () =>
      this.docker.getContainer(nameOrId).remove({ force: true, v: true }),
    );
  }

  /**
   * Renames a container addressed by its current name. Atomic in the engine: when two callers race to
   * rename the same container, the loser gets a 404 (its `from` name no longer exists).
   */
  async renameContainer(from: string, to: string): Promise<void> {
    await this.call(`rename container ${from} to ${to}`, () =>
      this.docker.getContainer(from).rename({ name: to }),
    );
  }

  async findContainers(labels: Record<string, string>): Promise<ContainerSummary[]> {
    const containers = await this.call('list containers', () =>
      this.docker.listContainers({ all: true, filters: JSON.stringify({ label: labelFilters(labels) }) }),
    );
    return containers.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      labels: c.Labels ?? {},
      running: c.State === 'running',
      createdAtMs: c.Created * 1000,
    }));
  }

  /** undefined when the container does not exist. */
  async inspectContainer(nameOrId: string): Promise<ContainerDetails | undefined> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.call(`inspect container ${nameOrId}`, () =>
        this.docker.getContainer(nameOrId).inspect(),
      );
    } catch (error) {
      if (error instanceof DockerError && error.statusCode === 404) return undefined;
      throw error;
    }
    const addresses: Record<string, string> = {};
    for (const [network, settings] of Object.entries(info.NetworkSettings.Networks ?? {})) {
      addresses[network] = settings.IPAddress;
    }
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      labels: info.Config.Labels ?? {},
      running: info.State.Running,
      createdAtMs: Date.parse(info.Created),
      oomKilled: info.State.OOMKilled,
      exitCode: info.State.ExitCode,
      addresses,
      hostConfig: {
        memoryBytes: info.HostConfig.Memory ?? 0,
        nanoCpus: Math.round(
          ((info.HostConfig.CpuQuota ?? 0) / (info.HostConfig.CpuPeriod || CPU_PERIOD_US)) * 1e9,
        ),
        pidsLimit: info.HostConfig.PidsLimit ?? 0,
        capDrop: info.HostConfig.CapDrop ?? [],
        securityOpt: info.HostConfig.SecurityOpt ?? [],
        privileged: info.HostConfig.Privileged ?? false,
      },
      user: info.Config.User,
      mounts: info.Mounts.length,
    };
  }

  /**
   * Runs argv in a running container through the exec API (no TTY, stdout and stderr demultiplexed) and
   * streams decoded text to `streams` as the engine delivers it. Resolves with the process's exit code.
   * `stdin`, when given, is the process's whole input: written, then closed (the process reads its end).
   */
  async exec(container: string, argv: string[], streams: ExecStreams, stdin?: string): Promise<number> {
    const withInput = stdin !== undefined;
    const exec = await this.call(`exec in ${container}`, () =>
      this.docker.getContainer(container).exec({
        Cmd: argv,
        AttachStdin: withInput,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      }),
    );
    const stream = await this.call(`start exec in ${container}`, () =>
      exec.start({ hijack: true, stdin: withInput }),
    );
    const output = demultiplex(stream, streams);
    // Half-closing the hijacked connection is how the engine learns the input ended (as `docker exec -i`).
    if (withInput) (stream as NodeJS.WritableStream).end(stdin);
    await output;
    // The output ends as the process exits; the engine may take a moment more to record its exit code.
    for (let attempt = 0; attempt < EXIT_CODE_ATTEMPTS; attempt++) {
      const state = await this.call(`inspect exec in ${container}`, () => exec.inspect());
      if (!state.Running) return state.ExitCode ?? -1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new DockerError(
      `${this.dockerHost}: exec in ${container}: output ended but the process still runs`,
      undefined,
      false,
    );
  }

  /**
   * Starts argv in a running container with its stdin and stdout as one open byte stream (ExecSocket): what is
   * written reaches the process's stdin, its stdout's bytes are read back as they come. Ending the stream closes
   * stdin; destroying it ends the connection (and the process, when it exits on a closed stdout or stdin).
   */
  async openExecSocket(container: string, argv: string[]): Promise<ExecSocket> {
    const exec = await this.call(`exec in ${container}`, () =>
      this.docker.getContainer(container).exec({
        Cmd: argv,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      }),
    );
    const raw = await this.call(`start exec in ${container}`, () =>
      exec.start({ hijack: true, stdin: true }),
    );
    return new ExecSocket(raw as unknown as Socket, `${argv[0]} in ${container}`);
  }

  /** Starts argv in the background inside the container and returns at once (no output is collected). */
  async execDetached(container: string, argv: string[]): Promise<void> {
    const exec = await this.call(`exec in ${container}`, () =>
      this.docker
        .getContainer(container)
        .exec({ Cmd: argv, AttachStdout: false, AttachStderr: false, Tty: false }),
    );
    const response = await this.call(`start exec in ${container}`, () => exec.start({ Detach: true }));
    // Nothing comes back for a detached exec, but the response must be released or its socket stays open.
    (response as unknown as { destroy?: () => void }).destroy?.();
  }

  /**
   * Resolves once `needle` appears in the container's output (stdout or stderr, following the log).
   * Rejects when the container stops first or `timeoutMs` passes, with the log's tail in the message.
   */
  async waitForOutput(container: string, needle: string, timeoutMs: number): Promise<void> {
    // Only output of the current run counts: a restarted container's log still holds the previous run's.
    const info = await this.call(`inspect container ${container}`, () =>
      this.docker.getContainer(container).inspect(),
    );
    const since = (Date.parse(info.State.StartedAt) / 1000).toFixed(3);
    const logs = (await this.call(`follow logs of ${container}`, () =>
      this.docker.getContainer(container).logs({
        follow: true,
        stdout: true,
        stderr: true,
        since,
      } as unknown as {
        follow: true;
      }),
    )) as unknown as NodeJS.ReadableStream & { destroy(): void };
    let seen = '';
    const found = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        logs.destroy();
        reject(
          new Error(
            `${container} printed no "${needle}" within ${timeoutMs} ms; output so far: ${tail(seen)}`,
          ),
        );
      }, timeoutMs);
      const settle = (error?: Error) => {
        clearTimeout(timer);
        logs.destroy();
        if (error) reject(error);
        else resolve();
      };
      const onText = (chunk: string) => {
        seen += chunk;
        if (seen.includes(needle)) settle();
      };
      demultiplex(logs, { onStdout: onText, onStderr: onText }).then(
        () =>
          settle(new Error(`${container} stopped before printing "${needle}"; its output: ${tail(seen)}`)),
        (error: Error) => settle(error),
      );
    });
    await found;
  }

  /** One sample of the container's memory (cgroup usage) and process count. */
  async stats(container: string): Promise<ContainerStats> {
    const stats = (await this.call(`read stats of ${container}`, () =>
      this.docker.getContainer(container).stats({ stream: false, 'one-shot': true } as { stream: false }),
    )) as unknown as { memory_stats: { usage?: number; limit?: number }; pids_stats: { current?: number } };
    return {
      memoryBytes: stats.memory_stats.usage ?? 0,
      memoryLimitBytes: stats.memory_stats.limit ?? 0,
      pids: stats.pids_stats.current ?? 0,
    };
  }

  private async ignoringNotFound(operation: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await this.call(operation, action);
    } catch (error) {
      if (error instanceof DockerError && error.statusCode === 404) return;
      throw error;
    }
  }

  private async call<T>(operation: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (raw) {
      const error = raw as DockerFailure;
      const unreachable = ['ENOENT', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'EACCES'].includes(
        error.code ?? '',
      );
      const detail = unreachable
        ? `Docker engine unreachable (${error.code}: ${error.message})`
        : (error.json?.message ?? error.message).trim();
      throw new DockerError(`${this.dockerHost}: ${operation}: ${detail}`, error.statusCode, unreachable);
    }
  }
}

function labelFilters(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`);
}

function splitReference(reference: string): [string, string] {
  const colon = reference.lastIndexOf(':');
  if (colon <= 0 || reference.indexOf('/', colon) !== -1) return [reference, 'latest'];
  return [reference.slice(0, colon), reference.slice(colon + 1)];
}

function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' ? '(nothing)' : JSON.stringify(trimmed.slice(-600));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
