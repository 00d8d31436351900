/**
 * Shared set-up for the Docker integration tests: a private dockerd per named instance (started once by
 * docker/engine/start.sh, which installs docker.io when missing) and the project's node image on it
 * (built once by docker/node-image/build.sh, cached by a hash of its inputs). Tests whose assertions see
 * the whole engine (reconcile, warm pool, placement) get engines of their own, so files can run in parallel.
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import engines from './engines.json';
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

/**
 * Every engine the test files use. All of them are started before any test creates a network: a dockerd
 * starting on a host resets the iptables isolation chains the other engines there had set up.
 */
// npm test starts them all, one after another, before Jest runs (scripts/test.cjs reads the same file).
export const TEST_ENGINES: string[] = engines;

async function startInstance(instance: string): Promise<string> {
  const started = await run(path.join(ROOT, 'docker/engine/start.sh'), [instance], {
    timeout: SETUP_TIMEOUT_MS,
  });
  return started.stdout.trim();
}

/** A test engine with the node image on it, every other test engine started first (see TEST_ENGINES). */
export async function startEngine(instance: string): Promise<DockerTestEngine> {
  for (const other of TEST_ENGINES) if (other !== instance) await startInstance(other);
  return startSingleEngine(instance);
}

/** One engine with the node image on it, nothing else started (the benchmark's). */
export async function startSingleEngine(instance: string): Promise<DockerTestEngine> {
  const dockerHost = await startInstance(instance);
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

/**
 * Holds an engine for this test file alone until release() (or until the process ends): files that wipe an
 * engine or assert on everything in it must not overlap with another run of themselves on the same machine.
 * The lock is flock(1) held by a child process that exits when its stdin closes.
 */
export async function holdEngineExclusively(instance: string): Promise<{ release(): void }> {
  const lockFile = path.join(
    process.env.KUBELAB_DOCKER_STATE ?? '/tmp/kubelab-docker',
    instance,
    'tests.lock',
  );
  const holder = spawn('flock', [lockFile, 'sh', '-c', 'echo locked; cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('error', reject);
    holder.once('exit', (code) => reject(new Error(`flock on ${lockFile} exited with ${code}`)));
  });
  return { release: () => holder.stdin.end() };
}

/** Removes every Kubelab container and network on the engine (only for engines a test file holds). */
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
