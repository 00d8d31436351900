import type { PersistentVolume, PersistentVolumeClaim } from '../api/storage-types';
import type { Pod } from '../api/types';
import { ManualClock } from '../clock/clock';
import { restoreCluster, type Cluster } from '../cluster';
import { checkInvariants } from '../invariants';
import { labCluster } from '../testing';

const claim = (name: string): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});

const podUsing = (name: string, claimName: string, mountPath: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'busybox:1.36',
        command: ['sleep', '3600'],
        volumeMounts: [{ name: 'd', mountPath }],
      },
    ],
    volumes: [{ name: 'd', persistentVolumeClaim: { claimName } }],
  },
});

const sh = (cluster: Cluster, pod: string, script: string) =>
  cluster.runtime.exec('default', pod, undefined, ['sh', '-c', script]);

describe('hostPath volume data', () => {
  it('outlives the pod that wrote it, survives a snapshot, and goes with its volume', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(claim('data'));
    cluster.api.create(podUsing('one', 'data', '/data'));
    clock.advance(20_000);
    expect(sh(cluster, 'one', 'echo hi > /data/x; echo more > /data/y').exitCode).toBe(0);
    cluster.api.delete('pods', 'default', 'one', { gracePeriodSeconds: 0 });

    const snapshot = cluster.snapshot();
    const pvName = cluster.api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'default', 'data').spec
      .volumeName!;
    expect(JSON.parse(snapshot).kubelet.nodes.minikube.hostPaths).toEqual({
      [pvName]: { x: 'hi\n', y: 'more\n' },
    });
    const restoredClock = new ManualClock(clock.now());
    const restored = restoreCluster(snapshot, { clock: restoredClock });
    restored.api.create(podUsing('two', 'data', '/mnt'));
    restoredClock.advance(20_000);
    expect(sh(restored, 'two', 'cat /mnt/x /mnt/y').stdout).toBe('hi\nmore\n');
    expect(checkInvariants(restored)).toEqual([]);

    restored.api.delete('pods', 'default', 'two', { gracePeriodSeconds: 0 });
    restored.api.delete('persistentvolumeclaims', 'default', 'data');
    restoredClock.advance(1_000);
    expect(restored.api.list<PersistentVolume>('persistentvolumes', {})).toEqual([]);
    const nodes = (JSON.parse(restored.snapshot()) as { kubelet: { nodes: Record<string, object> } }).kubelet
      .nodes;
    expect(Object.values(nodes).map((n) => (n as { hostPaths?: object }).hostPaths)).toEqual([undefined]);
  });

  it('keeps a claim used by a pod Terminating until the pod is gone', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(claim('held'));
    cluster.api.create(podUsing('user', 'held', '/data'));
    clock.advance(20_000);
    cluster.api.delete('persistentvolumeclaims', 'default', 'held');
    clock.advance(5_000);
    const held = cluster.api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'default', 'held');
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.status?.phase).toBe('Bound');
    cluster.api.delete('pods', 'default', 'user', { gracePeriodSeconds: 0 });
    clock.advance(1_000);
    expect(cluster.api.list('persistentvolumeclaims', { namespace: 'default' })).toEqual([]);
    expect(cluster.api.list('persistentvolumes', {})).toEqual([]);
    expect(checkInvariants(cluster)).toEqual([]);
  });
});
