import type { FlowSchema, PriorityLevelConfiguration } from '../api/cluster-types';
import type { Pod } from '../api/types';
import { servedGroups } from '../http/discovery';
import { inTableOrder } from '../kubectl/printers/columns';
import { labCluster } from '../testing';

describe("the API machinery's boot objects", () => {
  const { cluster } = labCluster();

  it('registers a Local, available APIService for every built-in group/version', () => {
    const names = cluster.api.list('apiservices').map((a) => a.metadata.name);
    const builtIn = servedGroups().filter((g) => g.resources.some((r) => !r.aggregated));
    expect(names.sort()).toEqual(builtIn.map((g) => `${g.version}.${g.group}`).sort());
    expect(names).toContain('v1.');
    expect(names).toContain('v1beta3.flowcontrol.apiserver.k8s.io');
  });

  it('writes flow control whose every FlowSchema names an existing priority level', () => {
    const levels = new Set(
      cluster.api.list<PriorityLevelConfiguration>('prioritylevelconfigurations').map((p) => p.metadata.name),
    );
    const schemas = cluster.api.list<FlowSchema>('flowschemas');
    expect(schemas.length).toBe(13);
    for (const fs of schemas) expect(levels.has(fs.spec.priorityLevelConfiguration.name)).toBe(true);
    // The server's table lists them as flow control evaluates them: by matching precedence.
    const ordered = inTableOrder('flowschemas', schemas).map((f) => f.metadata.name);
    expect(ordered.slice(0, 2)).toEqual(['exempt', 'probes']);
    expect(ordered[ordered.length - 1]).toBe('catch-all');
  });

  it("gives the node its CSINode, owned by the node, and kube-system the control plane's leases", () => {
    const node = cluster.api.get('nodes', undefined, 'minikube');
    const csiNode = cluster.api.get('csinodes', undefined, 'minikube');
    expect(csiNode.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Node', name: 'minikube', uid: node.metadata.uid },
    ]);
    const leases = cluster.api.list('leases', { namespace: 'kube-system' }).map((l) => l.metadata.name);
    expect(leases).toEqual(expect.arrayContaining(['kube-controller-manager', 'kube-scheduler']));
    expect(leases.filter((n) => n.startsWith('apiserver-'))).toHaveLength(1);
  });

  it('answers ComponentStatus from the control plane, never stored', () => {
    expect(cluster.api.list('componentstatuses').map((c) => c.metadata.name)).toEqual([
      'controller-manager',
      'etcd-0',
      'scheduler',
    ]);
    expect(() => cluster.api.get('componentstatuses', undefined, 'nope')).toThrow(
      'componentstatuses "nope" not found',
    );
  });

  it('binds a pending pod through a Binding once, and refuses a second binding', () => {
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'manual', namespace: 'default' },
      spec: { schedulerName: 'none', containers: [{ name: 'app', image: 'busybox:1.36' }] },
    } as Pod);
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'manual', namespace: 'default' },
      target: { kind: 'Node', name: 'minikube' },
    };
    expect(cluster.api.create(binding)).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    expect(cluster.api.get<Pod>('pods', 'default', 'manual').spec.nodeName).toBe('minikube');
    expect(() => cluster.api.create(binding)).toThrow(
      'Operation cannot be fulfilled on pods/binding "manual": pod manual is already assigned to node "minikube"',
    );
    expect(() => cluster.api.list('bindings', { namespace: 'default' })).toThrow();
  });
});
