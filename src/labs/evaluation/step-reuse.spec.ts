import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadLabFile, parseCheck } from '../loader/loader';
import { Lab } from '../format/types';
import { LabSession } from '../runner/lab-session';
import { EvaluationContext, KubeObjectJson, ObjectQuery } from './context';
import { evaluateStep } from './evaluate';
import { listVersion, SharedReads } from './shared-reads';
import { DiagnosticHint, diagnose } from '../diagnostics/diagnose';
import { evaluateReusing, evaluateStepReusing, Remembered, RememberedStep } from './step-reuse';

const both = (text: string) => ({ 'zh-CN': text, en: text });

/** A lab with an object step (three ConfigMaps labelled `done=yes`) and a history step (ran `kubectl version`). */
function testLab(): Lab {
  const dir = mkdtempSync(join(tmpdir(), 'step-reuse-'));
  try {
    mkdirSync(join(dir, 'reuse'));
    const file = join(dir, 'reuse', 'lab.yaml');
    writeFileSync(
      file,
      stringify({
        id: 'reuse',
        title: both('Reuse'),
        description: both('Spec lab.'),
        estimatedMinutes: 1,
        steps: [
          {
            id: 'label',
            title: both('Label'),
            instructions: both('Label the ConfigMaps.'),
            points: 50,
            checks: [
              {
                select: { kind: 'ConfigMap', namespace: 'default', labelSelector: 'app=shop' },
                where: [{ field: '.metadata.labels.done', equals: 'yes' }],
                count: { atLeast: 3 },
              },
            ],
            solution: ['kubectl label configmaps -l app=shop done=yes'],
          },
          {
            id: 'version',
            title: both('Version'),
            instructions: both('Check the version.'),
            points: 50,
            checks: [{ ran: { command: '^kubectl\\s+version', example: 'kubectl version' } }],
            solution: ['kubectl version'],
          },
        ],
      }),
    );
    return loadLabFile(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Counts the cluster reads a grading makes. */
function countingReads(context: EvaluationContext): { reads: SharedReads; asked: ObjectQuery[] } {
  const asked: ObjectQuery[] = [];
  const reads = new SharedReads((query) => {
    asked.push(query);
    return context.readObjects(query);
  });
  return { reads, asked };
}

describe('shared reads (one read per kind and namespace per grading)', () => {
  let session: LabSession;
  beforeAll(async () => {
    session = new LabSession();
    for (const name of ['a', 'b', 'c'])
      await session.run(`kubectl create configmap ${name} --from-literal=k=v`);
    await session.run('kubectl label configmaps a b app=shop');
    await session.run('kubectl label configmap c app=other tier=web');
  });

  it('answers every query exactly as the cluster does, asking the cluster once per kind and namespace', async () => {
    const { reads, asked } = countingReads(session.context);
    const queries: ObjectQuery[] = [
      { kind: 'ConfigMap', namespace: 'default' },
      { kind: 'ConfigMap', namespace: 'default', labelSelector: 'app=shop' },
      { kind: 'ConfigMap', namespace: 'default', labelSelector: 'app!=shop,tier in (web)' },
      { kind: 'ConfigMap', namespace: 'default', labelSelector: '!app' },
      { kind: 'ConfigMap', namespace: 'default', name: 'b' },
      { kind: 'ConfigMap', namespace: 'default', name: 'b', labelSelector: 'app=other' },
      { kind: 'ConfigMap', namespace: 'kube-system' },
      { kind: 'ConfigMap' },
      { kind: 'Node', name: 'minikube' },
    ];
    for (const query of queries) {
      const names = (objects: KubeObjectJson[]) =>
        objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
      expect(names(await reads.readObjects(query))).toEqual(names(await session.context.readObjects(query)));
    }
    expect(asked).toEqual([
      { kind: 'ConfigMap', namespace: 'default' },
      { kind: 'ConfigMap', namespace: 'kube-system' },
      { kind: 'ConfigMap', namespace: undefined },
      { kind: 'Node', namespace: undefined },
    ]);
  });

  it('gives a list a version that changes with any of its objects, and none to what has no resourceVersion', async () => {
    const version = async () =>
      listVersion(
        'ConfigMap',
        await session.context.readObjects({ kind: 'ConfigMap', namespace: 'default' }),
      );
    const before = await version();
    expect(before).toEqual(expect.any(String));
    await session.run('kubectl label nodes minikube unrelated=yes');
    expect(await version()).toBe(before);
    await session.run('kubectl label configmap c tier=db --overwrite');
    const relabelled = await version();
    expect(relabelled).not.toBe(before);
    await session.run('kubectl create configmap d');
    const created = await version();
    expect(created).not.toBe(relabelled);
    await session.run('kubectl delete configmap d');
    expect(await version()).not.toBe(created);

    const object: KubeObjectJson = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(listVersion('ConfigMap', [object])).toBeUndefined();
    expect(listVersion('ConfigMap', [])).toEqual(expect.any(String));
    // Node leases are computed on each read and renew with the clock, under the Node's resourceVersion.
    const leases = await session.context.readObjects({ kind: 'Lease', namespace: 'kube-node-lease' });
    expect(leases.length).toBeGreaterThan(0);
    expect(listVersion('Lease', leases)).toBeUndefined();
  });
});

describe('reusing a step verdict between gradings', () => {
  let lab: Lab;
  let session: LabSession;
  /** One grading of `step` after the previous one, as the platform grades: fresh reads, the last remembered step. */
  let remembered: RememberedStep | undefined;
  const grade = async () => {
    const { reads, asked } = countingReads(session.context);
    const outcome = await evaluateStepReusing(lab.steps[0], session.context, reads, remembered);
    remembered = outcome.remembered;
    // Whatever was reused must be what evaluating afresh gives.
    expect(outcome.verdict).toEqual(await evaluateStep(lab.steps[0], session.context));
    return { reused: outcome.reused, passed: outcome.verdict.passed, asked: asked.length };
  };

  beforeEach(async () => {
    lab = testLab();
    session = new LabSession();
    remembered = undefined;
    for (const name of ['a', 'b', 'c'])
      await session.run(`kubectl create configmap ${name} --from-literal=k=v`);
    await session.run('kubectl label configmaps a b c app=shop');
  });

  it('reuses the verdict while the lists its checks read are unchanged, whatever else changes', async () => {
    expect(await grade()).toEqual({ reused: false, passed: false, asked: 1 });
    expect(remembered).toBeDefined();
    expect(await grade()).toEqual({ reused: true, passed: false, asked: 1 });
    await session.run('kubectl label nodes minikube bench=t1');
    await session.run('kubectl create deployment web --image=nginx');
    await session.run('kubectl create configmap elsewhere -n kube-public');
    expect(await grade()).toEqual({ reused: true, passed: false, asked: 1 });
  });

  it('evaluates again when an object of a list it read changes, appears or goes', async () => {
    await grade();
    await session.run('kubectl label configmap a done=yes');
    expect(await grade()).toMatchObject({ reused: false, passed: false });
    await session.run('kubectl create configmap other');
    expect(await grade()).toMatchObject({ reused: false, passed: false });
    expect(await grade()).toMatchObject({ reused: true });
    await session.run('kubectl delete configmap other');
    expect(await grade()).toMatchObject({ reused: false, passed: false });
    await session.run('kubectl label configmaps b c done=yes');
    expect(await grade()).toMatchObject({ reused: false, passed: true });
    // A change that keeps the verdict but changes what the reasons could say still counts.
    await session.run('kubectl annotate configmap a note=x');
    expect(await grade()).toMatchObject({ reused: false, passed: true });
  });

  it('never reuses a step that read the history or a file', async () => {
    const { reads } = countingReads(session.context);
    const first = await evaluateStepReusing(lab.steps[1], session.context, reads);
    expect(first.remembered).toBeUndefined();
    const fileStep = testLabWithFileCheck(lab);
    const withFile = await evaluateStepReusing(fileStep, session.context, reads);
    expect(withFile.remembered).toBeUndefined();
  });

  it('does not reuse the verdict of another Step object (a lab reloaded with other checks)', async () => {
    await grade();
    const reloaded = testLab();
    const { reads } = countingReads(session.context);
    const outcome = await evaluateStepReusing(reloaded.steps[0], session.context, reads, remembered);
    expect(outcome.reused).toBe(false);
  });
});

/** The first step of `lab` with a file check added. */
function testLabWithFileCheck(lab: Lab): Lab['steps'][number] {
  const step = lab.steps[0];
  return { ...step, checks: [...step.checks, parseCheck('file: { path: notes.txt, exists: true }')] };
}

describe('reusing the verdict of a step over the history', () => {
  let lab: Lab;
  let session: LabSession;
  let remembered: RememberedStep | undefined;
  let rewrites = 0;
  /** One grading of the history step as the platform grades: a copy of the history, its mark, collected watches. */
  const grade = async () => {
    const history = session.context.history.slice();
    const watches: unknown[] = [];
    const context: EvaluationContext = { ...session.context, history, watchHistory: (w) => watches.push(w) };
    const { reads } = countingReads(context);
    const mark = { log: session, rewrites, length: history.length };
    const outcome = await evaluateStepReusing(lab.steps[1], context, reads, remembered, mark);
    remembered = outcome.remembered;
    // Whatever was reused must be what evaluating afresh gives, watches included.
    const fresh: unknown[] = [];
    const verdict = await evaluateStep(lab.steps[1], { ...context, watchHistory: (w) => fresh.push(w) });
    expect(outcome.verdict).toEqual(verdict);
    expect(watches).toHaveLength(fresh.length);
    return { reused: outcome.reused, passed: outcome.verdict.passed, watches: watches.length };
  };

  beforeEach(() => {
    lab = testLab();
    session = new LabSession();
    remembered = undefined;
    rewrites = 0;
  });

  it('reuses it while the history only grows by commands no watch is concerned with, and hands the watches on', async () => {
    await session.run('kubectl get pods');
    expect(await grade()).toEqual({ reused: false, passed: false, watches: 1 });
    await session.run('kubectl get pods');
    await session.run('kubectl label nodes minikube bench=t1');
    expect(await grade()).toEqual({ reused: true, passed: false, watches: 1 });
    expect(await grade()).toEqual({ reused: true, passed: false, watches: 1 });
  });

  it('evaluates again after a command a watch is concerned with: a hit, or a new closest attempt', async () => {
    expect(await grade()).toMatchObject({ reused: false, passed: false });
    // Matches the command but fails: the reason now names it as the closest attempt.
    await session.run('kubectl version --output=bogus');
    expect(await grade()).toMatchObject({ reused: false, passed: false });
    expect(remembered?.verdict.checks[0].reason.en).toContain('kubectl version --output=bogus');
    await session.run('kubectl get pods');
    expect(await grade()).toMatchObject({ reused: true, passed: false });
    await session.run('kubectl version');
    expect(await grade()).toEqual({ reused: false, passed: true, watches: 0 });
  });

  it('evaluates again when the history was rewritten, shortened, or is another one', async () => {
    await grade();
    await session.run('kubectl get pods');
    rewrites = 1; // a background job's end placed before later commands
    expect(await grade()).toMatchObject({ reused: false });
    session.context.history.pop();
    session.context.history.pop();
    expect(await grade()).toMatchObject({ reused: false });
    const other = new LabSession();
    const previous = remembered;
    const { reads } = countingReads(other.context);
    const mark = { log: other, rewrites, length: other.context.history.length };
    const outcome = await evaluateStepReusing(lab.steps[1], other.context, reads, previous, mark);
    expect(outcome.reused).toBe(false);
  });

  it('never reuses it without a mark of the history', async () => {
    const { reads } = countingReads(session.context);
    const first = await evaluateStepReusing(lab.steps[1], session.context, reads);
    expect(first.remembered).toBeUndefined();
  });
});

describe('reusing the hints of a lab’s diagnostics', () => {
  it('reuses them while the history only grows by commands no watch is concerned with', async () => {
    const lec7 = loadLabFile(join(__dirname, '../../../labs/lec7-k8s-basics/lab.yaml'));
    const session = new LabSession();
    await session.run(
      'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
    );
    let remembered: Remembered<DiagnosticHint[]> | undefined;
    const diagnoseOnce = async () => {
      const history = session.context.history.slice();
      const context: EvaluationContext = { ...session.context, history, watchHistory: () => undefined };
      const { reads } = countingReads(context);
      const mark = { log: session, rewrites: 0, length: history.length };
      const outcome = await evaluateReusing(
        lec7.diagnostics,
        (tracking) => diagnose(lec7, tracking),
        context,
        reads,
        remembered,
        mark,
      );
      remembered = outcome.remembered;
      expect(outcome.value).toEqual(await diagnose(lec7, context));
      return { reused: outcome.reused, hints: outcome.value.map((hint) => hint.id) };
    };
    expect(await diagnoseOnce()).toEqual({ reused: false, hints: [] });
    await session.run('kubectl get pods');
    expect(await diagnoseOnce()).toEqual({ reused: true, hints: [] });
    // The mistake a diagnostic is there for: the Service name taken from the deployment's, with its dot.
    await session.run('kubectl expose deployment/yanwei.app --type=NodePort --port 8080');
    expect(await diagnoseOnce()).toEqual({ reused: false, hints: ['service-name-with-dot'] });
    await session.run('kubectl get pods');
    expect(await diagnoseOnce()).toEqual({ reused: true, hints: ['service-name-with-dot'] });
  });
});
