import type { Deployment, KubeEvent, Pod, ReplicaSet } from '../api/types';
import type { Cluster } from '../cluster';
import { checkInvariants } from '../invariants';
import {
  advanceUntil,
  allRunning,
  BOOTCAMP_V1,
  BOOTCAMP_V10,
  BOOTCAMP_V2,
  deploymentFor,
  labCluster,
  labWithApp,
  podsOf,
} from '../testing';
import { REVISION, REVISION_HISTORY } from './owners';

const NAME = 'yanwei.app';

function deployment(cluster: Cluster): Deployment {
  return cluster.api.get<Deployment>('deployments', 'default', NAME);
}

function replicaSets(cluster: Cluster): ReplicaSet[] {
  return cluster.api.list<ReplicaSet>('replicasets', { namespace: 'default', labelSelector: `app=${NAME}` });
}

function setImage(cluster: Cluster, image: string): void {
  const d = deployment(cluster);
  d.spec.template.spec.containers[0].image = image;
  cluster.api.update(d);
}

/** kubectl's rollout-status decision list (reference §3.1), to read the controller's status as the user sees it. */
function rolloutMessage(d: Deployment): string {
  const s = d.status ?? {};
  const want = d.spec.replicas ?? 1;
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0))
    return 'Waiting for deployment spec update to be observed...';
  if (s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded'))
    return 'deadline exceeded';
  if ((s.updatedReplicas ?? 0) < want)
    return `${s.updatedReplicas ?? 0} out of ${want} new replicas have been updated...`;
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0))
    return `${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas are pending termination...`;
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0))
    return `${s.availableReplicas ?? 0} of ${s.updatedReplicas} updated replicas are available...`;
  return 'successfully rolled out';
}

function scalingEvents(cluster: Cluster): string[] {
  return cluster.api
    .list<KubeEvent>('events', {
      namespace: 'default',
      fieldSelector: `involvedObject.kind=Deployment,involvedObject.name=${NAME}`,
    })
    .sort(
      (a, b) =>
        a.firstTimestamp.localeCompare(b.firstTimestamp) ||
        Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
    )
    .map((e) => e.message);
}

