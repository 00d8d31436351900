import type { KubeEvent, Pod } from '../api/types';
import type { Cluster } from '../cluster';
import {
  advanceUntil,
  allRunning,
  BOOTCAMP_V1,
  BOOTCAMP_V10,
  deploymentFor,
  labCluster,
  podsOf,
} from '../testing';
import { backoffFor } from './kubelet';

function events(cluster: Cluster, pod: string): KubeEvent[] {
  return cluster.api
    .list<KubeEvent>('events', { namespace: 'default', fieldSelector: `involvedObject.name=${pod}` })
    .sort(
      (a, b) =>
        Date.parse(a.firstTimestamp) - Date.parse(b.firstTimestamp) ||
        Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
    );
}

function waitingReason(pod: Pod): string | undefined {
  return pod.status?.containerStatuses?.[0]?.state.waiting?.reason;
}

describe('kubelet', () => {
  it('takes a pod through ContainerCreating to Running with the real event sequence', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor('yanwei.app', BOOTCAMP_V1));
    const [pending] = podsOf(cluster, 'yanwei.app');
    expect(pending.spec.nodeName).toBe('minikube');
    expect(pending.status?.phase).toBe('Pending');
    expect(waitingReason(pending)).toBe('ContainerCreating');
    expect(pending.status?.podIP).toBeUndefined();
    clock.advance(1000);
    const creating = podsOf(cluster, 'yanwei.app')[0];
    expect(creating.status?.podIP).toBe('10.244.0.3');
    expect(waitingReason(creating)).toBe('ContainerCreating');
    const waited = advanceUntil(cluster, clock, () => allRunning(cluster, 'yanwei.app', 1), 60_000, 100);
    expect(waited).toBeGreaterThan(10_000);
    const pod = podsOf(cluster, 'yanwei.app')[0];
    const status = pod.status!;
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(status.containerStatuses?.[0]).toMatchObject({
      name: 'kubernetes-bootcamp',
      ready: true,
      restartCount: 0,
      started: true,
      image: BOOTCAMP_V1,
      imageID:
        'docker-pullable://gcr.io/google-samples/kubernetes-bootcamp@sha256:0d6b8ee63bb57c5f5b6156f446b3bc3b3c143d233037f3a2f00e279c8fcc64af',
    });
    expect(status.containerStatuses?.[0].containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    expect(status).toMatchObject({ hostIP: '192.168.49.2', qosClass: 'BestEffort' });
    const texts = events(cluster, pod.metadata.name).map(
      (e) => `${e.type} ${e.reason} ${e.source.component}: ${e.message}`,
    );
    expect(texts[0]).toBe(
      `Normal Scheduled default-scheduler: Successfully assigned default/${pod.metadata.name} to minikube`,
    );
    expect(texts[1]).toBe(`Normal Pulling kubelet: Pulling image "${BOOTCAMP_V1}"`);
    expect(texts[2]).toMatch(
      /^Normal Pulled kubelet: Successfully pulled image "gcr\.io\/google-samples\/kubernetes-bootcamp:v1" in 1\d\.\d{1,3}s \(1\d\.\d{1,3}s including waiting\)\. Image size: 211336459 bytes\.$/,
    );
    expect(texts.slice(3)).toEqual([
      'Normal Created kubelet: Created container kubernetes-bootcamp',
      'Normal Started kubelet: Started container kubernetes-bootcamp',
    ]);
    expect(events(cluster, pod.metadata.name)[1].involvedObject.fieldPath).toBe(
      'spec.containers{kubernetes-bootcamp}',
    );
  });

  it('reports later pulls of the same image on the node as already present', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor('first', BOOTCAMP_V1));
    advanceUntil(cluster, clock, () => allRunning(cluster, 'first', 1), 60_000);
    cluster.api.create(deploymentFor('second', BOOTCAMP_V1));
    const waited = advanceUntil(cluster, clock, () => allRunning(cluster, 'second', 1), 60_000, 100);
    expect(waited).toBeLessThan(3000);
    const pod = podsOf(cluster, 'second')[0];
    expect(events(cluster, pod.metadata.name).map((e) => e.message)).toContain(
      `Container image "${BOOTCAMP_V1}" already present on machine`,
    );
  });

  it('serialises concurrent first pulls: the second pod reports its waiting time', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor('pair', BOOTCAMP_V1, 2));
    advanceUntil(cluster, clock, () => allRunning(cluster, 'pair', 2), 60_000);
    const pulled = podsOf(cluster, 'pair')
      .flatMap((p) => events(cluster, p.metadata.name))
      .filter((e) => e.reason === 'Pulled')
      .map((e) => /in (\S+) \((\S+) including waiting\)/.exec(e.message)!.slice(1));
    expect(pulled).toHaveLength(2);
    const waitedLonger = pulled.find(([took, total]) => took !== total);
    expect(waitedLonger?.[0]).toMatch(/^\d+ms$/);
  });

  it('backs off failed pulls 10 s, 20 s, 40 s ... capped at 5 min, alternating ErrImagePull and ImagePullBackOff', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor('broken', BOOTCAMP_V10));
    const transitions: [number, string][] = [];
    let last: string | undefined;
    const start = clock.now();
    for (let t = 0; t <= 15 * 60_000; t += 100) {
      const reason = waitingReason(podsOf(cluster, 'broken')[0]);
      if (reason !== last) transitions.push([clock.now() - start, reason ?? 'none']);
      last = reason;
      clock.advance(100);
    }
    const failures = transitions.filter(([, r]) => r === 'ErrImagePull').map(([t]) => t);
    expect(transitions[0][1]).toBe('ContainerCreating');
    expect(transitions.slice(1, 5).map(([, r]) => r)).toEqual([
      'ErrImagePull',
      'ImagePullBackOff',
      'ErrImagePull',
      'ImagePullBackOff',
    ]);
    expect(failures.length).toBeGreaterThanOrEqual(7);
    for (let i = 1; i < failures.length; i++) {
      // Gap = the back-off after failure i, plus the registry round trip of the retried pull (0.9–1.9 s).
      const extra = failures[i] - failures[i - 1] - backoffFor(i);
      expect(extra).toBeGreaterThanOrEqual(900);
      expect(extra).toBeLessThanOrEqual(2000);
    }
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffFor(n) / 1000)).toEqual([10, 20, 40, 80, 160, 300, 300]);
    const pod = podsOf(cluster, 'broken')[0];
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ ready: false, restartCount: 0 });
    const byKey = new Map(events(cluster, pod.metadata.name).map((e) => [`${e.reason}: ${e.message}`, e]));
    expect(byKey.get(`Pulling: Pulling image "${BOOTCAMP_V10}"`)?.count).toBe(failures.length);
    expect(byKey.get('Failed: Error: ErrImagePull')?.count).toBe(failures.length);
    expect(byKey.get(`BackOff: Back-off pulling image "${BOOTCAMP_V10}"`)?.type).toBe('Normal');
    expect(byKey.get('Failed: Error: ImagePullBackOff')?.type).toBe('Warning');
    expect(
      byKey.get(
        'Failed: Failed to pull image "gcr.io/google-samples/kubernetes-bootcamp:v10": rpc error: code = Unknown desc = Error response from daemon: manifest for gcr.io/google-samples/kubernetes-bootcamp:v10 not found: manifest unknown: Failed to fetch "v10" from request "/v2/google-samples/kubernetes-bootcamp/manifests/v10".',
      ),
    ).toBeDefined();
  });

  it('marks an unparsable image InvalidImageName without pulling', () => {
    const { cluster, clock } = labCluster();
    const d = deploymentFor('bad', 'nginx');
    d.spec.template.spec.containers[0].image = 'Nginx:Latest';
    cluster.api.create(d);
    clock.advance(5000);
    const pod = podsOf(cluster, 'bad')[0];
    expect(waitingReason(pod)).toBe('InvalidImageName');
    expect(events(cluster, pod.metadata.name).some((e) => e.reason === 'Pulling')).toBe(false);
  });

  it('keeps a Terminating bootcamp pod for the grace period, and removes a never-started one at once', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor('yanwei.app', BOOTCAMP_V1));
    cluster.api.create(deploymentFor('broken', BOOTCAMP_V10));
    advanceUntil(cluster, clock, () => allRunning(cluster, 'yanwei.app', 1), 60_000);
    const running = podsOf(cluster, 'yanwei.app')[0];
    const broken = podsOf(cluster, 'broken')[0];
    const deleted = cluster.api.delete('pods', 'default', running.metadata.name) as Pod;
    expect(deleted.metadata.deletionGracePeriodSeconds).toBe(30);
    cluster.api.delete('pods', 'default', broken.metadata.name);
    clock.advance(1000);
    expect(cluster.api.list<Pod>('pods', { namespace: 'default' }).map((p) => p.metadata.name)).toContain(
      running.metadata.name,
    );
    expect(cluster.api.list<Pod>('pods', { namespace: 'default' }).map((p) => p.metadata.name)).not.toContain(
      broken.metadata.name,
    );
    clock.advance(28_000);
    expect(cluster.api.list<Pod>('pods', { namespace: 'default' }).map((p) => p.metadata.name)).toContain(
      running.metadata.name,
    );
    clock.advance(2_000);
    expect(cluster.api.list<Pod>('pods', { namespace: 'default' }).map((p) => p.metadata.name)).not.toContain(
      running.metadata.name,
    );
  });

  it('restarts a busybox container that exits at once (CrashLoopBackOff)', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor('bb', 'busybox'));
    clock.advance(5_000);
    const seen = new Set<string>();
    for (let i = 0; i < 120; i++) {
      clock.advance(500);
      const pod = podsOf(cluster, 'bb')[0];
      seen.add(waitingReason(pod) ?? 'Running');
    }
    const pod = podsOf(cluster, 'bb')[0];
    expect(seen.has('CrashLoopBackOff')).toBe(true);
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.containerStatuses?.[0].restartCount).toBeGreaterThanOrEqual(3);
    expect(pod.status?.containerStatuses?.[0].lastState.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
  });

  it('restarts a sidecar that exits even under restartPolicy Never, and keeps the pod Running', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'flaky', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        initContainers: [
          {
            name: 'side',
            image: 'busybox:1.36',
            restartPolicy: 'Always',
            command: ['sh', '-c', 'sleep 2; exit 1'],
          },
          {
            name: 'probed',
            image: 'busybox:1.36',
            restartPolicy: 'Always',
            command: ['sleep', '3600'],
            livenessProbe: { exec: { command: ['cat', '/nope'] }, periodSeconds: 5, failureThreshold: 1 },
          },
        ],
        containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      },
    } as Pod);
    clock.advance(40_000);
    const pod = cluster.api.get<Pod>('pods', 'default', 'flaky')!;
    expect(pod.status?.phase).toBe('Running');
    const side = pod.status!.initContainerStatuses![0];
    expect(side.restartCount).toBeGreaterThanOrEqual(2);
    expect(side.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(pod.status!.containerStatuses![0]).toMatchObject({ restartCount: 0, ready: true });
    expect(pod.status!.conditions!.find((c) => c.type === 'Initialized')!.status).toBe('True');
    const kills = cluster.api
      .list<KubeEvent>('events', {
        namespace: 'default',
        fieldSelector: 'involvedObject.name=flaky,reason=Killing',
      })
      .map((e) => `${e.involvedObject.fieldPath} ${e.message}`);
    expect(kills[0]).toBe('spec.initContainers{probed} Init container probed failed liveness probe');
  });
});
