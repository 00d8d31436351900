/**
 * The warm pool: N clusters provisioned ahead of demand, so a student's cluster is ready in the time of a
 * few renames. A pool cluster starts as `kubelab-warming-<hex>-*`, becomes `kubelab-pool-<hex>-*` when
 * ready (control plane renamed last), and a claim renames it to `kubelab-<clusterId>-*` after winning its
 * claim marker (see cluster-names.ts): of two claimers, the loser gets a 409 and tries the next cluster.
 */
import { randomBytes } from 'node:crypto';
import { DockerError } from '../../infra/docker/docker.repository';
import { claimMarkerName, containerName, LABEL, nodeNames, warmingIdentity } from './cluster-names';
import type { DockerHost, DockerHosts } from './docker-hosts';
import type { DockerDriverSettings } from './docker-settings';
import { type DockerCluster, isFreePoolCluster, readInventory } from './inventory';
import type { ClaimRecord, NodeFlavour } from './node-flavour';
import { provisionCluster, removeCluster } from './provisioning';

export interface ClaimedCluster {
  host: DockerHost;
  key: string;
}

export class WarmPool {
  private filling: Promise<void> | undefined;
  private closed = false;
  /** The last refill failure, for health reporting; cleared by a successful refill. */
  lastError: string | undefined;

  constructor(
    private readonly hosts: DockerHosts,
    private readonly flavour: NodeFlavour,
    private readonly settings: DockerDriverSettings,
  ) {}

  get enabled(): boolean {
    return this.settings.warmPoolSize > 0;
  }

  serves(nodeCount: number): boolean {
    return this.enabled && nodeCount === this.settings.warmPoolNodeCount;
  }

  /** A free pool cluster this pool may hand out: its node count and image are the configured ones. */
  offers(cluster: DockerCluster): boolean {
    return (
      isFreePoolCluster(cluster) &&
      cluster.nodeCount === this.settings.warmPoolNodeCount &&
      cluster.image === this.flavour.image
    );
  }

  /** Tops the pool up to its size; concurrent callers share one refill. Never rejects (see lastError). */
  fill(): Promise<void> {
    if (!this.enabled || this.closed) return Promise.resolve();
    this.filling ??= this.refill().finally(() => (this.filling = undefined));
    return this.filling;
  }

  /** Stops refilling and waits for the refill in progress. */
  async close(): Promise<void> {
    this.closed = true;
    await this.filling;
  }

  /** A ready pool cluster renamed to `claim.clusterId`, or undefined when none is free. */
  async claim(claim: ClaimRecord): Promise<ClaimedCluster | undefined> {
    for (const host of this.hosts.all) {
      const free = (await readInventory(host).catch(() => [])).filter((c) => this.offers(c));
      for (const cluster of free) {
        if (await this.take(cluster, claim)) return { host, key: cluster.key };
      }
    }
    return undefined;
  }

  private async take(cluster: DockerCluster, claim: ClaimRecord): Promise<boolean> {
    const docker = cluster.host.docker;
    try {
      await docker.createMarker(claimMarkerName(cluster.key), this.flavour.image, {
        [LABEL.managed]: 'true',
        [LABEL.clusterKey]: cluster.key,
        [LABEL.role]: 'claim',
        [LABEL.claimedAs]: claim.clusterId,
        [LABEL.labSession]: claim.labSessionId,
        [LABEL.owner]: claim.ownerId,
      });
    } catch (error) {
      if (error instanceof DockerError && error.statusCode === 409) return false; // another claimer won it
      throw error;
    }
    try {
      // Workers first, control plane last: the control plane's name is what marks the cluster assigned.
      for (const nodeName of [...nodeNames(cluster.nodeCount)].reverse()) {
        await docker.renameContainer(
          containerName(cluster.key, nodeName),
          containerName(claim.clusterId, nodeName),
        );
      }
      await this.flavour.recordClaim(docker, containerName(claim.clusterId, nodeNames(1)[0]), claim);
      return true;
    } catch (error) {
      await removeCluster(docker, cluster.key).catch(() => undefined);
      throw error;
    }
  }

  private async refill(): Promise<void> {
    try {
      while (!this.closed && (await this.countPooled()) < this.settings.warmPoolSize) {
        await this.addOne();
      }
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
    }
  }

  /** Ready and warming pool clusters of this pool's shape on every reachable host. */
  private async countPooled(): Promise<number> {
    const keys = new Set<string>();
    for (const host of this.hosts.all) {
      for (const cluster of await readInventory(host).catch(() => [])) {
        const warming =
          cluster.identity?.state === 'warming' &&
          cluster.nodeCount === this.settings.warmPoolNodeCount &&
          cluster.image === this.flavour.image;
        if (warming || this.offers(cluster)) keys.add(cluster.key);
      }
    }
    return keys.size;
  }

  private async addOne(): Promise<void> {
    const key = `pool-${randomBytes(6).toString('hex')}`;
    const host = await this.hosts.place(key);
    try {
      const identity = warmingIdentity(key);
      const ctx = { docker: host.docker, flavour: this.flavour, settings: this.settings };
      const plan = {
        key,
        identity,
        nodeCount: this.settings.warmPoolNodeCount,
        labSessionId: '',
        ownerId: '',
        pool: true,
      };
      await provisionCluster(ctx, plan, () => undefined);
      // Workers first, control plane last: claimers only look at control planes named pool-*.
      for (const nodeName of [...nodeNames(plan.nodeCount)].reverse()) {
        await host.docker.renameContainer(containerName(identity, nodeName), containerName(key, nodeName));
      }
    } catch (error) {
      await removeCluster(host.docker, key).catch(() => undefined);
      throw error;
    } finally {
      this.hosts.release(host, key);
    }
  }
}
