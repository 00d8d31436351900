import type { Node, Pod, PodStatus } from '../api/types';
import { labCluster } from '../testing';

describe('pod GC', () => {
  it('marks a pod on a deleted node Failed with DisruptionTarget and deletes it after the 40 s quarantine', () => {
    const { cluster, clock } = labCluster({ nodeCount: 2 });
    const node = cluster.api.list<Node>('nodes', {})[1].metadata.name;
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'far', namespace: 'default' },
      spec: {
        nodeName: node,
        containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      },
    } as Pod);
    clock.advance(10_000);
    cluster.sync();
    expect(cluster.api.get<Pod>('pods', 'default', 'far')!.status!.phase).toBe('Running');
    const seen: [string, PodStatus['phase'] | undefined, unknown][] = [];
    const stop = cluster.api.watch('pods', { namespace: 'default' }, (type, obj) => {
      const pod = obj as Pod;
      const target = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
      seen.push([type, pod.status?.phase, target && { ...target, lastTransitionTime: '' }]);
    });
    cluster.api.delete('nodes', undefined, node);
    cluster.sync();
    // The node must stay missing for 40 s before its pods go.
    clock.advance(39_000);
    cluster.sync();
    expect(seen).toEqual([]);
    expect(cluster.api.get<Pod>('pods', 'default', 'far')!.status!.phase).toBe('Running');
    clock.advance(1_000);
    cluster.sync();
    stop();
    expect(seen).toEqual([
      [
        'MODIFIED',
        'Failed',
        {
          type: 'DisruptionTarget',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: '',
          reason: 'DeletionByPodGC',
          message: 'PodGC: node no longer exists',
        },
      ],
      ['DELETED', 'Failed', expect.anything()],
    ]);
    expect(() => cluster.api.get<Pod>('pods', 'default', 'far')).toThrow('pods "far" not found');
  });
});
