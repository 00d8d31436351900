import type { Endpoints, KubeEvent, Pod, Probe } from '../api/types';
import { restoreCluster, type Cluster } from '../cluster';
import { StatusError } from '../api/status-error';
import { labCluster, LAB_START } from '../testing';

function pod(name: string, container: Partial<Pod['spec']['containers'][number]>, labels = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36', ...container }] },
  };
}

const get = (cluster: Cluster, name: string) => cluster.api.get<Pod>('pods', 'default', name)!;
const status = (cluster: Cluster, name: string) => get(cluster, name).status!.containerStatuses![0];
const ready = (cluster: Cluster, name: string) =>
  get(cluster, name).status!.conditions!.find((c) => c.type === 'Ready')!;

function events(cluster: Cluster, name: string): string[] {
  return cluster.api
    .list<KubeEvent>('events', { namespace: 'default', fieldSelector: `involvedObject.name=${name}` })
    .filter((e) => e.reason === 'Unhealthy' || e.reason === 'Killing' || e.reason === 'BackOff')
    .map((e) => `${e.count} ${e.reason}: ${e.message}`);
}

/** Advances to `ms` after LAB_START. */
function at(cluster: Cluster, clock: { advance(ms: number): void; now(): number }, ms: number): void {
  clock.advance(LAB_START + ms - clock.now());
  cluster.sync();
}

const exec = (command: string[], extra: Partial<Probe> = {}): Probe => ({ exec: { command }, ...extra });

