import type { Pod } from '../api/types';
import { ReplicaCalculationError, resourceReplicas, type PodUsage } from './hpa-replicas';

const T0 = Date.UTC(2024, 5, 3, 2, 0, 0);
const MIN = 60_000;

/** A Running pod started at `startedAt`, Ready since `readyAt`, requesting 200m CPU. */
function pod(
  name: string,
  startedAt = T0,
  readyAt = T0 + 5_000,
  phase: 'Running' | 'Pending' = 'Running',
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [
        { name: 'php', image: 'registry.k8s.io/hpa-example', resources: { requests: { cpu: '200m' } } },
      ],
    },
    status: {
      phase,
      startTime: new Date(startedAt).toISOString(),
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(readyAt).toISOString() }],
    },
  } as unknown as Pod;
}

function usage(entries: [string, number][], at = T0 + 20 * MIN): Map<string, PodUsage> {
  return new Map(entries.map(([name, milli]) => [name, { milli, timestamp: at, windowMs: MIN }]));
}

const now = T0 + 20 * MIN;

describe('HPA replica calculation (v1.30 replica_calculator)', () => {
  it('keeps the count within the 0.1 tolerance', () => {
    const result = resourceReplicas({
      currentReplicas: 2,
      targetUtilization: 50,
      resource: 'cpu',
      pods: [pod('a'), pod('b')],
      usage: usage([
        ['a', 105],
        ['b', 105],
      ]),
      now,
    });
    expect(result).toEqual({ replicas: 2, utilization: 52, rawAverage: 105 });
  });

  it('scales by the usage ratio, rounding up', () => {
    const result = resourceReplicas({
      currentReplicas: 1,
      targetUtilization: 50,
      resource: 'cpu',
      pods: [pod('a')],
      usage: usage([['a', 500]]),
      now,
    });
    expect(result).toEqual({ replicas: 5, utilization: 250, rawAverage: 500 });
  });

  it('counts pods without metrics as idle when scaling up, and as at their request when scaling down', () => {
    const pods = [pod('a'), pod('b'), pod('c')];
    const up = resourceReplicas({
      currentReplicas: 3,
      targetUtilization: 50,
      resource: 'cpu',
      pods,
      usage: usage([
        ['a', 300],
        ['b', 300],
      ]),
      now,
    });
    // 600m over 3 × 200m requested = 100%: ratio 2 → 6 replicas.
    expect(up.replicas).toBe(6);
    const down = resourceReplicas({
      currentReplicas: 3,
      targetUtilization: 50,
      resource: 'cpu',
      pods,
      usage: usage([
        ['a', 10],
        ['b', 10],
      ]),
      now,
    });
    // The missing pod counts as using 100% of its request: (10 + 10 + 200) / 600 = 36% → ratio 0.72 → 3 × 0.72.
    expect(down.replicas).toBe(3);
  });

  it('leaves out a starting pod until it was sampled a full window after becoming ready', () => {
    const young = pod('b', now - 2 * MIN, now - 90_000);
    const result = resourceReplicas({
      currentReplicas: 2,
      targetUtilization: 50,
      resource: 'cpu',
      pods: [pod('a'), young],
      usage: usage(
        [
          ['a', 400],
          ['b', 400],
        ],
        now - 60_000,
      ),
      now,
    });
    // b is unready (its sample predates ready + window) and counts as idle: (400 + 0) / 400 → ratio 2 → 4.
    expect(result.replicas).toBe(4);
    expect(result.utilization).toBe(200);
  });

  it('names the container without a request', () => {
    const bare = pod('a');
    bare.spec.containers[0].resources = {};
    expect(() =>
      resourceReplicas({
        currentReplicas: 1,
        targetUtilization: 50,
        resource: 'cpu',
        pods: [bare],
        usage: usage([['a', 10]]),
        now,
      }),
    ).toThrow(new ReplicaCalculationError('missing request for cpu in container php of Pod a'));
  });

  it('refuses when no pod has usable metrics', () => {
    expect(() =>
      resourceReplicas({
        currentReplicas: 1,
        targetUtilization: 50,
        resource: 'cpu',
        pods: [pod('a', T0, T0, 'Pending')],
        usage: usage([]),
        now,
      }),
    ).toThrow('did not receive metrics for targeted pods (pods might be unready)');
  });
});
