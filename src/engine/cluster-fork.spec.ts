/**
 * createCluster forks the boot template: the boot lists that hold no per-cluster value keep the template's store
 * table, shared by every cluster booted from it until a cluster writes to that resource (ObjectStore.loadTemplate).
 * These specs prove a fork is the same cluster as one laid down table by table ('boot'), and that no write in one
 * fork ever shows in another or in the template.
 */
import { ManualClock } from './clock/clock';
import { createCluster, restoreCluster, type Cluster } from './cluster';
import type { KubeObject } from './api/types';
import type { ResourceName } from './api/resources';
import { WatchHistory } from './http/watch-history';
import { LabTerminal, type TerminalIO } from './terminal';
import { LAB_START } from './testing';

class Sink implements TerminalIO {
  out = '';
  err = '';
  stdout(chunk: string): void {
    this.out += chunk;
  }
  stderr(chunk: string): void {
    this.err += chunk;
  }
}

async function run(terminal: LabTerminal, line: string): Promise<string> {
  const sink = new Sink();
  const code = await terminal.run(line, sink);
  return `${code}\n${sink.out}${sink.err}`;
}

/** Every stored object, resource by resource in the store's own order, and the resourceVersion counter. */
function contents(cluster: Cluster): string {
  const out: Record<string, KubeObject[]> = {};
  for (const resource of cluster.store.resources()) out[resource] = cluster.store.values(resource);
  return JSON.stringify({ rv: cluster.store.revision, out });
}

function fork(
  seed: number,
  options: { nodeCount?: number; creation?: 'fork' | 'boot'; start?: number } = {},
) {
  const clock = new ManualClock(options.start ?? LAB_START);
  const cluster = createCluster({ seed, clock, ...options });
  return { clock, cluster, terminal: new LabTerminal(cluster) };
}

const CLUSTER_ROLE = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'fork-only' },
  rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
} as unknown as KubeObject;

