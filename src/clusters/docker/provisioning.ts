/**
 * Provisioning as ordered, small, re-runnable steps: each looks at what already exists before creating
 * anything, so running the sequence again after an interruption finishes the job instead of failing.
 * On failure everything carrying the cluster's key is removed and the error names the failed step.
 */
import type { DockerRepository } from '../../infra/docker/docker.repository';
import type { ProvisionProgress } from '../cluster-driver';
import { containerName, LABEL, networkName, nodeNames, type NodeRole } from './cluster-names';
import type { DockerDriverSettings } from './docker-settings';
import type { NodeFlavour } from './node-flavour';

export interface ClusterPlan {
  /** Immutable label value grouping the cluster's resources. */
  key: string;
  /** Name prefix: the cluster id, or `warming-<hex>` for a warm-pool cluster. */
  identity: string;
  nodeCount: number;
  labSessionId: string;
  ownerId: string;
  pool: boolean;
}

export interface ProvisionContext {
  docker: DockerRepository;
  flavour: NodeFlavour;
  settings: DockerDriverSettings;
}

interface NodeInPlan {
  name: string;
  nodeName: string;
  role: NodeRole;
}

export function controlPlaneName(identity: string): string {
  return containerName(identity, nodeNames(1)[0]);
}

function nodesOf(plan: ClusterPlan): NodeInPlan[] {
  return nodeNames(plan.nodeCount).map((nodeName, index) => ({
    name: containerName(plan.identity, nodeName),
    nodeName,
    role: index === 0 ? 'control-plane' : 'worker',
  }));
}

function labelsOf(plan: ClusterPlan, ctx: ProvisionContext): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.clusterKey]: plan.key,
    [LABEL.labSession]: plan.labSessionId,
    [LABEL.owner]: plan.ownerId,
    [LABEL.pool]: String(plan.pool),
    [LABEL.nodeCount]: String(plan.nodeCount),
    [LABEL.flavour]: ctx.flavour.name,
    [LABEL.image]: ctx.flavour.image,
  };
}

async function createNetwork(ctx: ProvisionContext, plan: ClusterPlan): Promise<void> {
  const name = networkName(plan.key);
  const existing = await ctx.docker.findNetworks({ [LABEL.clusterKey]: plan.key });
  if (existing.some((n) => n.name === name)) return;
  await ctx.docker.createNetwork(name, labelsOf(plan, ctx), ctx.settings.internalNetwork);
}

async function createContainers(ctx: ProvisionContext, plan: ClusterPlan): Promise<void> {
  for (const node of nodesOf(plan)) {
    if (await ctx.docker.inspectContainer(node.name)) continue;
    await ctx.docker.createContainer({
      name: node.name,
      image: ctx.flavour.image,
      hostname: node.nodeName,
      labels: { ...labelsOf(plan, ctx), [LABEL.role]: node.role, [LABEL.nodeName]: node.nodeName },
      network: networkName(plan.key),
      memoryBytes: ctx.settings.limits.memoryBytes,
      nanoCpus: ctx.settings.limits.nanoCpus,
      pidsLimit: ctx.settings.limits.pidsLimit,
      ...ctx.flavour.containerSpec({
        nodeName: node.nodeName,
        role: node.role,
        nodeCount: plan.nodeCount,
        clusterKey: plan.key,
        memoryBytes: ctx.settings.limits.memoryBytes,
      }),
    });
  }
}

async function startContainers(ctx: ProvisionContext, plan: ClusterPlan): Promise<void> {
  await Promise.all(
    nodesOf(plan).map(async (node) => {
      const details = await ctx.docker.inspectContainer(node.name);
      if (!details) throw new Error(`container ${node.name} disappeared before it started`);
      if (!details.running) await ctx.docker.startContainer(node.name);
    }),
  );
}

async function waitReady(ctx: ProvisionContext, plan: ClusterPlan): Promise<void> {
  await ctx.flavour.waitReady(
    ctx.docker,
    controlPlaneName(plan.identity),
    plan.nodeCount,
    ctx.settings.readyTimeoutMs,
  );
}

const STEPS: [string, (ctx: ProvisionContext, plan: ClusterPlan) => Promise<void>][] = [
  ['network', createNetwork],
  ['containers', createContainers],
  ['start', startContainers],
  ['ready', waitReady],
];

/** Runs the steps in order, reporting each one as it completes; on failure removes the cluster and rethrows. */
export async function provisionCluster(
  ctx: ProvisionContext,
  plan: ClusterPlan,
  onProgress: (event: ProvisionProgress) => void,
): Promise<void> {
  for (const [index, [step, run]] of STEPS.entries()) {
    try {
      await run(ctx, plan);
    } catch (error) {
      await removeCluster(ctx.docker, plan.key).catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `provisioning cluster ${plan.identity} on ${ctx.docker.dockerHost} failed at step "${step}": ${reason}`,
      );
    }
    onProgress({ step, done: index + 1, total: STEPS.length });
  }
}

/** Removes every container and network carrying the key (containers first: a network in use cannot go). */
export async function removeCluster(docker: DockerRepository, key: string): Promise<void> {
  const containers = await docker.findContainers({ [LABEL.managed]: 'true', [LABEL.clusterKey]: key });
  await Promise.all(containers.map((c) => docker.removeContainer(c.id)));
  const networks = await docker.findNetworks({ [LABEL.managed]: 'true', [LABEL.clusterKey]: key });
  await Promise.all(networks.map((n) => docker.removeNetwork(n.id)));
}
