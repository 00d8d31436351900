/**
 * The Lec7 lab's reference solution on a Docker cluster: every step's solution goes through the driver,
 * and the lab evaluator grades the step through driver.readObjects and the recorded history, exactly as
 * the platform does. The cluster runs on a wall clock, so a solution's `# advance` becomes a bounded wait for
 * the cluster to settle (what a student does: look again until things are up, or clearly failing). The node
 * agent's clock runs 10 times faster than real time (CLUSTER_TIME_SCALE, `--time-scale`), so pulls and
 * rollouts take seconds.
 */
import path from 'node:path';
import type { ClusterRef, KubeObjectJson } from '../../src/clusters/cluster-driver';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import {
  type EvaluationContext,
  evaluateStep,
  type HistoryEntry,
  loadLabFile,
  parseSolutionLine,
} from '../../src/labs';
import type { StepVerdict } from '../../src/labs';
import { VarResolver } from '../../src/labs/evaluation/vars';
import {
  type DockerTestEngine,
  driverSettings,
  neverAborted,
  recordingSink,
  SETUP_TIMEOUT_MS,
  startEngine,
} from './support/docker-env';

const lab = loadLabFile(path.resolve(__dirname, '../../labs/lec7-k8s-basics/lab.yaml'));
const GRADING_PATIENCE_MS = 60_000;
let engine: DockerTestEngine;
let driver: DockerClusterDriver;
let ref: ClusterRef;
const history: HistoryEntry[] = [];
let context: EvaluationContext;

beforeAll(async () => {
  engine = await startEngine('default');
  driver = new DockerClusterDriver(driverSettings([engine], engine.image, { timeScale: 10 }));
  ref = await driver.provision(
    { clusterId: `lec7-${Date.now().toString(36)}`, labSessionId: 'lec7', ownerId: 'student', nodeCount: 1 },
    () => undefined,
  );
  context = { readObjects: (query) => driver.readObjects(ref, query), history };
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await driver?.close();
  if (ref) await driver.destroy(ref);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Pod = KubeObjectJson & {
  metadata: { deletionTimestamp?: string };
  status?: { containerStatuses?: { ready?: boolean; state?: { waiting?: { reason?: string } } }[] };
};
type Deployment = KubeObjectJson & {
  spec: { replicas: number };
  status?: { availableReplicas?: number; updatedReplicas?: number };
};

function pullFailing(pod: Pod): boolean {
  return (pod.status?.containerStatuses ?? []).some((c) =>
    ['ErrImagePull', 'ImagePullBackOff'].includes(c.state?.waiting?.reason ?? ''),
  );
}

/** Waits (at most `limitMs`) until no pod is starting and every rollout is done or stuck on a bad image. */
async function settle(limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const pods = (await driver.readObjects(ref, { kind: 'Pod', namespace: 'default' })) as Pod[];
    const deployments = (await driver.readObjects(ref, {
      kind: 'Deployment',
      namespace: 'default',
    })) as Deployment[];
    // Terminating pods are left out: they linger for their grace period (30 s) and no check waits on them.
    const podsSettled = pods
      .filter((p) => !p.metadata.deletionTimestamp)
      .every((p) => pullFailing(p) || (p.status?.containerStatuses ?? []).every((c) => c.ready));
    const rolloutsSettled = deployments.every(
      (d) =>
        pods.some(pullFailing) ||
        (d.status?.availableReplicas === d.spec.replicas && d.status?.updatedReplicas === d.spec.replicas),
    );
    if (podsSettled && rolloutsSettled) return;
    await sleep(250);
  }
}

async function runSolution(step: (typeof lab.steps)[number]): Promise<void> {
  for (const raw of step.solution) {
    const line = parseSolutionLine(raw);
    if (line.kind === 'advance') await settle(line.ms);
    if (line.kind !== 'command') continue;
    const filled = await new VarResolver(step.vars, context).fill(line.line);
    if (!filled.ok) throw new Error(`step ${step.id}: \`${line.line}\`: ${filled.reason.en}`);
    const sink = recordingSink();
    const { exitCode } = await driver.exec(ref, filled.value, sink, neverAborted());
    history.push({ command: filled.value, exitCode, output: sink.chunks.map((c) => c.text).join('') });
  }
}

async function gradeUntilPassed(step: (typeof lab.steps)[number]): Promise<StepVerdict> {
  const deadline = Date.now() + GRADING_PATIENCE_MS;
  let verdict = await evaluateStep(step, context);
  while (!verdict.passed && Date.now() < deadline) {
    await sleep(500);
    verdict = await evaluateStep(step, context);
  }
  return verdict;
}

test.each(lab.steps.map((step) => [step.id, step] as const))(
  'step %s: the reference solution passes its checks on a Docker cluster',
  async (_id, step) => {
    await runSolution(step);
    const verdict = await gradeUntilPassed(step);
    const failing = verdict.checks.filter((check) => !check.passed).map((check) => check.reason.en);
    expect(failing).toEqual([]);
    expect(verdict.passed).toBe(true);
  },
  GRADING_PATIENCE_MS + 120_000,
);