describe('prober', () => {
  it('keeps a pod out of its Service until the readiness probe passes, and out again when it fails', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(
      pod(
        'web',
        {
          command: ['sh', '-c', 'sleep 20; touch /tmp/ready; sleep 30; rm /tmp/ready; sleep 3600'],
          readinessProbe: exec(['cat', '/tmp/ready'], { periodSeconds: 5, failureThreshold: 2 }),
        },
        { app: 'web' },
      ),
    );
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    const endpoints = () => {
      const subset = cluster.api.get<Endpoints>('endpoints', 'default', 'web')!.subsets?.[0];
      return `ready=[${(subset?.addresses ?? []).map((a) => a.ip)}] notReady=[${(subset?.notReadyAddresses ?? []).map((a) => a.ip)}]`;
    };
    at(cluster, clock, 15_000);
    expect(status(cluster, 'web')).toMatchObject({ started: true, ready: false });
    expect(endpoints()).toBe('ready=[] notReady=[10.244.0.3]');
    // The file appears at ~22 s; the 25 s tick sees it.
    at(cluster, clock, 26_000);
    expect(status(cluster, 'web').ready).toBe(true);
    expect(ready(cluster, 'web')).toMatchObject({
      status: 'True',
      lastTransitionTime: '2024-06-03T02:15:25Z',
    });
    expect(endpoints()).toBe('ready=[10.244.0.3] notReady=[]');
    // Gone at ~52 s: failures at 55 s and 60 s (failureThreshold 2) take it out.
    at(cluster, clock, 57_000);
    expect(status(cluster, 'web').ready).toBe(true);
    at(cluster, clock, 61_000);
    expect(ready(cluster, 'web')).toMatchObject({
      status: 'False',
      lastTransitionTime: '2024-06-03T02:16:00Z',
    });
    expect(endpoints()).toBe('ready=[] notReady=[10.244.0.3]');
    expect(status(cluster, 'web').restartCount).toBe(0);
  });

  it('kills a container failing its liveness probe after the grace period and starts it again', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(
      pod('live', {
        args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
        livenessProbe: exec(['cat', '/tmp/healthy'], { initialDelaySeconds: 5, periodSeconds: 5 }),
      }),
    );
    at(cluster, clock, 45_500);
    expect(events(cluster, 'live')).toEqual([
      "3 Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
      '1 Killing: Container c failed liveness probe, will be restarted',
    ]);
    // busybox's sh ignores SIGTERM: it runs until the 30 s grace period ends, then SIGKILL.
    expect(status(cluster, 'live')).toMatchObject({ restartCount: 0, ready: true });
    at(cluster, clock, 76_000);
    const restarted = status(cluster, 'live');
    expect(restarted.restartCount).toBe(1);
    expect(restarted.lastState.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
      finishedAt: '2024-06-03T02:16:15Z',
    });
    expect(restarted.state.running).toBeDefined();
  });

  it('restarts nothing under restartPolicy Never: the killed container ends the pod', () => {
    const { cluster, clock } = labCluster();
    const never = pod('once', {
      image: 'nginx:1.25',
      livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 2, failureThreshold: 1 },
    });
    never.spec.restartPolicy = 'Never';
    cluster.api.create(never);
    at(cluster, clock, 40_000);
    expect(get(cluster, 'once').status!.phase).toBe('Succeeded');
    expect(events(cluster, 'once')).toEqual([
      '1 Unhealthy: Liveness probe failed: dial tcp 10.244.0.3:8080: connect: connection refused',
      '1 Killing: Container c failed liveness probe',
    ]);
  });

  it('holds liveness and readiness back until the startup probe passes, and kills when it never does', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(
      pod('never-starts', {
        image: 'nginx:1.25',
        startupProbe: { httpGet: { path: '/started', port: 80 }, periodSeconds: 3, failureThreshold: 2 },
        livenessProbe: { tcpSocket: { port: 9999 } },
        readinessProbe: { httpGet: { path: '/', port: 80 } },
      }),
    );
    at(cluster, clock, 20_000);
    expect(events(cluster, 'never-starts')).toEqual([
      // nginx stops at once on SIGTERM: two instances have failed twice each by now.
      '4 Unhealthy: Startup probe failed: HTTP probe failed with statuscode: 404',
      '2 Killing: Container c failed startup probe, will be restarted',
    ]);
    expect(events(cluster, 'never-starts').join('\n')).not.toMatch(/Liveness|Readiness/);
    expect(status(cluster, 'never-starts')).toMatchObject({ started: false, ready: false });
  });

  it('reports a named port the container does not have as an errored probe and keeps its result', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(
      pod('named', { image: 'nginx:1.25', livenessProbe: { httpGet: { path: '/', port: 'http' } } }),
    );
    at(cluster, clock, 60_000);
    expect(events(cluster, 'named')[0]).toMatch(
      /^\d+ Unhealthy: Liveness probe errored: strconv.Atoi: parsing "http": invalid syntax$/,
    );
    expect(status(cluster, 'named')).toMatchObject({ restartCount: 0, ready: true });
  });

  it('fails exec probes that outlast timeoutSeconds and HTTP probes nobody answers in time', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(
      pod('slow', {
        command: ['sleep', '3600'],
        livenessProbe: exec(['sleep', '5'], { periodSeconds: 5 }),
        readinessProbe: exec(['sh', '-c', 'sleep 2; true'], { timeoutSeconds: 3, periodSeconds: 5 }),
      }),
    );
    cluster.api.create(
      pod('far', {
        image: 'nginx:1.25',
        readinessProbe: { httpGet: { host: '203.0.113.9', path: '/healthz', port: 80 }, periodSeconds: 5 },
      }),
    );
    at(cluster, clock, 16_000);
    expect(events(cluster, 'slow')).toEqual([
      '3 Unhealthy: Liveness probe failed: command "sleep 5" timed out',
      '1 Killing: Container c failed liveness probe, will be restarted',
    ]);
    expect(status(cluster, 'slow').ready).toBe(true);
    // Each run returns when the runtime gives up, timeoutSeconds after the tick; the 2 s command under a 3 s
    // timeout returns after 2 s, successfully.
    const unhealthy = cluster.api
      .list<KubeEvent>('events', {
        namespace: 'default',
        fieldSelector: 'involvedObject.name=slow,reason=Unhealthy',
      })
      .map((e) => [e.firstTimestamp, e.lastTimestamp]);
    expect(unhealthy).toEqual([['2024-06-03T02:15:06Z', '2024-06-03T02:15:16Z']]);
    expect(events(cluster, 'far')).toEqual([
      '2 Unhealthy: Readiness probe failed: Get "http://203.0.113.9:80/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    ]);
  });

  it('carries the workers through a snapshot', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(
      pod('snap', {
        args: ['sh', '-c', 'sleep 12; touch /tmp/ok; sleep 3600'],
        readinessProbe: exec(['cat', '/tmp/ok'], { periodSeconds: 4 }),
      }),
    );
    at(cluster, clock, 6_000);
    const restored = restoreCluster(cluster.snapshot(), { clock });
    at(restored, clock, 17_000);
    at(cluster, clock, 17_000);
    expect(status(restored, 'snap').ready).toBe(true);
    expect(get(restored, 'snap').status).toEqual(get(cluster, 'snap').status);
  });

  it('rejects invalid probes with the API server messages', () => {
    const { cluster } = labCluster();
    const bad = pod('bad', {
      livenessProbe: { grpc: { port: 0 }, successThreshold: 3, timeoutSeconds: -2 },
      readinessProbe: { httpGet: { port: 'web-port-name-too-long', scheme: 'FTP' as 'HTTP' } },
    });
    let error: unknown;
    try {
      cluster.api.create(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).status.details?.causes).toEqual([
      {
        field: 'spec.containers[0].livenessProbe.grpc.port',
        message: 'Invalid value: 0: must be between 1 and 65535, inclusive',
      },
      {
        field: 'spec.containers[0].livenessProbe.timeoutSeconds',
        message: 'Invalid value: -2: must be greater than or equal to 0',
      },
      { field: 'spec.containers[0].livenessProbe.successThreshold', message: 'Invalid value: 3: must be 1' },
      {
        field: 'spec.containers[0].readinessProbe.httpGet.port',
        message: 'Invalid value: "web-port-name-too-long": must be no more than 15 characters',
      },
      {
        field: 'spec.containers[0].readinessProbe.httpGet.scheme',
        message: 'Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
      },
    ]);
    const init = pod('init', {});
    init.spec.initContainers = [{ name: 'setup', image: 'busybox', readinessProbe: exec(['true']) }];
    expect(() => cluster.api.create(init)).toThrow(
      'Pod "init" is invalid: spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    );
  });
});