describe('deployment controller', () => {
  it('creates the ReplicaSet named after the pod-template-hash and scales it with the real event texts', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor(NAME, BOOTCAMP_V1));
    const [rs] = replicaSets(cluster);
    const hash = rs.metadata.labels!['pod-template-hash'];
    expect(rs.metadata.name).toBe(`${NAME}-${hash}`);
    expect(rs.metadata.name).toMatch(/^yanwei\.app-[4-9bcdf]{1,10}$/);
    expect(rs.spec.selector.matchLabels).toEqual({ app: NAME, 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toMatchObject({
      [REVISION]: '1',
      'deployment.kubernetes.io/desired-replicas': '1',
      'deployment.kubernetes.io/max-replicas': '2',
    });
    expect(rs.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: NAME,
        uid: deployment(cluster).metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const [pod] = podsOf(cluster, NAME);
    expect(pod.metadata.name).toMatch(/^yanwei\.app-[4-9bcdf]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.name.startsWith(`${rs.metadata.name}-`)).toBe(true);

    advanceUntil(cluster, clock, () => allRunning(cluster, NAME, 1));
    const d = deployment(cluster);
    d.spec.replicas = 3;
    cluster.api.update(d);
    advanceUntil(cluster, clock, () => allRunning(cluster, NAME, 3));
    expect(scalingEvents(cluster)).toEqual([
      `Scaled up replica set ${rs.metadata.name} to 1`,
      `Scaled up replica set ${rs.metadata.name} to 3 from 1`,
    ]);
    const scaled = deployment(cluster);
    d.spec.replicas = 2;
    cluster.api.update({ ...scaled, spec: { ...scaled.spec, replicas: 2 } });
    expect(scalingEvents(cluster).at(-1)).toBe(`Scaled down replica set ${rs.metadata.name} to 2 from 3`);
    expect(checkInvariants(cluster)).toEqual([]);
  });

  it('rolls 3 replicas from v1 to v2 within maxSurge 1 / maxUnavailable 0, reporting each step', () => {
    const { cluster, clock } = labWithApp(3);
    const messages: string[] = [];
    const stop = cluster.api.watch('deployments', { namespace: 'default' }, (_type, obj) => {
      const d = obj as Deployment;
      const s = d.status ?? {};
      const total = replicaSets(cluster).reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
      // The fenceposts of reference §3.2 hold at every observable step.
      expect(total).toBeLessThanOrEqual(4);
      if ((s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0))
        expect(s.availableReplicas ?? 0).toBeGreaterThanOrEqual(3);
      if (messages.at(-1) !== rolloutMessage(d)) messages.push(rolloutMessage(d));
    });
    setImage(cluster, BOOTCAMP_V2);
    expect(deployment(cluster).status).toMatchObject({
      replicas: 4,
      updatedReplicas: 1,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 1,
    });
    expect(rolloutMessage(deployment(cluster))).toBe('1 out of 3 new replicas have been updated...');
    advanceUntil(
      cluster,
      clock,
      () => rolloutMessage(deployment(cluster)) === 'successfully rolled out',
      180_000,
      250,
    );
    stop();
    expect(messages).toEqual([
      'Waiting for deployment spec update to be observed...',
      '1 out of 3 new replicas have been updated...',
      '2 out of 3 new replicas have been updated...',
      '1 old replicas are pending termination...',
      'successfully rolled out',
    ]);
    const final = deployment(cluster);
    expect(final.status).toMatchObject({
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(final.status?.unavailableReplicas).toBeUndefined();
    expect(final.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    const sets = replicaSets(cluster);
    expect(sets.map((rs) => [rs.metadata.annotations![REVISION], rs.spec.replicas])).toEqual(
      expect.arrayContaining([
        ['1', 0],
        ['2', 3],
      ]),
    );
    advanceUntil(cluster, clock, () => podsOf(cluster, NAME).length === 3, 60_000);
    expect(podsOf(cluster, NAME).every((p) => p.spec.containers[0].image === BOOTCAMP_V2)).toBe(true);
    expect(checkInvariants(cluster)).toEqual([]);
  });

  it('gets stuck on a missing image within the fenceposts (3 replicas: 3/3 1 3 with 4 pods)', () => {
    const { cluster, clock } = labWithApp(3);
    setImage(cluster, BOOTCAMP_V10);
    clock.advance(60_000);
    const d = deployment(cluster);
    expect([
      d.status?.readyReplicas,
      d.spec.replicas,
      d.status?.updatedReplicas,
      d.status?.availableReplicas,
    ]).toEqual([3, 3, 1, 3]);
    const pods = podsOf(cluster, NAME);
    expect(pods).toHaveLength(4);
    const reasons = pods
      .map((p) => p.status?.containerStatuses?.[0].state.waiting?.reason ?? p.status?.phase)
      .sort();
    expect(reasons).toEqual(['ImagePullBackOff', 'Running', 'Running', 'Running']);
    expect(rolloutMessage(d)).toBe('1 out of 3 new replicas have been updated...');
  });

  it('with 4 replicas the stuck rollout shows 3/4 2 3 and 5 pods (the official tutorial)', () => {
    const { cluster, clock } = labWithApp(4);
    setImage(cluster, BOOTCAMP_V10);
    clock.advance(60_000);
    const d = deployment(cluster);
    expect([d.status?.readyReplicas, d.status?.updatedReplicas, d.status?.availableReplicas]).toEqual([
      3, 2, 3,
    ]);
    expect(podsOf(cluster, NAME).filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(5);
  });

  it('reports ProgressDeadlineExceeded 600 s after the last progress', () => {
    const { cluster, clock } = labWithApp(3);
    setImage(cluster, BOOTCAMP_V10);
    clock.advance(590_000);
    expect(deployment(cluster).status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe(
      'NewReplicaSetCreated',
    );
    clock.advance(20_000);
    const progressing = deployment(cluster).status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(progressing?.message).toMatch(/^ReplicaSet "yanwei\.app-[4-9bcdf]+" has timed out progressing\.$/);
  });

  it('rollback reuses the old ReplicaSet and gives it the next revision (1, 2, 3 → undo → 1, 3, 4)', () => {
    const { cluster, clock } = labWithApp(3);
    setImage(cluster, BOOTCAMP_V2);
    advanceUntil(
      cluster,
      clock,
      () => rolloutMessage(deployment(cluster)) === 'successfully rolled out',
      180_000,
    );
    setImage(cluster, BOOTCAMP_V10);
    clock.advance(30_000);
    const byImage = () =>
      new Map(replicaSets(cluster).map((rs) => [rs.spec.template.spec.containers[0].image, rs]));
    expect(
      [...byImage().entries()].map(([image, rs]) => [image, rs.metadata.annotations![REVISION]]).sort(),
    ).toEqual([
      [BOOTCAMP_V1, '1'],
      [BOOTCAMP_V10, '3'],
      [BOOTCAMP_V2, '2'],
    ]);
    expect(deployment(cluster).metadata.annotations![REVISION]).toBe('3');
    const v2Name = byImage().get(BOOTCAMP_V2)!.metadata.name;

    // What `kubectl rollout undo` does client-side: the template of the second-highest revision, minus the hash.
    const previous = [...replicaSets(cluster)].sort(
      (a, b) => Number(b.metadata.annotations![REVISION]) - Number(a.metadata.annotations![REVISION]),
    )[1];
    const template = structuredClone(previous.spec.template);
    delete template.metadata.labels!['pod-template-hash'];
    const d = deployment(cluster);
    d.spec.template = template;
    cluster.api.update(d);

    const after = byImage();
    expect(after.get(BOOTCAMP_V2)!.metadata.name).toBe(v2Name);
    expect(after.get(BOOTCAMP_V2)!.metadata.annotations).toMatchObject({
      [REVISION]: '4',
      [REVISION_HISTORY]: '2',
    });
    expect(after.get(BOOTCAMP_V10)!.spec.replicas).toBe(0);
    expect(deployment(cluster).metadata.annotations![REVISION]).toBe('4');
    expect(rolloutMessage(deployment(cluster))).toBe('successfully rolled out');
    expect(
      replicaSets(cluster)
        .map((rs) => rs.metadata.annotations![REVISION])
        .sort(),
    ).toEqual(['1', '3', '4']);
    advanceUntil(cluster, clock, () => podsOf(cluster, NAME).length === 3, 10_000);
    expect(podsOf(cluster, NAME).every((p) => p.status?.phase === 'Running')).toBe(true);
    expect(checkInvariants(cluster)).toEqual([]);
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', () => {
    const { cluster, clock } = labCluster();
    const d = deploymentFor(NAME, BOOTCAMP_V1);
    d.spec.revisionHistoryLimit = 2;
    cluster.api.create(d);
    for (const image of [BOOTCAMP_V2, 'nginx:1.25', 'nginx:1.27', 'nginx:alpine']) {
      advanceUntil(
        cluster,
        clock,
        () => rolloutMessage(deployment(cluster)) === 'successfully rolled out',
        60_000,
      );
      setImage(cluster, image);
    }
    advanceUntil(
      cluster,
      clock,
      () => rolloutMessage(deployment(cluster)) === 'successfully rolled out',
      60_000,
    );
    expect(
      replicaSets(cluster)
        .map((rs) => rs.metadata.annotations![REVISION])
        .sort(),
    ).toEqual(['3', '4', '5']);
  });

  it('garbage-collects ReplicaSets and pods (gracefully) after the deployment is deleted', () => {
    const { cluster, clock } = labWithApp(3);
    cluster.api.delete('deployments', 'default', NAME);
    expect(replicaSets(cluster)).toEqual([]);
    const pods = podsOf(cluster, NAME);
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata.deletionTimestamp !== undefined)).toBe(true);
    clock.advance(29_000);
    expect(podsOf(cluster, NAME)).toHaveLength(3);
    clock.advance(2_000);
    expect(podsOf(cluster, NAME)).toEqual([]);
    const killing = cluster.api.list<KubeEvent>('events', {
      namespace: 'default',
      fieldSelector: 'reason=Killing',
    });
    expect(killing.map((e) => e.message)).toEqual([
      'Stopping container kubernetes-bootcamp',
      'Stopping container kubernetes-bootcamp',
      'Stopping container kubernetes-bootcamp',
    ]);
    expect(checkInvariants(cluster)).toEqual([]);
  });

  it('replaces a deleted pod and counts only active pods in ReplicaSet status', () => {
    const { cluster, clock } = labWithApp(3);
    const [victim] = podsOf(cluster, NAME);
    cluster.api.delete('pods', 'default', victim.metadata.name);
    const pods = podsOf(cluster, NAME);
    expect(pods).toHaveLength(4);
    expect(pods.filter((p: Pod) => p.metadata.deletionTimestamp)).toHaveLength(1);
    const [rs] = replicaSets(cluster);
    expect(rs.status?.replicas).toBe(3);
    advanceUntil(cluster, clock, () => allRunning(cluster, NAME, 3), 60_000);
  });
});

describe('replicaset controller: claiming pods', () => {
  it('releases a relabelled pod (it keeps running as an orphan) and replaces it; adopts it back when relabelled again', () => {
    const { cluster, clock } = labWithApp(3);
    const [pod] = podsOf(cluster, NAME);
    pod.metadata.labels = { ...pod.metadata.labels, app: 'debug' };
    cluster.api.update(pod);
    const released = cluster.api.get<Pod>('pods', 'default', pod.metadata.name);
    expect(released.metadata.ownerReferences).toBeUndefined();
    expect(released.metadata.deletionTimestamp).toBeUndefined();
    expect(podsOf(cluster, NAME)).toHaveLength(3);
    advanceUntil(cluster, clock, () => allRunning(cluster, NAME, 3), 60_000);
    expect(checkInvariants(cluster)).toEqual([]);

    released.metadata.labels = { ...released.metadata.labels, app: NAME };
    delete released.metadata.resourceVersion;
    cluster.api.update(released);
    const active = podsOf(cluster, NAME).filter((p) => !p.metadata.deletionTimestamp);
    expect(active).toHaveLength(3);
    expect(podsOf(cluster, NAME).filter((p) => p.metadata.deletionTimestamp)).toHaveLength(1);
    expect(checkInvariants(cluster)).toEqual([]);
  });
});

describe('paused deployments', () => {
  it('do not roll out a new template but still scale', () => {
    const { cluster, clock } = labWithApp(3);
    const d = deployment(cluster);
    d.spec.paused = true;
    cluster.api.update(d);
    setImage(cluster, BOOTCAMP_V2);
    expect(replicaSets(cluster)).toHaveLength(1);
    const paused = deployment(cluster);
    expect(paused.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
    });
    paused.spec.replicas = 4;
    cluster.api.update(paused);
    advanceUntil(cluster, clock, () => allRunning(cluster, NAME, 4), 60_000);
    expect(podsOf(cluster, NAME).every((p) => p.spec.containers[0].image === BOOTCAMP_V1)).toBe(true);
    const resumed = deployment(cluster);
    resumed.spec.paused = false;
    cluster.api.update(resumed);
    advanceUntil(
      cluster,
      clock,
      () => rolloutMessage(deployment(cluster)) === 'successfully rolled out',
      180_000,
    );
    expect(
      replicaSets(cluster).find((rs) => rs.spec.template.spec.containers[0].image === BOOTCAMP_V2)?.spec
        .replicas,
    ).toBe(4);
  });
});

describe('minReadySeconds', () => {
  it('counts a ready pod as available only after minReadySeconds', () => {
    const { cluster, clock } = labCluster();
    const d = deploymentFor(NAME, BOOTCAMP_V1);
    d.spec.minReadySeconds = 20;
    cluster.api.create(d);
    advanceUntil(cluster, clock, () => allRunning(cluster, NAME, 1), 60_000);
    expect(deployment(cluster).status).toMatchObject({ readyReplicas: 1, unavailableReplicas: 1 });
    expect(deployment(cluster).status?.availableReplicas).toBeUndefined();
    clock.advance(19_000);
    expect(deployment(cluster).status?.availableReplicas).toBeUndefined();
    clock.advance(2_000);
    expect(deployment(cluster).status).toMatchObject({ readyReplicas: 1, availableReplicas: 1 });
    expect(rolloutMessage(deployment(cluster))).toBe('successfully rolled out');
  });
});

describe('scaling during a rollout', () => {
  it('spreads the new count over old and new ReplicaSets in proportion (kubectl scale while v10 is stuck)', () => {
    const { cluster, clock } = labWithApp(3);
    setImage(cluster, BOOTCAMP_V10);
    clock.advance(30_000);
    const d = deployment(cluster);
    d.spec.replicas = 6;
    cluster.api.update(d);
    // allowed = 6 + 2 surge = 8, from 3 + 1: old 3 → 6, new 1 → 2 (the real controller's proportions); then the
    // rolling update goes on, trimming the old set's not-yet-available pods within maxUnavailable (1).
    const [oldRs, newRs] = [BOOTCAMP_V1, BOOTCAMP_V10].map(
      (image) =>
        replicaSets(cluster).find((rs) => rs.spec.template.spec.containers[0].image === image)!.metadata.name,
    );
    expect(scalingEvents(cluster).slice(-4)).toEqual([
      `Scaled up replica set ${oldRs} to 6 from 3`,
      `Scaled up replica set ${newRs} to 2 from 1`,
      `Scaled down replica set ${oldRs} to 5 from 6`,
      `Scaled up replica set ${newRs} to 3 from 2`,
    ]);
    advanceUntil(cluster, clock, () => (deployment(cluster).status?.readyReplicas ?? 0) === 5, 120_000);
    expect(deployment(cluster).status).toMatchObject({
      replicas: 8,
      readyReplicas: 5,
      availableReplicas: 5,
      updatedReplicas: 3,
    });
    expect(checkInvariants(cluster)).toEqual([]);
  });
});
