import type { KubeEvent, Node, Pod } from '../api/types';
import { checkInvariants } from '../invariants';
import { advanceUntil, allRunning, BOOTCAMP_V1, deploymentFor, labCluster, podsOf } from '../testing';

describe('scheduler', () => {
  it('creates extra nodes named like minikube with their own IPs and pod subnets', () => {
    const { cluster } = labCluster({ nodeCount: 3 });
    const nodes = cluster.api.list<Node>('nodes');
    expect(nodes.map((n) => n.metadata.name)).toEqual(['minikube', 'minikube-m02', 'minikube-m03']);
    expect(nodes.map((n) => n.status.addresses[0].address)).toEqual([
      '192.168.49.2',
      '192.168.49.3',
      '192.168.49.4',
    ]);
    expect(nodes.map((n) => n.spec.podCIDR)).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    expect(nodes[0].metadata.labels).toHaveProperty(['node-role.kubernetes.io/control-plane'], '');
    expect(nodes[1].metadata.labels).not.toHaveProperty(['node-role.kubernetes.io/control-plane']);
    expect(nodes[1].metadata.labels).toMatchObject({
      'kubernetes.io/hostname': 'minikube-m02',
      'minikube.k8s.io/primary': 'false',
    });
    expect(
      cluster.api
        .list<Pod>('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy' })
        .map((p) => p.spec.nodeName),
    ).toEqual(expect.arrayContaining(['minikube', 'minikube-m02', 'minikube-m03']));
  });

  it('spreads replicas over nodes and gives each pod an IP from its node subnet', () => {
    const { cluster, clock } = labCluster({ nodeCount: 2 });
    cluster.api.create(deploymentFor('web', BOOTCAMP_V1, 4));
    advanceUntil(cluster, clock, () => allRunning(cluster, 'web', 4), 120_000);
    const pods = podsOf(cluster, 'web');
    const perNode = new Map<string, number>();
    for (const p of pods) {
      perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
      const subnet = p.spec.nodeName === 'minikube' ? '10.244.0.' : '10.244.1.';
      expect(p.status?.podIP?.startsWith(subnet)).toBe(true);
    }
    expect([...perNode.values()].every((n) => n >= 1)).toBe(true);
    expect(checkInvariants(cluster)).toEqual([]);
  });

  it('honours nodeSelector, and leaves an unmatched pod Pending with the real FailedScheduling text until a node is labelled', () => {
    const { cluster, clock } = labCluster({ nodeCount: 2 });
    const d = deploymentFor('ssd-app', BOOTCAMP_V1);
    d.spec.template.spec.nodeSelector = { disktype: 'ssd' };
    cluster.api.create(d);
    clock.advance(10_000);
    const [pending] = podsOf(cluster, 'ssd-app');
    expect(pending.spec.nodeName).toBeUndefined();
    expect(pending.status?.phase).toBe('Pending');
    expect(pending.status?.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }),
    ]);
    const failed = cluster.api.list<KubeEvent>('events', {
      namespace: 'default',
      fieldSelector: `involvedObject.name=${pending.metadata.name},reason=FailedScheduling`,
    });
    expect(failed.map((e) => [e.type, e.source.component, e.message, e.count])).toEqual([
      [
        'Warning',
        'default-scheduler',
        "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
        1,
      ],
    ]);

    const node = cluster.api.get<Node>('nodes', undefined, 'minikube-m02');
    node.metadata.labels = { ...node.metadata.labels, disktype: 'ssd' };
    cluster.api.update(node);
    advanceUntil(cluster, clock, () => allRunning(cluster, 'ssd-app', 1), 60_000);
    expect(podsOf(cluster, 'ssd-app')[0].spec.nodeName).toBe('minikube-m02');
  });

  it('uses the single-node text on the default cluster', () => {
    const { cluster, clock } = labCluster();
    const d = deploymentFor('ssd-app', BOOTCAMP_V1);
    d.spec.template.spec.nodeSelector = { disktype: 'ssd' };
    cluster.api.create(d);
    clock.advance(1000);
    const [event] = cluster.api.list<KubeEvent>('events', {
      namespace: 'default',
      fieldSelector: 'reason=FailedScheduling',
    });
    expect(event.message).toBe(
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
  });
});
