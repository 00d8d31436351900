/**
 * The minikube commands that change the machine, with minikube v1.33.1's texts (cmd/minikube/cmd/{start,stop,
 * node_add,node_delete}.go, pkg/minikube/{node,machine}): `minikube stop`, `minikube start`, `minikube node add`
 * and `minikube node delete NAME`. They take the time the real ones take on the cluster's clock (the docker
 * driver: a container created or restarted, kubeadm joining a node), so they run as waiting commands.
 */
import { ADDONS, isAddonEnabled } from '../addons';
import type { Node } from '../api/types';
import type { Cluster } from '../cluster';
import {
  drainNode,
  findNode,
  markNodeReady,
  nextNodeIndex,
  podsOn,
  registerNode,
  removeNode,
  shortNodeName,
} from '../machine/nodes';
import { KUBERNETES_VERSION, MINIKUBE_VERSION } from '../store/minikube';
import { fatal, fatalWithIssueBox } from './minikube-output';
import type { ProgramIO } from './programs';

const KIC_VERSION = 'v0.0.44';
const DOCKER_VERSION = '26.1.1';
/** The storage-provisioner add-on's image, which `minikube start` enables again each time. */
const STORAGE_PROVISIONER_IMAGE = 'gcr.io/k8s-minikube/storage-provisioner:v5';

/** Steps of the real commands, in virtual milliseconds (a docker-driver minikube on a laptop). */
const DELAY = {
  pullBaseImage: 1_000,
  createContainer: 11_000,
  restartContainer: 6_000,
  join: 8_000,
  networkReady: 4_000,
  stopNode: 2_000,
  deleteContainer: 3_000,
  verify: 1_000,
} as const;

class Interrupted extends Error {}

/** Lets `ms` pass on the cluster's clock, the cluster catching up at each of its scheduled changes on the way. */
async function pause(cluster: Cluster, ms: number, signal: AbortSignal | undefined): Promise<void> {
  const until = cluster.clock.now() + ms;
  while (cluster.clock.now() < until) {
    const due = cluster.nextDueAt();
    const next = due === undefined ? until : Math.min(until, Math.max(due, cluster.clock.now() + 1));
    try {
      await cluster.clock.sleep(next - cluster.clock.now(), signal);
    } catch (error) {
      if (signal?.aborted) throw new Interrupted();
      throw error;
    }
    cluster.sync();
  }
}

/** mustload.Running's answer when the control-plane machine is stopped (exit code ExGuestNotRunning). */
export function hostNotRunning(cluster: Cluster, io: ProgramIO): number {
  io.stdout(
    `🤷  The control-plane node ${cluster.profile} host is not running: state=Stopped\n` +
      `👉  To start a cluster, run: "${exampleCommand(cluster, 'start')}"\n`,
  );
  return 83;
}

/** mustload.ExampleCmd: the command with `-p PROFILE` unless the profile is the default one. */
function exampleCommand(cluster: Cluster, action: string): string {
  return cluster.profile === 'minikube' ? `minikube ${action}` : `minikube ${action} -p ${cluster.profile}`;
}

/** `minikube status` (cmd/minikube/cmd/status.go): one block per node; exit code 7 when the machine is stopped. */
export function runMinikubeStatus(cluster: Cluster, io: ProgramIO): number {
  const nodes = cluster.api.list<Node>('nodes');
  const stopped = cluster.stopped;
  const blocks = nodes.map((node, i) => {
    const ready = node.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
    const kubelet = stopped ? 'Stopped' : ready ? 'Running' : 'Stopped';
    const lines = [
      node.metadata.name,
      `type: ${i === 0 ? 'Control Plane' : 'Worker'}`,
      `host: ${stopped ? 'Stopped' : 'Running'}`,
      `kubelet: ${kubelet}`,
    ];
    if (i === 0)
      lines.push(
        `apiserver: ${stopped ? 'Stopped' : 'Running'}`,
        `kubeconfig: ${stopped ? 'Stopped' : 'Configured'}`,
      );
    return lines.join('\n') + '\n\n';
  });
  io.stdout(blocks.join(''));
  // exitCode(): host not running | cluster not running | kubeconfig not configured.
  return stopped ? 7 : 0;
}

