import { Logger } from '@nestjs/common';
import { BadDriver, FakeDriver } from '../clusters/testing/fake-drivers';
import { ClusterUnavailableError } from './cluster-lookup.service';
import { clusterHarness } from './testing/cluster-harness';

beforeAll(() => Logger.overrideLogger(false));

/** The statuses announced to the session, without repeats (progress repeats 'provisioning'). */
function announcedStatuses(harness: ReturnType<typeof clusterHarness>): string[] {
  const statuses = harness.events.payloadsOf('cluster.status').map((event) => event.status);
  return statuses.filter((status, index) => status !== statuses[index - 1]);
}

describe('ClusterLifecycleService', () => {
  it('announces requested → provisioning → ready, and records the ready cluster', async () => {
    const driver = new FakeDriver();
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();

    const requested = await harness.lifecycle.ensureCluster(session);
    expect(requested.status).toBe('requested');
    await harness.jobs.settled();

    expect(announcedStatuses(harness)).toEqual(['requested', 'provisioning', 'ready']);
    const events = harness.events.payloadsOf('cluster.status');
    expect(events[0]).toMatchObject({ clusterId: requested.id, message: 'Cluster requested' });
    expect(events.map((event) => event.progress?.step).filter(Boolean)).toEqual([
      'Creating the fake cluster',
      'Cluster ready',
    ]);
    expect(events.at(-1)).toMatchObject({ status: 'ready', message: 'Cluster ready' });
    expect(harness.events.emitted.every((event) => event.room === `session:${session.id}`)).toBe(true);

    const record = await harness.clusters.findById(requested.id);
    expect(record).toMatchObject({ status: 'ready', driver: 'fake', host: null, snapshotVersion: 'v0' });
    expect(driver.callsOf('provision')).toEqual([{ method: 'provision', clusterId: requested.id }]);
    // Deadlines are set when the cluster is requested.
    expect((await harness.sessions.findById(session.id))?.idleExpiresAt).toBeInstanceOf(Date);
  });

  it('answers the live cluster instead of requesting a second one', async () => {
    const harness = clusterHarness(new FakeDriver());
    const session = harness.sessions.add();
    const first = await harness.lifecycle.ensureCluster(session);
    await harness.jobs.settled();
    expect((await harness.lifecycle.ensureCluster(session)).id).toBe(first.id);
    expect(harness.jobs.queued).toHaveLength(1);
  });

  it('ends failed with a clear message when the driver cannot provision, and leaves nothing', async () => {
    const driver = new BadDriver('no capacity on any host');
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();

    const cluster = await harness.lifecycle.ensureCluster(session);
    await harness.jobs.settled();

    expect(announcedStatuses(harness)).toEqual(['requested', 'provisioning', 'failed']);
    expect(harness.events.payloadsOf('cluster.status').at(-1)).toMatchObject({
      status: 'failed',
      message: 'Cluster could not be created: no capacity on any host',
    });
    expect(await harness.clusters.findById(cluster.id)).toMatchObject({
      status: 'failed',
      error: 'no capacity on any host',
    });
    // Nothing held by the backend, nothing counted against the student's or the platform's caps.
    expect(await driver.list()).toEqual([]);
    expect(await harness.clusters.countLive()).toBe(0);
    expect(await harness.lookup.statusEvent(session)).toMatchObject({
      status: 'failed',
      message: 'no capacity on any host',
    });
  });

  it('makes a command on a failed cluster fail with ClusterUnavailableError', async () => {
    const harness = clusterHarness(new BadDriver('no capacity on any host'));
    const session = harness.sessions.add();
    await harness.lifecycle.ensureCluster(session);
    await harness.jobs.settled();
    // The failed record is not live: the command asks for a new cluster, which fails the same way.
    const attempt = harness.lookup.readyRef(session, 2000);
    await expect(attempt).rejects.toThrow(ClusterUnavailableError);
    await expect(attempt).rejects.toThrow('the cluster could not be created (no capacity on any host)');
  });

  it('brings an idle-stopped cluster back with its state where the driver restores from snapshots', async () => {
    const driver = new FakeDriver();
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();
    const { cluster, ref } = await harness.lookup.readyRef(session);
    await driver.exec(ref, 'kubectl create deployment web', sink(), new AbortController().signal);

    await harness.lifecycle.stop({ clusterId: cluster.id, reason: 'idle' });
    expect(await harness.clusters.findById(cluster.id)).toMatchObject({
      status: 'gone',
      snapshotVersion: 'v1',
    });
    expect(harness.events.payloadsOf('cluster.status').at(-1)?.message).toMatch(/comes back with your work/);

    const resumed = await harness.lifecycle.ensureCluster(session);
    await harness.jobs.settled();
    expect(harness.events.payloadsOf('cluster.status').find((e) => e.clusterId === resumed.id)?.message).toBe(
      'Restoring your cluster',
    );
    expect(driver.linesOf(resumed.id)).toEqual(['kubectl create deployment web']);
  });

  it('starts fresh where the driver cannot restore from snapshots, and after a reset', async () => {
    const driver = new FakeDriver({ capabilities: { restoresFromSnapshot: false } });
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();
    const { cluster, ref } = await harness.lookup.readyRef(session);
    await driver.exec(ref, 'kubectl create deployment web', sink(), new AbortController().signal);
    await harness.lifecycle.stop({ clusterId: cluster.id, reason: 'idle' });

    const next = await harness.lifecycle.ensureCluster(session);
    await harness.jobs.settled();
    expect(harness.events.payloadsOf('cluster.status').find((e) => e.clusterId === next.id)?.message).toBe(
      'Cluster requested',
    );
    expect(driver.linesOf(next.id)).toEqual([]);
  });

  it('resets: stops the old cluster and provisions a fresh one', async () => {
    const driver = new FakeDriver();
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();
    const { cluster: old, ref } = await harness.lookup.readyRef(session);
    await driver.exec(ref, 'kubectl create deployment web', sink(), new AbortController().signal);

    const fresh = await harness.lifecycle.reset((await harness.sessions.findById(session.id))!);
    await harness.jobs.settled();

    expect(fresh.id).not.toBe(old.id);
    expect(await harness.clusters.findById(old.id)).toMatchObject({ status: 'gone', error: 'reset' });
    expect(driver.callsOf('destroy')).toEqual([{ method: 'destroy', clusterId: old.id }]);
    expect(await harness.clusters.findById(fresh.id)).toMatchObject({ status: 'ready' });
    expect(driver.linesOf(fresh.id)).toEqual([]);
  });

  it('records the host of a cluster on a multi-host driver', async () => {
    const harness = clusterHarness(new FakeDriver({ capabilities: { multiHost: true }, host: 'docker-b' }));
    const session = harness.sessions.add();
    const { cluster } = await harness.lookup.readyRef(session);
    expect(cluster.host).toBe('docker-b');
    expect(await harness.lookup.hostOf(session.id)).toBe('docker-b');
  });

  it('refuses a cluster beyond the per-student cap', async () => {
    const harness = clusterHarness(new FakeDriver(), { env: { CLUSTERS_PER_STUDENT: '1' } });
    const first = harness.sessions.add();
    const second = harness.sessions.add({ userId: first.userId });
    await harness.lifecycle.ensureCluster(first);
    await expect(harness.lifecycle.ensureCluster(second)).rejects.toThrow(/already have 1 running cluster/);
  });
});

function sink() {
  return { stdout: () => undefined, stderr: () => undefined };
}
