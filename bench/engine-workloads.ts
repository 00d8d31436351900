/**
 * bench:engine's workloads: what each benchmarked student's cluster holds, set up through the lab terminal (as the
 * student would type it) and run on the cluster's ManualClock until it has settled.
 * - `lab`: the first lab's state: deployment yanwei.app scaled to 3, exposed as a NodePort service, the ManualClock
 *   advanced until all pods are Running (the baseline of the other three);
 * - `+config` (issue 13): also a namespace `lab` with a ConfigMap and a Secret (kubectl create namespace / configmap /
 *   secret generic);
 * - `+workloads` (issue 14): `+config` and also a Job run to completion and a StatefulSet of 2 with its headless
 *   Service, every pod Running or Completed;
 * - `+storage-net` (issue 17): `+workloads` and also the metrics-server add-on, a PersistentVolumeClaim (bound by
 *   the storage provisioner), an Ingress and an HPA for the lab deployment; an HPA re-checks every 15 s, so the
 *   clock is advanced to STORAGE_NET_HORIZON_MS after the start (the metrics-server pod Running and its scrapes
 *   done, so `kubectl top pod` answers) instead of until nothing is scheduled.
 */
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/engine/clock/clock';
import type { KubeObject } from '../src/engine/api/types';
import { createCluster, type Cluster, type ClusterOptions } from '../src/engine/cluster';
import { LabTerminal, type TerminalIO } from '../src/engine/terminal';

export type Workload = 'lab' | '+config' | '+workloads' | '+storage-net';
export const WORKLOADS: Workload[] = ['lab', '+config', '+workloads', '+storage-net'];
export type Creation = NonNullable<ClusterOptions['creation']>;

export const DESCRIPTIONS: Record<Workload, string> = {
  lab: 'lab deployment x3 + NodePort service, pods Running; the baseline',
  '+config': 'lab + namespace, ConfigMap, Secret (issue 13)',
  '+workloads': '+config + a Job run to completion + a StatefulSet of 2 (issue 14)',
  '+storage-net':
    '+workloads + metrics-server, a bound PVC, an Ingress, an HPA; clock run to 150 s (issue 17)',
};

const START = Date.UTC(2024, 5, 3, 2, 15, 0);
/** `+storage-net`: metrics-server's pod is Ready within ~20 s and scrapes every 60 s from then. */
const STORAGE_NET_HORIZON_MS = 150_000;

export interface Student {
  clock: ManualClock;
  cluster: Cluster;
  terminal: LabTerminal;
}

export class Sink implements TerminalIO {
  out = '';
  err = '';
  stdout(chunk: string): void {
    this.out += chunk;
  }
  stderr(chunk: string): void {
    this.err += chunk;
  }
}

async function run(terminal: LabTerminal, line: string): Promise<Sink> {
  const sink = new Sink();
  const code = await terminal.run(line, sink);
  if (code !== 0) throw new Error(`"${line}" exited ${code}: ${sink.err}`);
  return sink;
}

/** The StatefulSet of 2 of `+workloads` and its headless Service (through the same API server as kubectl). */
function createStatefulSet(cluster: Cluster): void {
  const labels = { app: 'db' };
  cluster.api.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'lab', labels },
    spec: { clusterIP: 'None', selector: labels, ports: [{ port: 6379 }] },
  } as KubeObject);
  cluster.api.create({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'lab' },
    spec: {
      serviceName: 'db',
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'redis', image: 'redis:7', ports: [{ containerPort: 6379 }] }] },
      },
    },
  } as KubeObject);
}

/** The PVC of `+storage-net` (no kubectl create verb for it: applied like a student would). */
const PVC_MANIFEST = `kubectl apply -f - <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: lab
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
EOF`;

/** A student's cluster as created, before any command: createCluster and its LabTerminal. */
export function newStudent(seed: number, creation: Creation, start = START): Student {
  const clock = new ManualClock(start);
  const cluster = createCluster({ seed, clock, creation });
  return { clock, cluster, terminal: new LabTerminal(cluster) };
}

/** Wall and process CPU milliseconds spent creating and booting clusters (createCluster + LabTerminal), summed. */
export const spent = { creating: 0, creatingCpu: 0 };

