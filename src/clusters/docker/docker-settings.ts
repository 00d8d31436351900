/**
 * Settings of the Docker cluster driver, and their parsing from the environment. The platform may build
 * the object itself; `dockerSettingsFromEnv` is the documented mapping from environment variables.
 */
import { createHash } from 'node:crypto';

export type NodeFlavourName = 'kubelab' | 'k3s';

export interface DockerHostSettings {
  /** Stable id derived from the URL (queue routing, attachState): reordering DOCKER_HOSTS keeps it. */
  id: string;
  /** unix:///path/docker.sock or tcp://host:port */
  dockerHost: string;
  /** Most clusters (warm-pool ones included) this engine may hold. */
  capacity: number;
}

export interface NodeLimits {
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
}

export interface DockerDriverSettings {
  hosts: DockerHostSettings[];
  /** 'kubelab': the project's image (simulated cluster + full lab terminal); 'k3s': a real k3s node. */
  flavour: NodeFlavourName;
  /** Image of the chosen flavour, e.g. kubelab-node:0.1.0 or rancher/k3s:v1.30.0-k3s1. */
  image: string;
  limits: NodeLimits;
  /** Internal bridge networks have no route out of the host; the default. */
  internalNetwork: boolean;
  /** Ready clusters kept waiting to be claimed (0 turns the pool off). */
  warmPoolSize: number;
  /** Node count of warm-pool clusters; requests for another count are provisioned cold. */
  warmPoolNodeCount: number;
  /** How long a node may take to report ready before provisioning fails. */
  readyTimeoutMs: number;
  /** Reconcile leaves resources younger than this alone (they may belong to a provision still running elsewhere). */
  orphanGraceMs: number;
  /** CLUSTER_TIME_SCALE (parseConfig sets it): kubelab nodes' clocks run this many times faster than real time. */
  timeScale?: number;
}

export const DEFAULT_LIMITS: NodeLimits = {
  memoryBytes: 256 * 1024 * 1024,
  nanoCpus: 500_000_000,
  pidsLimit: 256,
};
export const DEFAULT_K3S_IMAGE = 'rancher/k3s:v1.30.0-k3s1';
export const DEFAULT_KUBELAB_IMAGE = 'kubelab-node:0.1.0';

export function hostSettings(dockerHost: string, capacity: number): DockerHostSettings {
  return {
    id: 'docker-' + createHash('sha256').update(dockerHost).digest('hex').slice(0, 8),
    dockerHost,
    capacity,
  };
}

export class DockerSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Docker driver configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * DOCKER_HOSTS=unix:///a.sock,unix:///b.sock=40 (optional "=capacity" per host; else DOCKER_HOST_CAPACITY,
 * default 20), falling back to DOCKER_HOST, then unix:///var/run/docker.sock. NODE_IMAGE=kubelab|k3s,
 * KUBELAB_NODE_IMAGE, K3S_IMAGE, DOCKER_NODE_MEMORY_MB (256), DOCKER_NODE_CPUS (0.5), DOCKER_NODE_PIDS (256),
 * DOCKER_NETWORK_INTERNAL (true), WARM_POOL_SIZE (0), WARM_POOL_NODES (1), DOCKER_READY_TIMEOUT_SECONDS
 * (30; 180 for k3s), DOCKER_ORPHAN_GRACE_SECONDS (60).
 */
export function dockerSettingsFromEnv(env: Env): DockerDriverSettings {
  const problems: string[] = [];
  const number = (name: string, fallback: number, min: number, max: number, integer = true): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      problems.push(
        `${name}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`,
      );
      return fallback;
    }
    return value;
  };

  const defaultCapacity = number('DOCKER_HOST_CAPACITY', 20, 1, 10_000);
  const hostList = env.DOCKER_HOSTS?.trim() || env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
  const hosts: DockerHostSettings[] = [];
  for (const entry of hostList
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^(unix:\/\/\/\S+?|tcp:\/\/[^\s=]+?)(?:=(\d+))?$/.exec(entry);
    if (!match) {
      problems.push(
        `DOCKER_HOSTS: "${entry}" is not unix:///path/docker.sock or tcp://host:port, optionally =capacity`,
      );
      continue;
    }
    const capacity = match[2] === undefined ? defaultCapacity : Number(match[2]);
    if (capacity < 1) problems.push(`DOCKER_HOSTS: capacity of ${match[1]} must be at least 1`);
    if (hosts.some((h) => h.dockerHost === match[1]))
      problems.push(`DOCKER_HOSTS: ${match[1]} is listed twice`);
    hosts.push(hostSettings(match[1], capacity));
  }

  const flavourRaw = (env.NODE_IMAGE?.trim() || 'kubelab').toLowerCase();
  if (flavourRaw !== 'kubelab' && flavourRaw !== 'k3s')
    problems.push(`NODE_IMAGE: expected kubelab or k3s, got "${env.NODE_IMAGE}"`);
  const flavour: NodeFlavourName = flavourRaw === 'k3s' ? 'k3s' : 'kubelab';
  const image =
    flavour === 'k3s'
      ? env.K3S_IMAGE?.trim() || DEFAULT_K3S_IMAGE
      : env.KUBELAB_NODE_IMAGE?.trim() || DEFAULT_KUBELAB_IMAGE;

  const internalRaw = (env.DOCKER_NETWORK_INTERNAL?.trim() || 'true').toLowerCase();
  if (!['true', 'false'].includes(internalRaw))
    problems.push(`DOCKER_NETWORK_INTERNAL: expected true or false, got "${internalRaw}"`);

  const settings: DockerDriverSettings = {
    hosts,
    flavour,
    image,
    limits: {
      memoryBytes:
        number('DOCKER_NODE_MEMORY_MB', DEFAULT_LIMITS.memoryBytes / 2 ** 20, 64, 65_536) * 2 ** 20,
      nanoCpus: Math.round(number('DOCKER_NODE_CPUS', DEFAULT_LIMITS.nanoCpus / 1e9, 0.05, 64, false) * 1e9),
      pidsLimit: number('DOCKER_NODE_PIDS', DEFAULT_LIMITS.pidsLimit, 16, 100_000),
    },
    internalNetwork: internalRaw !== 'false',
    warmPoolSize: number('WARM_POOL_SIZE', 0, 0, 1_000),
    warmPoolNodeCount: number('WARM_POOL_NODES', 1, 1, 9),
    readyTimeoutMs: number('DOCKER_READY_TIMEOUT_SECONDS', flavour === 'k3s' ? 180 : 30, 1, 3_600) * 1000,
    orphanGraceMs: number('DOCKER_ORPHAN_GRACE_SECONDS', 60, 0, 86_400) * 1000,
  };
  if (problems.length > 0) throw new DockerSettingsError(problems);
  return settings;
}
