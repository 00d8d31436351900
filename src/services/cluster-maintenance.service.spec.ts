import { Logger } from '@nestjs/common';
import { FakeDriver } from '../clusters/testing/fake-drivers';
import { JobName } from '../jobs/job.types';
import { clusterHarness } from './testing/cluster-harness';

beforeAll(() => Logger.overrideLogger(false));

/** A backend with its own reconcile that has lost some clusters. */
class LosingDriver extends FakeDriver {
  lost = new Set<string>();

  async reconcile(live: Iterable<string>): Promise<{ removed: string[]; missing: string[] }> {
    return { removed: [], missing: [...live].filter((id) => this.lost.has(id)) };
  }
}

describe('ClusterMaintenanceService', () => {
  it('removes clusters the backend holds that no live record claims', async () => {
    const driver = new FakeDriver();
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();
    const { cluster } = await harness.lookup.readyRef(session);
    await driver.provision(
      { clusterId: 'orphan', labSessionId: 'x', ownerId: 'y', nodeCount: 1 },
      () => undefined,
    );

    expect(await harness.maintenance.reconcile()).toEqual({ removed: ['orphan'], missing: [] });
    expect((await driver.list()).map((held) => held.clusterId)).toEqual([cluster.id]);
  });

  it('marks ready clusters whose resources vanished as gone, and announces it', async () => {
    const driver = new LosingDriver();
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();
    const { cluster } = await harness.lookup.readyRef(session);
    driver.lost.add(cluster.id);

    expect(await harness.maintenance.reconcile()).toEqual({ removed: [], missing: [cluster.id] });
    expect(await harness.clusters.findById(cluster.id)).toMatchObject({ status: 'gone', error: 'missing' });
    expect(harness.events.payloadsOf('cluster.status').at(-1)).toMatchObject({
      status: 'gone',
      message: 'The cluster disappeared; a new one starts with your next command',
    });
    // The next command gets a new cluster.
    const next = await harness.lookup.readyRef(session);
    expect(next.cluster.id).not.toBe(cluster.id);
  });

  it('queues provisioning again for clusters stuck before ready', async () => {
    const harness = clusterHarness(new FakeDriver(), { runJobs: false });
    const session = harness.sessions.add();
    const cluster = await harness.lifecycle.ensureCluster(session);
    harness.clusters.rows[0].createdAt = new Date(Date.now() - 60_000);

    await harness.maintenance.requeueStuck(15_000);
    expect(harness.jobs.queued.map(({ item }) => item)).toEqual([
      // The session routes the job to its worker (SessionRouter).
      { name: JobName.ClusterProvision, data: { clusterId: cluster.id, labSessionId: session.id } },
      { name: JobName.ClusterProvision, data: { clusterId: cluster.id, labSessionId: session.id } },
    ]);
  });

  it('stops clusters past their idle expiry or deadline and warns those about to go idle, once', async () => {
    const harness = clusterHarness(new FakeDriver());
    const idle = harness.sessions.add();
    const late = harness.sessions.add();
    const soon = harness.sessions.add();
    const clusters = {
      idle: (await harness.lookup.readyRef(idle)).cluster,
      late: (await harness.lookup.readyRef(late)).cluster,
      soon: (await harness.lookup.readyRef(soon)).cluster,
    };
    const now = Date.now();
    await harness.sessions.setDeadlines(idle.id, new Date(now - 1000), new Date(now + 3_600_000));
    await harness.sessions.setDeadlines(late.id, new Date(now + 3_600_000), new Date(now - 1000));
    await harness.sessions.setDeadlines(soon.id, new Date(now + 60_000), new Date(now + 3_600_000));

    const warnedOnce = new Set<string>();
    const warned = async (clusterId: string) => !warnedOnce.has(clusterId) && !!warnedOnce.add(clusterId);
    await harness.maintenance.sweep(warned);
    await harness.jobs.settled();

    const stops = harness.jobs.queued.filter(({ item }) => item.name === JobName.ClusterStop);
    expect(stops.map(({ item }) => item.data)).toEqual([
      { clusterId: clusters.idle.id, labSessionId: idle.id, reason: 'idle' },
      { clusterId: clusters.late.id, labSessionId: late.id, reason: 'deadline' },
    ]);
    expect((await harness.clusters.findById(clusters.idle.id))?.status).toBe('gone');
    expect(harness.events.payloadsOf('cluster.idle-warning')).toEqual([
      {
        labSessionId: soon.id,
        clusterId: clusters.soon.id,
        expiresAt: new Date(now + 60_000).toISOString(),
      },
    ]);

    await harness.maintenance.sweep(warned);
    expect(harness.events.payloadsOf('cluster.idle-warning')).toHaveLength(1);
  });
});
