import { Logger } from '@nestjs/common';
import type { ClusterDriver, ClusterRef, ExecResult } from '../clusters/cluster-driver';
import { EmbeddedClusterDriver } from '../clusters/embedded/embedded-cluster.driver';
import type { ClusterRepository } from '../repositories/cluster.repository';
import type { EventRepository } from '../repositories/event.repository';
import type { LabSessionRepository } from '../repositories/lab-session.repository';
import type { RunSignalsRepository } from '../repositories/run-signals.repository';
import type { SessionJobsRepository } from '../repositories/session-jobs.repository';
import type { Lab } from '../labs/format/types';
import { ClusterLifecycleService } from './cluster-lifecycle.service';
import type { LabCatalogService } from './lab-catalog.service';
import { clusterHarness } from './testing/cluster-harness';
import type { SessionRouter } from '../placement/session-router.service';

beforeAll(() => Logger.overrideLogger(false));

const SHAPED = {
  id: 'shaped',
  cluster: {
    nodes: 2,
    addons: ['ingress'],
    objects: [
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: shop }\ndata: { a: b }\n',
    ],
  },
} as unknown as Lab;

/** The embedded driver, with a worker that can "die" in the middle of a set-up line (its exec never ends). */
class DyingDriver extends EmbeddedClusterDriver {
  dieAtLine: string | undefined;
  lines: string[] = [];
  override exec(...args: Parameters<ClusterDriver['exec']>): Promise<ExecResult> {
    const line = args[1];
    this.lines.push(line.split('\n')[0]);
    if (this.dieAtLine !== undefined && line.startsWith(this.dieAtLine)) {
      this.dieAtLine = undefined;
      return new Promise(() => undefined);
    }
    return super.exec(...args);
  }
}

function shapedHarness(driver: ClusterDriver) {
  const harness = clusterHarness(driver, { runJobs: false });
  const catalog = { get: (labId: string) => (labId === SHAPED.id ? SHAPED : undefined) };
  const lifecycle = new ClusterLifecycleService(
    harness.config,
    driver,
    harness.clusters as unknown as ClusterRepository,
    harness.sessions as unknown as LabSessionRepository,
    harness.jobs as unknown as SessionRouter,
    harness.events as unknown as EventRepository,
    harness.epochs,
    harness.sessionJobs as unknown as SessionJobsRepository,
    harness.signals as unknown as RunSignalsRepository,
    catalog as unknown as LabCatalogService,
  );
  return { ...harness, lifecycle };
}

async function names(driver: ClusterDriver, ref: ClusterRef, kind: string, namespace?: string) {
  return (await driver.readObjects(ref, { kind, namespace })).map((object) => object.metadata.name);
}

describe("ClusterLifecycleService: a lab's cluster shape", () => {
  it('provisions a fresh cluster with the nodes, add-ons and objects, and announces each set-up line', async () => {
    const driver = new EmbeddedClusterDriver({ seed: 3 });
    const harness = shapedHarness(driver);
    const session = harness.sessions.add({ labId: SHAPED.id });
    const requested = await harness.lifecycle.ensureCluster(session);
    await harness.lifecycle.provision({ clusterId: requested.id });

    const record = await harness.clusters.findById(requested.id);
    expect(record?.status).toBe('ready');
    const ref = harness.clusters.refOf(record!);
    expect(await names(driver, ref, 'Node')).toEqual(['minikube', 'minikube-m02']);
    expect(await names(driver, ref, 'Deployment', 'ingress-nginx')).toEqual(['ingress-nginx-controller']);
    expect(await names(driver, ref, 'ConfigMap', 'shop')).toContain('settings');
    const steps = harness.events.payloadsOf('cluster.status').flatMap((event) => event.progress?.step ?? []);
    expect(steps.filter((step) => step.startsWith('Setting up the lab'))).toEqual([
      'Setting up the lab: minikube addons enable ingress',
      "Setting up the lab: kubectl apply -f - <<'KUBELAB_LAB_OBJECTS'",
      "Setting up the lab: kubectl apply -f - <<'KUBELAB_LAB_OBJECTS'",
    ]);
  });

  it('finishes a set-up a dead worker left half done when the job runs again', async () => {
    const driver = new DyingDriver({ seed: 3 });
    driver.dieAtLine = 'kubectl apply';
    const harness = shapedHarness(driver);
    const session = harness.sessions.add({ labId: SHAPED.id });
    const requested = await harness.lifecycle.ensureCluster(session);
    // The first worker stops answering in the middle of the set-up: the record stays provisioning.
    void harness.lifecycle.provision({ clusterId: requested.id });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await harness.clusters.findById(requested.id))?.status).toBe('provisioning');

    await harness.lifecycle.provision({ clusterId: requested.id });
    const record = await harness.clusters.findById(requested.id);
    expect(record?.status).toBe('ready');
    const ref = harness.clusters.refOf(record!);
    expect(await names(driver, ref, 'ConfigMap', 'shop')).toContain('settings');
    expect(await names(driver, ref, 'Deployment', 'ingress-nginx')).toEqual(['ingress-nginx-controller']);
  });

  it('does not set up again a cluster restored from its snapshot; a reset starts from the shape', async () => {
    const driver = new DyingDriver({ seed: 3 });
    const harness = shapedHarness(driver);
    const session = harness.sessions.add({ labId: SHAPED.id });
    const first = await harness.lifecycle.ensureCluster(session);
    await harness.lifecycle.provision({ clusterId: first.id });
    const ready = (await harness.clusters.findById(first.id))!;
    const ref = harness.clusters.refOf(ready);
    const sink = { stdout: () => undefined, stderr: () => undefined };
    await driver.exec(ref, 'kubectl delete configmap settings -n shop', sink, new AbortController().signal);

    // Stopped for idleness (which keeps the final state), then resumed: the student's deletion comes back too.
    await harness.lifecycle.stop({ clusterId: first.id, reason: 'idle' });
    driver.lines = [];
    const resumed = await harness.lifecycle.ensureCluster(session);
    await harness.lifecycle.provision({ clusterId: resumed.id });
    expect(driver.lines).toEqual([]);
    const resumedRef = harness.clusters.refOf((await harness.clusters.findById(resumed.id))!);
    expect(await names(driver, resumedRef, 'ConfigMap', 'shop')).not.toContain('settings');
    expect(await names(driver, resumedRef, 'Node')).toEqual(['minikube', 'minikube-m02']);

    const fresh = await harness.lifecycle.reset(session);
    await harness.lifecycle.provision({ clusterId: fresh.id });
    const freshRef = harness.clusters.refOf((await harness.clusters.findById(fresh.id))!);
    expect(await names(driver, freshRef, 'ConfigMap', 'shop')).toContain('settings');
  });
});
