import { ManualClock, RealClock } from './clock/clock';
import { createCluster, restoreCluster, WAKE, type Cluster } from './cluster';
import { checkInvariants } from './invariants';
import { labWithApp } from './testing';

describe('cluster', () => {
  it('looks like a fresh minikube', () => {
    const cluster = createCluster({ clock: new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0)) });
    expect(cluster.nodeIp).toBe('192.168.49.2');
    expect(cluster.api.list('namespaces').map((n) => n.metadata.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    expect(
      cluster.api
        .list('pods', { namespace: 'kube-system' })
        .map((p) => p.metadata.name.replace(/-[a-z0-9]{5}$/, '-*')),
    ).toEqual([
      'coredns-7db6d8ff4d-*',
      'etcd-minikube',
      'kube-apiserver-minikube',
      'kube-controller-manager-minikube',
      'kube-proxy-*',
      'kube-scheduler-minikube',
      'storage-provisioner',
    ]);
    expect(
      cluster.api
        .list('services')
        .map((s) => `${s.metadata.name} ${(s.spec as { clusterIP: string }).clusterIP}`),
    ).toEqual(['kubernetes 10.96.0.1', 'kube-dns 10.96.0.10']);
    expect(cluster.nextDueAt()).toBeUndefined();
    expect(checkInvariants(cluster)).toEqual([]);
  });

  it('is idle once the lab has settled: nothing scheduled, and sync changes nothing', () => {
    const { cluster, clock } = labWithApp(3);
    clock.advance(60_000);
    cluster.sync();
    expect(cluster.nextDueAt()).toBeUndefined();
    const before = cluster.snapshot();
    clock.advance(30 * 60_000);
    cluster.sync();
    const stable = (text: string) => {
      const { now: _now, lastEventSweep: _sweep, ...rest } = JSON.parse(text) as Record<string, unknown>;
      return rest;
    };
    expect(stable(cluster.snapshot())).toEqual(stable(before));
  });

  it('starts at a fixpoint of every controller (so a fresh cluster skips their first pass)', () => {
    const start = Date.UTC(2024, 5, 3, 2, 15, 0);
    const fresh = createCluster({ clock: new ManualClock(start) });
    const state = (cluster: Cluster) => {
      const {
        now: _now,
        lastEventSweep: _sweep,
        timers: _timers,
        ...rest
      } = JSON.parse(cluster.snapshot()) as Record<string, unknown>;
      return rest;
    };
    const before = state(fresh);
    // A restored cluster's controllers know nothing yet: a wake-up timer makes each do a full pass.
    for (const later of [0, 50 * 60_000]) {
      const clock = new ManualClock(start);
      const restored = restoreCluster(fresh.snapshot(), { clock });
      clock.set(start + later);
      restored.timers.schedule(clock.now(), WAKE, 'fixpoint-check');
      restored.sync();
      expect(restored.nextDueAt()).toBeUndefined();
      expect(state(restored)).toEqual(before);
    }
  });

  it('expires events an hour after their last occurrence', () => {
    const { cluster, clock } = labWithApp(3);
    expect(cluster.api.list('events', { namespace: 'default' }).length).toBeGreaterThan(10);
    clock.advance(59 * 60_000);
    expect(cluster.api.list('events', { namespace: 'default' }).length).toBeGreaterThan(10);
    clock.advance(3 * 60_000);
    expect(cluster.api.list('events', { namespace: 'default' })).toEqual([]);
  });

  it('rejects bad options with clear errors', () => {
    expect(() => createCluster({ nodeCount: 0 })).toThrow(
      'createCluster: nodeCount must be an integer from 1 to 10, got 0',
    );
    expect(() => createCluster({ profile: 'My Profile' })).toThrow(
      'createCluster: profile must be a lowercase DNS label, got "My Profile"',
    );
    expect(() => createCluster({ seed: Number.NaN })).toThrow(
      'createCluster: seed must be a number, got NaN',
    );
  });

  it('names the first node after the profile', () => {
    const cluster = createCluster({
      profile: 'lab',
      nodeCount: 2,
      clock: new ManualClock(0 + Date.UTC(2024, 0, 1)),
    });
    expect(cluster.api.list('nodes').map((n) => n.metadata.name)).toEqual(['lab', 'lab-m02']);
  });
});

describe('clocks', () => {
  it('ManualClock resolves sleeps in deadline order as time is advanced, and rejects on abort', async () => {
    const clock = new ManualClock(1000);
    const order: string[] = [];
    const a = clock.sleep(500).then(() => order.push('a'));
    const b = clock.sleep(200).then(() => order.push('b'));
    const abort = new AbortController();
    const c = clock.sleep(100, abort.signal);
    expect(clock.pendingSleeps()).toBe(3);
    abort.abort();
    await expect(c).rejects.toMatchObject({ name: 'AbortError' });
    clock.advance(300);
    await b;
    expect(order).toEqual(['b']);
    clock.advance(300);
    await a;
    expect(order).toEqual(['b', 'a']);
    expect(clock.now()).toBe(1600);
    expect(() => clock.set(10)).toThrow('ManualClock.set: time cannot go backwards');
    expect(() => clock.advance(-1)).toThrow('ManualClock.advance: ms must be >= 0, got -1');
  });

  it('RealClock follows real time', async () => {
    const clock = new RealClock();
    const start = clock.now();
    await clock.sleep(5);
    expect(clock.now() - start).toBeGreaterThanOrEqual(4);
    const abort = new AbortController();
    const pending = clock.sleep(10_000, abort.signal);
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
