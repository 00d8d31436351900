import { Logger } from '@nestjs/common';
import { FakeDriver, NeverReadyDriver, SlowDriver } from '../clusters/testing/fake-drivers';
import { ClusterUnavailableError } from './cluster-lookup.service';
import { clusterHarness } from './testing/cluster-harness';

beforeAll(() => Logger.overrideLogger(false));

describe('ClusterLookupService', () => {
  it('gives up on a cluster that never becomes ready with ClusterUnavailableError', async () => {
    const driver = new NeverReadyDriver();
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();

    const started = Date.now();
    const attempt = harness.lookup.readyRef(session, 200);
    await expect(attempt).rejects.toThrow(ClusterUnavailableError);
    await expect(attempt).rejects.toThrow('the cluster is still starting; try again shortly');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);

    // One cluster requested, still provisioning: the command did not ask for a second one.
    expect(harness.clusters.rows.map((row) => row.status)).toEqual(['provisioning']);
    expect(await driver.status(harness.clusters.refOf(harness.clusters.rows[0]))).toBe('starting');
  });

  it('waits for a slow driver and answers the ready cluster', async () => {
    const driver = new SlowDriver({ provisionMs: 150, execMs: 10 });
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();

    const started = Date.now();
    const { cluster, ref } = await harness.lookup.readyRef(session, 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(cluster.status).toBe('ready');
    expect(await driver.status(ref)).toBe('ready');

    let out = '';
    const result = await driver.exec(
      ref,
      'kubectl get pods',
      { stdout: (chunk) => (out += chunk), stderr: () => undefined },
      new AbortController().signal,
    );
    expect(result.exitCode).toBe(0);
    expect(out).toBe('kubectl get pods\n');
  });

  it('answers a cached cluster while the epoch holds, and reads again once it changes', async () => {
    const harness = clusterHarness(new FakeDriver());
    const session = harness.sessions.add();
    // Provisioning moved the epoch on after the first lookup read it: the second one fills the cache.
    await harness.lookup.readyRef(session);
    const first = await harness.lookup.readyRef(session);

    const reads = jest.spyOn(harness.clusters, 'liveForSession');
    const again = await harness.lookup.readyRef(session);
    expect(again.cluster.id).toBe(first.cluster.id);
    expect(reads).not.toHaveBeenCalled();

    // Another worker changed the session's cluster.
    await harness.redis.increment(`${harness.config.redisPrefix}:cluster-epoch:${session.id}`);
    await harness.lookup.readyRef(session);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('saves a snapshot only when its version changed, and tells other workers', async () => {
    const driver = new FakeDriver();
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();
    const { cluster, ref } = await harness.lookup.readyRef(session);
    const epochBefore = await harness.lookup.epochOf(session.id);

    await harness.lookup.saveSnapshot(cluster, await driver.snapshot(ref));
    expect(await harness.lookup.epochOf(session.id)).toBe(epochBefore);

    await driver.exec(ref, 'kubectl run web', { stdout() {}, stderr() {} }, new AbortController().signal);
    const changed = await driver.snapshot(ref);
    await harness.lookup.saveSnapshot(cluster, changed);
    expect(await harness.clusters.findById(cluster.id)).toMatchObject({
      snapshotVersion: 'v1',
      snapshot: JSON.stringify(['kubectl run web']),
    });
    expect(await harness.lookup.epochOf(session.id)).not.toBe(epochBefore);
    // This worker keeps its cache, at the newer version.
    const reads = jest.spyOn(harness.clusters, 'liveForSession');
    expect((await harness.lookup.readyCluster(session.id))?.cluster.snapshotVersion).toBe('v1');
    expect(reads).not.toHaveBeenCalled();
  });

  it('keeps its cache for a grading that reads the cluster while it saves a snapshot', async () => {
    const driver = new FakeDriver();
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();
    await harness.lookup.readyRef(session);
    const { cluster, ref } = await harness.lookup.readyRef(session);
    const epochBefore = await harness.lookup.epochOf(session.id);
    await driver.exec(ref, 'kubectl run web', { stdout() {}, stderr() {} }, new AbortController().signal);
    const reads = jest.spyOn(harness.clusters, 'liveForSession');

    // A grading asks while the save is under way (its epoch may be the old one or the new one).
    const saving = harness.lookup.saveSnapshot(cluster, await driver.snapshot(ref));
    const during = await harness.lookup.readyCluster(session.id);
    await saving;
    expect(during?.cluster.id).toBe(cluster.id);
    expect(reads).not.toHaveBeenCalled();

    // A read of the old epoch that ends after the save does not put the older entry back.
    harness.epochs.remember(session.id, epochBefore, cluster);
    expect((await harness.lookup.readyRef(session)).cluster.snapshotVersion).toBe('v1');
    expect(reads).not.toHaveBeenCalled();
  });

  it('does not save a state that only time moved on from the snapshot the record holds', async () => {
    const driver = new FakeDriver();
    const harness = clusterHarness(driver);
    const session = harness.sessions.add();
    const { ref } = await harness.lookup.readyRef(session);
    await driver.exec(ref, 'kubectl run web', { stdout() {}, stderr() {} }, new AbortController().signal);
    const changed = (await driver.snapshot(ref))!;
    await harness.lookup.saveSnapshot((await harness.lookup.readyRef(session)).cluster, changed);
    const epoch = await harness.lookup.epochOf(session.id);
    const held = (await harness.lookup.readyRef(session)).cluster;

    // Its pods started meanwhile: restoring the saved snapshot replays that.
    await harness.lookup.saveSnapshot(held, { data: 'later', version: 'v9', replays: changed.version });
    expect(await harness.clusters.findById(held.id)).toMatchObject({ snapshotVersion: changed.version });
    expect(await harness.lookup.epochOf(session.id)).toBe(epoch);

    // One that follows from another snapshot than the record's is saved.
    await harness.lookup.saveSnapshot(held, { data: 'other', version: 'v10', replays: 'v7' });
    expect(await harness.clusters.findById(held.id)).toMatchObject({
      snapshotVersion: 'v10',
      snapshot: 'other',
    });
  });

  it('finds a ready cluster for grading without requesting one', async () => {
    const harness = clusterHarness(new FakeDriver());
    const session = harness.sessions.add();
    expect(await harness.lookup.readyCluster(session.id)).toBeNull();
    expect(harness.clusters.rows).toHaveLength(0);
    await harness.lookup.readyRef(session);
    expect((await harness.lookup.readyCluster(session.id))?.cluster.status).toBe('ready');
  });

  it('routes by host only on multi-host drivers', async () => {
    const harness = clusterHarness(new FakeDriver());
    const session = harness.sessions.add();
    await harness.lookup.readyRef(session);
    expect(await harness.lookup.hostOf(session.id)).toBeUndefined();
  });
});
