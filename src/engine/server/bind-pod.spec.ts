import { StatusError } from '../api/status-error';
import type { Pod } from '../api/types';
import { BOOTCAMP_V1, deploymentFor, labCluster } from '../testing';

/** The stored pod as the scheduler binds it: nodeName set, PodScheduled added, nothing else changed. */
function bound(pod: Pod, node: string): Pod {
  return {
    ...pod,
    metadata: { ...pod.metadata },
    spec: { ...pod.spec, nodeName: node },
    status: {
      ...pod.status!,
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: 'x' }],
    },
  };
}

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) return error.status.reason;
    throw error;
  }
  return undefined;
}

describe('API server: the scheduler binding a pod', () => {
  it('stores the pod with its node, once, and refuses a stale or second binding', () => {
    const { cluster } = labCluster();
    // A node selector nothing matches keeps the pod pending, so the test binds it itself.
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'waiting', generateName: 'wait-' },
      spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'app', image: BOOTCAMP_V1 }] },
    } as Pod);
    const pending = cluster.store.get<Pod>('pods', 'default', 'waiting')!;
    expect(pending.spec.nodeName).toBeUndefined();
    const stored = cluster.server.bindPod(bound(pending, 'minikube'));
    expect(cluster.store.get<Pod>('pods', 'default', 'waiting')).toBe(stored);
    expect(stored.spec.nodeName).toBe('minikube');
    expect(Number(stored.metadata.resourceVersion)).toBeGreaterThan(Number(pending.metadata.resourceVersion));
    // generateName ends up last, as the general update path leaves it (clients see the key order).
    expect(Object.keys(stored.metadata).at(-1)).toBe('generateName');
    expect(stored.metadata.uid).toBe(pending.metadata.uid);
    expect(reasonOf(() => cluster.server.bindPod(bound(pending, 'minikube')))).toBe('Conflict');
    expect(reasonOf(() => cluster.server.bindPod(bound(stored, 'minikube')))).toBe('Conflict');
    expect(
      reasonOf(() =>
        cluster.server.bindPod(
          bound({ ...pending, metadata: { ...pending.metadata, name: 'gone' } }, 'minikube'),
        ),
      ),
    ).toBe('NotFound');
  });

  it("leaves a scheduled ReplicaSet pod's metadata in the order the general update path gives", () => {
    const { cluster } = labCluster();
    cluster.api.create(deploymentFor('web', BOOTCAMP_V1));
    const [pod] = cluster.api.list<Pod>('pods', { namespace: 'default' });
    expect(pod.spec.nodeName).toBe('minikube');
    expect(Object.keys(pod.metadata)).toEqual([
      'name',
      'namespace',
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'labels',
      'ownerReferences',
      'generateName',
    ]);
  });
});
