/**
 * The Docker engines clusters may live on, and placement: a new cluster goes to the reachable engine with
 * the most free capacity (capacity minus the clusters it holds, warm-pool ones included, minus provisions
 * in flight there). Which engine holds a cluster is recorded in its ref, so commands go to the right one.
 */
import { DockerError, DockerRepository } from '../../infra/docker/docker.repository';
import { LABEL } from './cluster-names';
import type { DockerHostSettings } from './docker-settings';

export interface DockerHost {
  readonly id: string;
  readonly dockerHost: string;
  readonly capacity: number;
  readonly docker: DockerRepository;
}

export class DockerHosts {
  readonly all: readonly DockerHost[];
  /** Cluster keys being provisioned per host id, not all of them visible in Docker yet. */
  private readonly inFlight = new Map<string, Set<string>>();

  constructor(settings: DockerHostSettings[]) {
    if (settings.length === 0) throw new Error('the Docker driver needs at least one Docker host');
    this.all = settings.map((s) => ({ ...s, docker: new DockerRepository(s.dockerHost) }));
  }

  byId(id: unknown): DockerHost {
    const host = this.all.find((h) => h.id === id);
    if (!host) {
      throw new Error(
        `Docker host "${String(id)}" is not configured (configured: ${this.all.map((h) => h.id).join(', ')})`,
      );
    }
    return host;
  }

  /** Placements run one at a time, so two concurrent provisions cannot both take a host's last slot. */
  private placing: Promise<unknown> = Promise.resolve();

  /** Reserves room for `clusterKey` on the best host; call release() when the provision ends either way. */
  place(clusterKey: string): Promise<DockerHost> {
    const placed = this.placing.then(() => this.placeNow(clusterKey));
    this.placing = placed.catch(() => undefined);
    return placed;
  }

  private async placeNow(clusterKey: string): Promise<DockerHost> {
    const problems: string[] = [];
    let best: { host: DockerHost; free: number } | undefined;
    for (const host of this.all) {
      let held: Set<string>;
      try {
        held = await this.clusterKeysOn(host);
      } catch (error) {
        problems.push(error instanceof DockerError ? error.message : String(error));
        continue;
      }
      for (const key of this.inFlight.get(host.id) ?? []) held.add(key);
      const free = host.capacity - held.size;
      if (free > 0 && (!best || free > best.free)) best = { host, free };
      if (free <= 0) problems.push(`${host.dockerHost}: full (${held.size} of ${host.capacity} clusters)`);
    }
    if (!best) throw new Error(`no Docker host can take another cluster: ${problems.join('; ')}`);
    const reserved = this.inFlight.get(best.host.id) ?? new Set<string>();
    reserved.add(clusterKey);
    this.inFlight.set(best.host.id, reserved);
    return best.host;
  }

  release(host: DockerHost, clusterKey: string): void {
    this.inFlight.get(host.id)?.delete(clusterKey);
  }

  isInFlight(clusterKey: string): boolean {
    return [...this.inFlight.values()].some((keys) => keys.has(clusterKey));
  }

  private async clusterKeysOn(host: DockerHost): Promise<Set<string>> {
    const containers = await host.docker.findContainers({ [LABEL.managed]: 'true' });
    return new Set(containers.map((c) => c.labels[LABEL.clusterKey]));
  }
}
