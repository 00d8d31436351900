import { ManualClock } from '../clock/clock';
import { createCluster } from '../cluster';
import { checkInvariants } from '../invariants';
import { Random } from '../store/random';
import { buildBootImage, instantiateBootImage, RecordingRandom, type BootState } from './boot-image';

describe('boot image', () => {
  it('reproduces the recorded state exactly when replayed with the same draws and boot time', () => {
    const random = new RecordingRandom(99);
    const values = [random.uid(), random.string(5), random.hex(64)];
    const state: BootState = {
      rv: 400,
      objects: {
        pods: [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: `coredns-7db6d8ff4d-${values[1]}`,
              uid: values[0],
              creationTimestamp: '2024-01-01T00:00:20Z',
            },
            status: {
              containerStatuses: [
                {
                  containerID: `docker://${values[2]}`,
                  imageID: `docker-pullable://x@sha256:${'0d6b'.repeat(16)}`,
                },
              ],
            },
          },
        ],
      },
      kubelet: { pods: [], nodes: {} },
    };
    const bootAt = Date.UTC(2024, 0, 1);
    const image = buildBootImage(state, bootAt, random.draws);
    expect(instantiateBootImage(image, new Random(99), bootAt)).toEqual(state);
    const later = instantiateBootImage(image, new Random(5), bootAt + 3_600_000);
    const pod = later.objects.pods![0];
    expect(pod.metadata.creationTimestamp).toBe('2024-01-01T01:00:20Z');
    expect(pod.metadata.name).toMatch(/^coredns-7db6d8ff4d-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.name).not.toBe(state.objects.pods![0].metadata.name);
    expect(JSON.stringify(pod)).toContain(`sha256:${'0d6b'.repeat(16)}`);
  });

  it("builds every cluster's kubelet records afresh (the kubelet changes them in place)", () => {
    const state: BootState = {
      rv: 10,
      objects: {},
      kubelet: {
        pods: [],
        nodes: { minikube: { images: { 'busybox:1.36': 5 }, pullerFreeAt: 0, lastIp: 3 } },
      },
    };
    const bootAt = Date.UTC(2024, 0, 1);
    const image = buildBootImage(state, bootAt, []);
    const a = instantiateBootImage(image, new Random(1), bootAt);
    const b = instantiateBootImage(image, new Random(2), bootAt);
    a.kubelet.nodes.minikube.lastIp = 9;
    a.kubelet.nodes.minikube.images['nginx:1.25'] = 7;
    expect(b.kubelet).toEqual(state.kubelet);
    expect(instantiateBootImage(image, new Random(3), bootAt).kubelet).toEqual(state.kubelet);
  });

  it('shares the objects that vary with the boot time alone between clusters booted in the same second', () => {
    const at = Date.UTC(2024, 5, 3, 2, 15, 0);
    const a = createCluster({ seed: 1, clock: new ManualClock(at) });
    const b = createCluster({ seed: 2, clock: new ManualClock(at + 400) });
    const later = createCluster({ seed: 1, clock: new ManualClock(at + 5_000) });
    const role = (c: typeof a) => c.store.get('clusterroles', undefined, 'admin')!;
    expect(role(b)).toBe(role(a));
    expect(Object.isFrozen(role(a)) && Object.isFrozen(role(a).metadata)).toBe(true);
    expect(role(later)).not.toBe(role(a));
    expect(role(later).metadata.creationTimestamp).toBe('2024-06-03T02:13:35Z');
    expect(role(a).metadata.creationTimestamp).toBe('2024-06-03T02:13:30Z');
    // Objects holding the cluster's own random values (uids, names) are its own.
    const ns = (c: typeof a) => c.store.get('namespaces', undefined, 'default')!;
    expect(ns(b)).not.toBe(ns(a));
    expect(ns(b).metadata.uid).not.toBe(ns(a).metadata.uid);
  });

  it('gives every cluster its own seeded system objects on the same fresh-minikube layout', () => {
    const at = Date.UTC(2024, 5, 3, 2, 15, 0);
    const a = createCluster({ seed: 1, clock: new ManualClock(at) });
    const b = createCluster({ seed: 2, clock: new ManualClock(at) });
    const again = createCluster({ seed: 1, clock: new ManualClock(at) });
    const names = (c: typeof a) =>
      c.api.list('pods', { namespace: 'kube-system' }).map((p) => p.metadata.name);
    expect(names(a)).toEqual(names(again));
    expect(names(a)).not.toEqual(names(b));
    expect(a.api.list('pods').map((p) => p.metadata.uid)).not.toEqual(
      b.api.list('pods').map((p) => p.metadata.uid),
    );
    const etcd = a.api.get('pods', 'kube-system', 'etcd-minikube');
    expect(etcd.metadata.creationTimestamp).toBe('2024-06-03T02:13:36Z');
    expect(a.api.get('nodes', undefined, 'minikube').metadata.labels!['minikube.k8s.io/updated_at']).toBe(
      '2024_06_03T02_13_30_0700',
    );
    expect(checkInvariants(a)).toEqual([]);
    expect(checkInvariants(b)).toEqual([]);
  });
});
