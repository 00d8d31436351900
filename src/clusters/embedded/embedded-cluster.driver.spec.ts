import { ManualClock } from '../../engine';
import type { ClusterRef, ExecOptions, OutputSink } from '../cluster-driver';
import { EmbeddedClusterDriver } from './embedded-cluster.driver';

const request = { clusterId: 'c1', labSessionId: 's1', ownerId: 'u1', nodeCount: 1 };

async function run(
  driver: EmbeddedClusterDriver,
  ref: ClusterRef,
  line: string,
  options?: ExecOptions,
): Promise<string> {
  let out = '';
  const sink: OutputSink = { stdout: (chunk) => (out += chunk), stderr: (chunk) => (out += chunk) };
  await driver.exec(ref, line, sink, new AbortController().signal, undefined, options);
  return out;
}

describe('EmbeddedClusterDriver', () => {
  it('runs a background job as bash runs `&`, in a subshell: its variables do not reach the session', async () => {
    const driver = new EmbeddedClusterDriver({ seed: 7 });
    const ref = await driver.provision(request, () => undefined);
    await run(driver, ref, 'export NS=kube-system');
    const job = { background: true };
    expect(await run(driver, ref, 'NS=default', job)).toBe('');
    expect(await run(driver, ref, 'export APP=web LEAK=yes', job)).toBe('');
    expect(await run(driver, ref, 'unset NS', job)).toBe('');
    expect(await run(driver, ref, 'read NAME', job)).toBe('');
    expect(await run(driver, ref, 'echo "[$NS] [$APP] [$LEAK] [$NAME]"')).toBe('[kube-system] [] [] []\n');
    // The job sees the session's variables as they were when it started, as a subshell does.
    expect(await run(driver, ref, 'echo $NS', job)).toBe('kube-system\n');
    // In the foreground the same lines change the session.
    await run(driver, ref, 'export APP=web');
    expect(await run(driver, ref, 'echo $APP')).toBe('web\n');
    // The kubeconfig is a file (~/.kube/config): a job's `kubectl config` writes it, as in bash.
    await run(driver, ref, 'kubectl config set-context --current --namespace=kube-system', job);
    expect(
      await run(driver, ref, "kubectl config view --minify -o jsonpath='{.contexts[0].context.namespace}'"),
    ).toBe('kube-system');
  });

  it('versions snapshots by content and reuses an unchanged one', async () => {
    const driver = new EmbeddedClusterDriver({ seed: 7 });
    const ref = await driver.provision(request, () => undefined);
    const first = await driver.snapshot(ref);
    expect(await driver.snapshot(ref)).toBe(first);
    await run(driver, ref, 'kubectl create deployment web --image=nginx:alpine');
    const second = await driver.snapshot(ref);
    expect(second?.version).not.toBe(first?.version);
  });

  it('keeps its newer state when a reader still carries an older persisted version', async () => {
    const driver = new EmbeddedClusterDriver({ seed: 7 });
    const ref = await driver.provision(request, () => undefined);
    await run(driver, ref, 'kubectl create deployment one --image=nginx:alpine');
    const older = await driver.snapshot(ref);
    await run(driver, ref, 'kubectl create deployment two --image=nginx:alpine');
    await driver.snapshot(ref);
    // A grading read that picked up the record before the latest save.
    const stale: ClusterRef = { ...ref, snapshotVersion: older!.version, snapshot: older!.data };
    const names = (await driver.readObjects(stale, { kind: 'Deployment', namespace: 'default' })).map(
      (d) => d.metadata.name,
    );
    expect(names).toEqual(['one', 'two']);
  });

  it('restores from the record when another worker moved the cluster on, and after a restart', async () => {
    const here = new EmbeddedClusterDriver({ seed: 7 });
    const ref = await here.provision(request, () => undefined);
    const base = await here.snapshot(ref);

    const elsewhere = new EmbeddedClusterDriver();
    const elsewhereRef: ClusterRef = { ...ref, snapshotVersion: base!.version, snapshot: base!.data };
    await run(elsewhere, elsewhereRef, 'kubectl create deployment from-elsewhere --image=nginx:alpine');
    const moved = await elsewhere.snapshot(elsewhereRef);

    const persisted: ClusterRef = {
      ...ref,
      snapshotVersion: moved!.version,
      loadSnapshot: async () => moved!.data,
    };
    expect(await run(here, persisted, 'kubectl get deployments -o name')).toBe(
      'deployment.apps/from-elsewhere\n',
    );

    const restarted = new EmbeddedClusterDriver();
    expect(await restarted.status(persisted)).toBe('ready');
    expect(await run(restarted, persisted, 'kubectl get deployments -o name')).toBe(
      'deployment.apps/from-elsewhere\n',
    );
  });

  it('marks a state that only time moved on from its last saved snapshot as replaying it, and keeps its copy for it', async () => {
    // A clock that moves only when told: the snapshot below is taken before the pods start, however slow the machine.
    const clock = new ManualClock();
    const driver = new EmbeddedClusterDriver({ seed: 7, clock });
    const ref = await driver.provision(request, () => undefined);
    await run(driver, ref, 'export MARK=live-copy');
    await run(driver, ref, 'kubectl create deployment web --image=nginx:alpine --replicas=2');
    const changed = await driver.snapshot(ref);
    expect(changed?.replays).toBeUndefined();

    // The new pods' minute of scheduling, pulling and starting.
    clock.advance(60_000);
    const phases = "kubectl get pods -o jsonpath='{.items[*].status.phase}'";
    expect(await run(driver, ref, phases)).toBe('Running Running');
    const later = await driver.snapshot(ref);
    expect(later?.version).not.toBe(changed?.version);
    expect(later?.replays).toBe(changed?.version);

    // A record holding the snapshot it replays is not older than this copy: the copy (and its shell) stays.
    const persisted: ClusterRef = { ...ref, snapshotVersion: changed!.version, snapshot: changed!.data };
    expect(await run(driver, persisted, 'echo $MARK')).toBe('live-copy\n');
    // Restored elsewhere from that snapshot, time brings the cluster to the same pods.
    const elsewhere = new EmbeddedClusterDriver({ clock });
    const names = "kubectl get pods -o jsonpath='{.items[*].metadata.name} {.items[*].status.phase}'";
    expect(await run(elsewhere, persisted, names)).toBe(await run(driver, ref, names));

    // A command's change starts a new basis.
    await run(driver, ref, 'kubectl scale deployment web --replicas=3');
    expect((await driver.snapshot(ref))?.replays).toBeUndefined();
  });

  it('reports a cluster it never held and cannot restore as missing', async () => {
    const driver = new EmbeddedClusterDriver();
    const ref: ClusterRef = { clusterId: 'nope', attachState: {} };
    expect(await driver.status(ref)).toBe('missing');
    await expect(run(driver, ref, 'kubectl get pods')).rejects.toThrow(
      /not in this process and has no snapshot/,
    );
  });
});