/** `minikube stop`: each node's container is shut down, the control plane's first. */
export async function runMinikubeStop(
  cluster: Cluster,
  io: ProgramIO,
  signal: AbortSignal | undefined,
): Promise<number> {
  const nodes = cluster.api.list<Node>('nodes');
  const wasStopped = cluster.stopped;
  try {
    for (const node of nodes) {
      io.stdout(`✋  Stopping node "${node.metadata.name}"  ...\n`);
      // A stopped container is not running: minikube skips the power-off.
      if (wasStopped) continue;
      io.stdout(`🛑  Powering off "${node.metadata.name}" via SSH ...\n`);
      await pause(cluster, DELAY.stopNode, signal);
    }
  } catch (error) {
    if (error instanceof Interrupted) return 130;
    throw error;
  }
  cluster.stopMachine();
  io.stdout(`🛑  ${nodes.length} node${nodes.length > 1 ? 's' : ''} stopped.\n`);
  return 0;
}

/** The lines `minikube start` prints for one node of an existing profile, before its Kubernetes is verified. */
function startNodeLines(cluster: Cluster, node: Node, primary: boolean, wasStopped: boolean): string {
  const name = node.metadata.name;
  const role = primary ? 'primary control-plane' : 'worker';
  let text = `👍  Starting "${name}" ${role} node in "${cluster.profile}" cluster\n`;
  text += `🚜  Pulling base image ${KIC_VERSION} ...\n`;
  text += wasStopped
    ? `🔄  Restarting existing docker container for "${name}" ...\n`
    : `🏃  Updating the running docker "${name}" container ...\n`;
  // Once the control plane is up, minikube adds its IP to NO_PROXY (proxy.ExcludeIP), which the workers then see.
  if (!primary) text += `🌐  Found network options:\n    ▪ NO_PROXY=${cluster.nodeIp}\n`;
  text += `🐳  Preparing Kubernetes ${KUBERNETES_VERSION} on Docker ${DOCKER_VERSION} ...\n`;
  if (!primary) text += `    ▪ env NO_PROXY=${cluster.nodeIp}\n`;
  return text;
}

/** `minikube start` of the existing profile: restarts a stopped machine (pods restarted, objects kept). */
export async function runMinikubeStart(
  cluster: Cluster,
  io: ProgramIO,
  signal: AbortSignal | undefined,
): Promise<number> {
  const nodes = cluster.api.list<Node>('nodes');
  const wasStopped = cluster.stopped;
  const prefix = cluster.profile === 'minikube' ? '' : `[${cluster.profile}] `;
  io.stdout(
    `😄  ${prefix}minikube ${MINIKUBE_VERSION} on Ubuntu 22.04\n` +
      '✨  Using the docker driver based on existing profile\n',
  );
  try {
    for (const [i, node] of nodes.entries()) {
      io.stdout(startNodeLines(cluster, node, i === 0, wasStopped));
      // On a running machine nothing changes, and the lab's timeline (the AGEs students compare) stays as it was.
      if (wasStopped) await pause(cluster, DELAY.restartContainer, signal);
      if (i === 0 && wasStopped) cluster.startMachine();
      io.stdout('🔎  Verifying Kubernetes components...\n');
      if (i === 0) {
        const enabled = ADDONS.filter((a) => a.enabledByDefault || isAddonEnabled(a, cluster.api));
        io.stdout(`    ▪ Using image ${STORAGE_PROVISIONER_IMAGE}\n`);
        for (const addon of enabled)
          for (const image of addon.images) io.stdout(`    ▪ Using image ${image}\n`);
        const names = [
          ...enabled
            .filter((a) => a.enabledByDefault)
            .map((a) => a.name)
            .sort()
            .reverse(),
          ...enabled.filter((a) => !a.enabledByDefault).map((a) => a.name),
        ];
        io.stdout(`🌟  Enabled addons: ${names.join(', ')}\n`);
      }
      if (wasStopped) await pause(cluster, DELAY.verify, signal);
    }
  } catch (error) {
    if (error instanceof Interrupted) return 130;
    throw error;
  }
  io.stdout(
    `🏄  Done! kubectl is now configured to use "${cluster.profile}" cluster and "default" namespace by default\n`,
  );
  return 0;
}