describe('forked clusters', () => {
  it('share the boot template tables of the lists with no per-cluster value', () => {
    const { cluster } = fork(1);
    const shared = cluster.store.sharedResources();
    expect(shared).toEqual(
      expect.arrayContaining(['clusterroles', 'clusterrolebindings', 'serviceaccounts', 'configmaps']),
    );
    // Lists that hold the cluster's own uids and names are its own.
    for (const own of ['pods', 'nodes', 'namespaces', 'events'] as ResourceName[])
      expect(shared).not.toContain(own);
    expect(fork(1, { creation: 'boot' }).cluster.store.sharedResources()).toEqual([]);
  });

  it('are the same cluster as one booted table by table, before and after the same commands', async () => {
    // Clusters booted in another second share no time-stamped list with the others, but are forks all the same.
    const shapes = [
      { nodeCount: 1, seed: 1 },
      { nodeCount: 1, seed: 2, start: LAB_START + 61_500 },
      { nodeCount: 1, seed: 99 },
      { nodeCount: 2, seed: 1 },
      { nodeCount: 2, seed: 99, start: LAB_START + 3_600_250 },
    ];
    for (const { seed, ...shape } of shapes) {
      const forked = fork(seed, shape);
      const booted = fork(seed, { ...shape, creation: 'boot' });
      expect(contents(forked.cluster)).toBe(contents(booted.cluster));
      for (const line of [
        'kubectl create deployment web --image=nginx --replicas=2',
        'kubectl create namespace lab',
        'kubectl create configmap app --from-literal=a=1 -n lab',
        'kubectl create clusterrole reader --verb=get --resource=pods',
        'kubectl delete serviceaccount coredns -n kube-system',
        'kubectl label configmap coredns -n kube-system fork=yes',
        'kubectl get all -A',
        'kubectl get clusterroles,serviceaccounts -A',
      ]) {
        expect(await run(forked.terminal, line)).toBe(await run(booted.terminal, line));
      }
      for (const { clock, cluster } of [forked, booted]) {
        clock.advance(60_000);
        cluster.sync();
      }
      expect(contents(forked.cluster)).toBe(contents(booted.cluster));
      expect(forked.cluster.snapshot()).toBe(booted.cluster.snapshot());
    }
  });

  it('never show one fork’s writes in another or in the template', async () => {
    const a = fork(1);
    const b = fork(2);
    const template = contents(fork(3).cluster);
    const historyA = new WatchHistory(a.cluster.store);
    const historyB = new WatchHistory(b.cluster.store);
    const countBefore = b.cluster.store.count('serviceaccounts');

    // A new object in a shared table, a change deep inside a shared object, a deletion from a shared table.
    a.cluster.api.create(CLUSTER_ROLE);
    const corefile = a.cluster.api.get('configmaps', 'kube-system', 'coredns');
    const changed = structuredClone(corefile) as KubeObject & { data: Record<string, string> };
    changed.data.Corefile = 'changed in a only';
    a.cluster.api.update(changed);
    expect(await run(a.terminal, 'kubectl delete serviceaccount coredns -n kube-system')).toMatch(/^0\n/);

    expect(a.cluster.store.get('clusterroles', undefined, 'fork-only')).toBeDefined();
    expect(b.cluster.store.get('clusterroles', undefined, 'fork-only')).toBeUndefined();
    const inB = b.cluster.api.get('configmaps', 'kube-system', 'coredns') as KubeObject & {
      data: Record<string, string>;
    };
    expect(inB.data.Corefile).not.toBe('changed in a only');
    expect(b.cluster.store.get('serviceaccounts', 'kube-system', 'coredns')).toBeDefined();
    expect(a.cluster.store.count('serviceaccounts')).toBe(countBefore - 1);
    expect(b.cluster.store.count('serviceaccounts')).toBe(countBefore);

    // The store's indexes and the watch history are the cluster's own.
    const bootRv = 380;
    expect(a.cluster.store.changedInSince('configmaps', 'kube-system', bootRv)).toBe(true);
    expect(b.cluster.store.changedInSince('configmaps', 'kube-system', bootRv)).toBe(false);
    expect(a.cluster.store.changedSince(['clusterroles'], bootRv)).toBe(true);
    expect(b.cluster.store.changedSince(['clusterroles'], bootRv)).toBe(false);
    expect(historyA.size).toBeGreaterThanOrEqual(3);
    expect(historyB.size).toBe(0);

    // The written resources now have tables of their own; the other fork still shares the template's.
    for (const resource of ['clusterroles', 'configmaps', 'serviceaccounts'] as ResourceName[]) {
      expect(a.cluster.store.sharedResources()).not.toContain(resource);
      expect(b.cluster.store.sharedResources()).toContain(resource);
    }
    // A template object cannot be changed in place, even deep inside.
    const stored = b.cluster.store.get('clusterroles', undefined, 'admin') as unknown as {
      metadata: { labels: Record<string, string> };
    };
    expect(() => {
      stored.metadata.labels.changed = 'yes';
    }).toThrow(TypeError);
    // A cluster forked afterwards starts from the untouched template.
    expect(contents(fork(3).cluster)).toBe(template);
  });

  it('leaves the shared table alone when a removal finds nothing', () => {
    const { cluster } = fork(1);
    expect(cluster.store.remove('clusterroles', undefined, 'no-such-role')).toBeUndefined();
    expect(cluster.store.sharedResources()).toContain('clusterroles');
  });

  it('restores from a snapshot to the same cluster, and keeps forks isolated after the restore', async () => {
    const a = fork(4);
    await run(a.terminal, 'kubectl create clusterrole reader --verb=get --resource=pods');
    await run(a.terminal, 'kubectl delete clusterrole system:aggregate-to-admin');
    const snapshot = a.cluster.snapshot();
    const restored = restoreCluster(snapshot, { clock: new ManualClock(LAB_START) });
    expect(contents(restored)).toBe(contents(a.cluster));
    const other = fork(5);
    expect(other.cluster.store.get('clusterroles', undefined, 'system:aggregate-to-admin')).toBeDefined();
    expect(other.cluster.store.get('clusterroles', undefined, 'reader')).toBeUndefined();
  });

  it('refuses an unknown creation mode with a clear error', () => {
    expect(() => createCluster({ creation: 'copy' as 'fork' })).toThrow(
      `createCluster: creation must be 'fork' or 'boot', got "copy"`,
    );
  });
});
