/**
 * Helpers for the engine's own tests and benchmark: build objects the way `kubectl create deployment` and
 * `kubectl expose` do, and drive a ManualClock until a condition holds.
 */
import type { Deployment, Pod, Service } from './api/types';
import { ManualClock } from './clock/clock';
import { createCluster, type Cluster, type ClusterOptions } from './cluster';

export const BOOTCAMP_V1 = 'gcr.io/google-samples/kubernetes-bootcamp:v1';
export const BOOTCAMP_V2 = 'jocatalin/kubernetes-bootcamp:v2';
export const BOOTCAMP_V10 = 'gcr.io/google-samples/kubernetes-bootcamp:v10';
export const LAB_START = Date.UTC(2024, 5, 3, 2, 15, 0);

/** The Deployment `kubectl create deployment NAME --image=IMAGE [--replicas=N]` sends. */
export function deploymentFor(name: string, image: string, replicas = 1): Deployment {
  const container = (image.split('/').pop() ?? image).split(':')[0].split('@')[0];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: container, image }] } },
    },
  };
}

/** The Service `kubectl expose deployment/NAME --type=NodePort --port PORT --name SVC` sends. */
export function nodePortServiceFor(deployment: string, serviceName: string, port = 8080): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceName, labels: { app: deployment } },
    spec: {
      type: 'NodePort',
      selector: { app: deployment },
      ports: [{ protocol: 'TCP', port, targetPort: port }],
    },
  };
}

export function labCluster(options: Omit<ClusterOptions, 'clock'> = {}): {
  cluster: Cluster;
  clock: ManualClock;
} {
  const clock = new ManualClock(LAB_START);
  return { cluster: createCluster({ seed: 7, ...options, clock }), clock };
}

/** Advances the clock in `stepMs` steps until `done()` holds; throws after `limitMs`. */
export function advanceUntil(
  cluster: Cluster,
  clock: ManualClock,
  done: () => boolean,
  limitMs = 120_000,
  stepMs = 500,
): number {
  let waited = 0;
  cluster.sync();
  while (!done()) {
    if (waited >= limitMs) throw new Error(`condition not reached within ${limitMs} ms of simulated time`);
    clock.advance(stepMs);
    waited += stepMs;
    cluster.sync();
  }
  return waited;
}

export function podsOf(cluster: Cluster, app: string): Pod[] {
  return cluster.api.list<Pod>('pods', { namespace: 'default', labelSelector: `app=${app}` });
}

export function allRunning(cluster: Cluster, app: string, count: number): boolean {
  const pods = podsOf(cluster, app);
  return (
    pods.length === count && pods.every((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
  );
}

/** Runs the lab: deployment scaled to `replicas`, a NodePort service, all pods Running. */
export function labWithApp(
  replicas = 3,
  options: Omit<ClusterOptions, 'clock'> = {},
): { cluster: Cluster; clock: ManualClock } {
  const { cluster, clock } = labCluster(options);
  cluster.api.create(deploymentFor('yanwei.app', BOOTCAMP_V1, replicas));
  cluster.api.create(nodePortServiceFor('yanwei.app', 'yanwei'));
  advanceUntil(cluster, clock, () => allRunning(cluster, 'yanwei.app', replicas));
  return { cluster, clock };
}