/** `minikube node add`: a worker node joins (kubeadm join); Ready once its network is up. */
export async function runMinikubeNodeAdd(
  cluster: Cluster,
  args: string[],
  io: ProgramIO,
  signal: AbortSignal | undefined,
): Promise<number> {
  if (cluster.stopped) return hostNotRunning(cluster, io);
  if (args.some((a) => a.startsWith('--control-plane'))) {
    io.stderr(
      'minikube node add --control-plane: not available in this lab terminal (it adds worker nodes)\n',
    );
    return 1;
  }
  const existing = cluster.api.list<Node>('nodes').length;
  const index = nextNodeIndex(cluster);
  const short = shortNodeName(index);
  const machine = `${cluster.profile}-${short}`;
  io.stdout(`😄  Adding node ${short} to cluster ${cluster.profile} as [worker]\n`);
  if (existing === 1)
    io.stderr(
      '❗  Cluster was created without any CNI, adding a node to it might cause broken networking.\n',
    );
  io.stdout(
    `👍  Starting "${machine}" worker node in "${cluster.profile}" cluster\n` +
      `🚜  Pulling base image ${KIC_VERSION} ...\n`,
  );
  let registered: string | undefined;
  try {
    await pause(cluster, DELAY.pullBaseImage, signal);
    io.stdout('🔥  Creating docker container (CPUs=2, Memory=2200MB) ...\n');
    await pause(cluster, DELAY.createContainer, signal);
    io.stdout(`🐳  Preparing Kubernetes ${KUBERNETES_VERSION} on Docker ${DOCKER_VERSION} ...\n`);
    await pause(cluster, DELAY.join, signal);
    registered = registerNode(cluster, index).metadata.name;
    io.stdout('🔎  Verifying Kubernetes components...\n');
    await pause(cluster, DELAY.networkReady, signal);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    return 130;
  } finally {
    // A node that registered comes up whether or not the command is still there to wait for it.
    if (registered) markNodeReady(cluster, registered);
  }
  io.stdout(`🏄  Successfully added ${short} to ${cluster.profile}!\n`);
  return 0;
}

/** `minikube node delete NAME`: drain, delete the Node, then the node's container. */
export async function runMinikubeNodeDelete(
  cluster: Cluster,
  args: string[],
  io: ProgramIO,
  signal: AbortSignal | undefined,
): Promise<number> {
  const name = args.find((a) => !a.startsWith('-'));
  if (name === undefined) {
    io.stderr(fatal('MK_USAGE', 'Usage: minikube node delete [name]'));
    return 64;
  }
  if (cluster.stopped) return hostNotRunning(cluster, io);
  const node = findNode(cluster, name);
  if (node && node.metadata.name === cluster.api.list<Node>('nodes')[0]?.metadata.name) {
    io.stderr(
      'minikube node delete: the control-plane node cannot be deleted in this lab terminal (its cluster would be gone); delete a worker node such as m02\n',
    );
    return 1;
  }
  io.stdout(`🔥  Deleting node ${name} from cluster ${cluster.profile}\n`);
  if (!node) {
    io.stderr(
      fatalWithIssueBox(
        'GUEST_NODE_DELETE',
        `deleting node: retrieve node: Could not find node ${name}`,
        '/tmp/minikube_node_1c3a1297795327375b61f3ff5a4ef34c9b2fc69b_0.log',
      ),
    );
    return 80;
  }
  const machine = node.metadata.name;
  try {
    drainNode(cluster, machine);
    // kubectl drain waits until the drained pods are gone (each has a 1 s grace period).
    for (let i = 0; i < 30 && podsOn(cluster, machine).some((p) => !isDaemonPod(p)); i++)
      await pause(cluster, 1_000, signal);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    return 130;
  }
  removeNode(cluster, machine);
  io.stdout(`✋  Stopping node "${machine}"  ...\n🛑  Powering off "${machine}" via SSH ...\n`);
  try {
    await pause(cluster, DELAY.stopNode, signal);
    io.stdout(`🔥  Deleting "${machine}" in docker ...\n`);
    await pause(cluster, DELAY.deleteContainer, signal);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    return 130;
  }
  io.stdout(`💀  Node ${name} was successfully deleted.\n`);
  return 0;
}

const isDaemonPod = (pod: { metadata: { ownerReferences?: { kind: string; controller?: boolean }[] } }) =>
  pod.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.controller) ?? false;
