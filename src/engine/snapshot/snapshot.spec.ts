import type { Deployment, Pod } from '../api/types';
import { ManualClock } from '../clock/clock';
import { restoreCluster, type Cluster } from '../cluster';
import { checkInvariants } from '../invariants';
import { BOOTCAMP_V2, labWithApp } from '../testing';

function state(cluster: Cluster): string {
  const out: unknown[] = [];
  for (const resource of [
    'namespaces',
    'nodes',
    'deployments',
    'replicasets',
    'pods',
    'services',
    'endpoints',
    'events',
  ] as const)
    out.push(cluster.api.list(resource));
  return JSON.stringify(out);
}

function startRollout(): { cluster: Cluster; clock: ManualClock } {
  const { cluster, clock } = labWithApp(3);
  const d = cluster.api.get<Deployment>('deployments', 'default', 'yanwei.app');
  d.spec.template.spec.containers[0].image = BOOTCAMP_V2;
  cluster.api.update(d);
  clock.advance(5_000);
  return { cluster, clock };
}

describe('snapshot', () => {
  it('is deterministic: same seed, same commands, same clock moves give the same snapshot', () => {
    expect(startRollout().cluster.snapshot()).toBe(startRollout().cluster.snapshot());
  });

  it('restores a cluster taken mid-rollout that completes exactly like the original', () => {
    const { cluster: original, clock } = startRollout();
    const d = original.api.get<Deployment>('deployments', 'default', 'yanwei.app');
    expect(d.status?.updatedReplicas).toBe(1);
    const snapshot = original.snapshot();
    const restoredClock = new ManualClock(clock.now());
    const restored = restoreCluster(snapshot, { clock: restoredClock });
    expect(state(restored)).toBe(state(original));
    expect(restored.nextDueAt()).toBe(original.nextDueAt());

    for (let i = 0; i < 120; i++) {
      clock.advance(1_000);
      restoredClock.advance(1_000);
      expect(state(restored)).toBe(state(original));
    }
    const done = restored.api.get<Deployment>('deployments', 'default', 'yanwei.app');
    expect(done.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    // The restored cluster keeps working: new objects, random names and curl round-robin continue identically.
    for (const cluster of [original, restored])
      cluster.api.delete(
        'pods',
        'default',
        cluster.api.list<Pod>('pods', { namespace: 'default' })[0].metadata.name,
      );
    expect(state(restored)).toBe(state(original));
    const port = original.api.get('services', 'default', 'yanwei') as {
      spec: { ports: { nodePort: number }[] };
    };
    const curl = (c: Cluster) =>
      Array.from({ length: 4 }, () => c.network.httpGet(c.nodeIp, port.spec.ports[0].nodePort));
    expect(curl(restored)).toEqual(curl(original));
    expect(restored.snapshot()).toBe(original.snapshot());
    expect(checkInvariants(restored)).toEqual([]);
  });

  it('moves externalRevision on changes from outside only: a snapshot since then restores to what time made of it', () => {
    const { cluster: original, clock } = labWithApp(1);
    const d = original.api.get<Deployment>('deployments', 'default', 'yanwei.app');
    d.spec.replicas = 3;
    original.api.update(d);
    const external = original.externalRevision;
    expect(external).toBe(original.revision);
    const basis = original.snapshot();
    const basisAt = clock.now();

    // Two pods are scheduled, pulled and started by the cluster's own timers, read now and then meanwhile.
    for (let i = 0; i < 6; i++) {
      clock.advance(5_000);
      original.api.list('pods', { namespace: 'default' });
    }
    expect(original.revision).toBeGreaterThan(external);
    expect(original.externalRevision).toBe(external);

    // Restored once, straight into the present: the same objects, events included.
    const restored = restoreCluster(basis, { clock: new ManualClock(clock.now()) });
    expect(state(restored)).toBe(state(original));
    expect(clock.now() - basisAt).toBe(30_000);

    // A command's change, a kubeconfig edit and `minikube stop` each move it.
    original.api.delete(
      'pods',
      'default',
      original.api.list<Pod>('pods', { namespace: 'default' })[0].metadata.name,
    );
    expect(original.externalRevision).toBe(original.revision);
    const afterDelete = original.externalRevision;
    clock.advance(5_000);
    original.sync();
    expect(original.externalRevision).toBe(afterDelete);
    original.kubeconfig.update((draft) => (draft.contexts[0].context.namespace = 'kube-system'));
    expect(original.externalRevision).toBe(original.revision);
    original.sync();
    original.stopMachine();
    expect(original.externalRevision).toBe(original.revision);
  });

  it('catches up on a restore into a later clock', () => {
    const { cluster, clock } = startRollout();
    const later = new ManualClock(clock.now() + 10 * 60_000);
    const restored = restoreCluster(cluster.snapshot(), { clock: later });
    const d = restored.api.get<Deployment>('deployments', 'default', 'yanwei.app');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(checkInvariants(restored)).toEqual([]);
  });

  it('rejects input that is not a snapshot', () => {
    expect(() => restoreCluster('not json')).toThrow(/restoreCluster: snapshot is not valid JSON/);
    expect(() => restoreCluster('{"v":1}')).toThrow('restoreCluster: not a cluster snapshot (version 2)');
  });

  it('stays compact', () => {
    const { cluster } = labWithApp(3);
    expect(cluster.snapshot().length).toBeLessThan(64 * 1024);
  });
});
