/**
 * Shared set-up for the Docker integration tests: a private dockerd per named instance (started once by
 * docker/engine/start.sh, which installs docker.io when missing) and the project's node image on it
 * (built once by docker/node-image/build.sh, cached by a hash of its inputs). Tests whose assertions see
 * the whole engine (reconcile, warm pool, placement) get engines of their own, so files can run in parallel.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DockerRepository } from '../../../src/infra/docker/docker.repository';
import { LABEL } from '../../../src/clusters/docker/cluster-names';
import {
  DEFAULT_LIMITS,
  type DockerDriverSettings,
  hostSettings,
} from '../../../src/clusters/docker/docker-settings';
import type { OutputSink } from '../../../src/clusters/cluster-driver';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
/** First start may install docker.io with apt and build the image. */
export const SETUP_TIMEOUT_MS = 10 * 60 * 1000;

export interface DockerTestEngine {
  dockerHost: string;
  image: string;
  docker: DockerRepository;
}

export async function startEngine(instance: string): Promise<DockerTestEngine> {
  const started = await run(path.join(ROOT, 'docker/engine/start.sh'), [instance], {
    timeout: SETUP_TIMEOUT_MS,
  });
  const dockerHost = started.stdout.trim();
  const built = await run(path.join(ROOT, 'docker/node-image/build.sh'), [], {
    timeout: SETUP_TIMEOUT_MS,
    env: { ...process.env, DOCKER_HOST: dockerHost },
  });
  return { dockerHost, image: built.stdout.trim(), docker: new DockerRepository(dockerHost) };
}

export function driverSettings(
  engines: { dockerHost: string; capacity?: number }[],
  image: string,
  overrides: Partial<DockerDriverSettings> = {},
): DockerDriverSettings {
  return {
    hosts: engines.map((e) => hostSettings(e.dockerHost, e.capacity ?? 20)),
    flavour: 'kubelab',
    image,
    limits: DEFAULT_LIMITS,
    internalNetwork: true,
    warmPoolSize: 0,
    warmPoolNodeCount: 1,
    readyTimeoutMs: 20_000,
    orphanGraceMs: 0,
    ...overrides,
  };
}

/** Removes every Kubelab container and network on the engine (only for engines a test file owns). */
export async function wipeEngine(docker: DockerRepository): Promise<void> {
  const managed = { [LABEL.managed]: 'true' };
  await Promise.all((await docker.findContainers(managed)).map((c) => docker.removeContainer(c.id)));
  await Promise.all((await docker.findNetworks(managed)).map((n) => docker.removeNetwork(n.id)));
}

export interface RecordedChunk {
  stream: 'stdout' | 'stderr';
  text: string;
  atMs: number;
}

/** An OutputSink that remembers every chunk and when it arrived. */
export function recordingSink(): OutputSink & {
  chunks: RecordedChunk[];
  stdoutText(): string;
  stderrText(): string;
} {
  const chunks: RecordedChunk[] = [];
  return {
    chunks,
    stdout: (text) => chunks.push({ stream: 'stdout', text, atMs: Date.now() }),
    stderr: (text) => chunks.push({ stream: 'stderr', text, atMs: Date.now() }),
    stdoutText: () =>
      chunks
        .filter((c) => c.stream === 'stdout')
        .map((c) => c.text)
        .join(''),
    stderrText: () =>
      chunks
        .filter((c) => c.stream === 'stderr')
        .map((c) => c.text)
        .join(''),
  };
}

export const neverAborted = (): AbortSignal => new AbortController().signal;

/** Runs argv in a container through the Docker API and collects the result (never from the host's network). */
export async function execIn(
  docker: DockerRepository,
  container: string,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await docker.exec(container, argv, {
    onStdout: (c) => (stdout += c),
    onStderr: (c) => (stderr += c),
  });
  return { code, stdout, stderr };
}