/**
 * One student's cluster, usable: created and booted (`creation`), the workload's objects added through the lab
 * terminal, and the clock run until everything has settled (checked). This whole call is what "creating a cluster"
 * means in clusters/s. `delayMs`: the cluster starts that long after the common start (clusters booted in other
 * seconds share less of the boot template).
 */
export async function labStudent(
  seed: number,
  workload: Workload,
  creation: Creation,
  delayMs = 0,
): Promise<Student> {
  const start = START + delayMs;
  const startedAt = performance.now();
  const cpuAt = process.cpuUsage();
  const { clock, cluster, terminal } = newStudent(seed, creation, start);
  spent.creating += performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuAt);
  spent.creatingCpu += (cpu.user + cpu.system) / 1000;
  await run(
    terminal,
    'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
  );
  await run(terminal, 'kubectl scale deployments/yanwei.app --replicas=3');
  await run(terminal, 'kubectl expose deployment/yanwei.app --type="NodePort" --port 8080 --name yanwei');
  if (workload !== 'lab') {
    await run(terminal, 'kubectl create namespace lab');
    await run(
      terminal,
      'kubectl create configmap app-config --from-literal=mode=prod --from-literal=lives=3 -n lab',
    );
    await run(terminal, 'kubectl create secret generic db --from-literal=password=S3cr3t! -n lab');
  }
  const storageNet = workload === '+storage-net';
  if (workload === '+workloads' || storageNet) {
    await run(terminal, "kubectl create job hello --image=busybox:1.36 -- sh -c 'echo hello'");
    createStatefulSet(cluster);
  }
  if (storageNet) {
    await run(terminal, 'minikube addons enable metrics-server');
    await run(terminal, PVC_MANIFEST);
    await run(terminal, 'kubectl create ingress yanwei --rule="yanwei.info/*=yanwei:8080"');
    // --min=3: the deployment keeps its 3 pods (its pods request no CPU, so the HPA could not scale it anyway).
    await run(terminal, 'kubectl autoscale deployment yanwei.app --cpu-percent=50 --min=3 --max=5');
  }
  // Discrete-event waiting: jump the clock to each next due change until nothing more is scheduled (or, with an
  // HPA's periodic checks, until the horizon).
  const horizon = storageNet ? start + STORAGE_NET_HORIZON_MS : undefined;
  for (let due = cluster.nextDueAt(); due !== undefined; due = cluster.nextDueAt()) {
    if (horizon !== undefined && due > horizon) break;
    if (due - start > 120_000 && horizon === undefined)
      throw new Error(`seed ${seed}: still busy after 120 s`);
    clock.set(Math.max(due, clock.now()));
    cluster.sync();
  }
  if (horizon !== undefined) {
    clock.set(horizon);
    cluster.sync();
  }
  checkSettled(seed, workload, cluster);
  // Exits non-zero (and run() throws) until metrics-server has served a scrape.
  if (storageNet) await run(terminal, 'kubectl top pod');
  return { clock, cluster, terminal };
}

function checkSettled(seed: number, workload: Workload, cluster: Cluster): void {
  const phases = (namespace: string) =>
    cluster.api
      .list('pods', { namespace })
      .map((p) => (p.status as { phase?: string } | undefined)?.phase ?? 'Unknown');
  const lab = phases('default');
  const withWorkloads = workload === '+workloads' || workload === '+storage-net';
  const expected = withWorkloads ? ['Running', 'Running', 'Running', 'Succeeded'] : Array(3).fill('Running');
  if (lab.sort().join() !== expected.join()) throw new Error(`seed ${seed}: default pods are ${lab.join()}`);
  if (withWorkloads && phases('lab').join() !== 'Running,Running')
    throw new Error(`seed ${seed}: StatefulSet pods are ${phases('lab').join()}`);
  if (workload === '+storage-net') {
    const claim = cluster.api.get('persistentvolumeclaims', 'lab', 'data');
    const phase = (claim.status as { phase?: string } | undefined)?.phase;
    if (phase !== 'Bound') throw new Error(`seed ${seed}: PVC data is ${phase}`);
  }
}
