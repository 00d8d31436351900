/**
 * The troubleshooting lab against real sessions in the embedded engine: other valid ways to find each cause
 * and to fix it must pass; typical wrong paths (looking at the wrong object, deleting the pod, relabelling
 * pods, hiding the problem) must fail with a reason that says what is missing, and the diagnostics must
 * catch them.
 */
import { diagnose } from '../../src/labs';
import { LabSession } from '../../src/labs/runner/lab-session';
import { studentPaths } from './support/student-paths';

const { lab, play, failing, hintIds } = studentPaths('troubleshooting');

/** A session whose home holds the lab's starter files (~/shop/*.yaml), as the platform provisions it. */
async function shopSession(): Promise<LabSession> {
  return new LabSession({ lab });
}

/** The shop applied and given time to fail in all four ways. */
async function brokenShop(): Promise<LabSession> {
  const session = await shopSession();
  await play(session, ['kubectl apply -f shop/', '+40s']);
  return session;
}

async function podOf(session: LabSession, app: string): Promise<string> {
  const [pod] = await session.context.readObjects({
    kind: 'Pod',
    namespace: 'default',
    labelSelector: `app=${app}`,
  });
  return pod.metadata.name;
}

describe('Troubleshooting: other valid ways through the lab', () => {
  it('accepts events, label selectors, short names, commands instead of files and a shell in the pod', async () => {
    const session = await shopSession();
    await play(session, [
      'kubectl create -f shop/web.yaml -f shop/web-service.yaml -f shop/api.yaml -f shop/report.yaml',
      '+40s',
      'kubectl get po -o wide',
    ]);
    expect(await failing(session, 'deploy-shop')).toEqual([]);

    await play(session, ['kubectl get ev --field-selector involvedObject.kind=Pod | grep web']);
    expect(await failing(session, 'diagnose-image')).toEqual([]);
    await play(session, ['kubectl set image deploy/web nginx=nginx', '+60s']);
    expect(await failing(session, 'fix-image')).toEqual([]);

    await play(session, ['kubectl logs -p -l app=api']);
    expect(await failing(session, 'diagnose-crash')).toEqual([]);
    await play(session, [
      `kubectl patch deployment api --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/args/0","value":"echo api: ready; sleep 1h"}]'`,
      '+60s',
    ]);
    expect(await failing(session, 'fix-crash')).toEqual([]);

    await play(session, ['kubectl get ep web']);
    expect(await failing(session, 'diagnose-service')).toEqual([]);
    await play(session, [`kubectl patch svc web -p '{"spec":{"selector":{"app":"web"}}}'`, '+2s']);
    expect(await failing(session, 'fix-service')).toEqual([]);

    await play(session, [`kubectl describe po/${await podOf(session, 'report')}`]);
    expect(await failing(session, 'diagnose-pending')).toEqual([]);
    await play(session, ['kubectl set resources deployment report --requests=cpu=250m', '+60s']);
    expect(await failing(session, 'fix-pending')).toEqual([]);

    await play(session, [
      `kubectl exec -ti ${await podOf(session, 'api')} -- sh`,
      'wget -qO- web.default.svc.cluster.local',
      'exit',
      'kubectl get pods -o wide',
    ]);
    expect(await failing(session, 'verify')).toEqual([]);
    expect(await diagnose(lab, session.context)).toEqual([]);
  });

  it('accepts kubectl describe over all pods and kubectl get events for the diagnoses', async () => {
    const session = await brokenShop();
    await play(session, ['kubectl describe pods']);
    expect(await failing(session, 'diagnose-image')).toEqual([]);
    expect(await failing(session, 'diagnose-pending')).toEqual([]);
    await play(session, ['kubectl logs deployment/api']);
    expect(await failing(session, 'diagnose-crash')).toEqual([]);
  });
});

describe('Troubleshooting: typical mistakes', () => {
  it('does not count looking at the wrong object, or at the symptom only', async () => {
    const session = await brokenShop();
    await play(session, ['kubectl describe deployment web', 'kubectl get pods']);
    const [imageReason] = await failing(session, 'diagnose-image');
    expect(imageReason).toMatch(
      /^Your history has no command like `kubectl describe pod web-\S+` that succeeded with output matching \/Failed to pull image "ngnix:1\\.27"\/\./,
    );

    const api = await podOf(session, 'api');
    await play(session, [`kubectl exec -ti ${api} -- sh`], [`kubectl exec -ti ${api} -- sh`]);
    expect(await hintIds(session, 'diagnose-crash')).toEqual(['image-typo', 'exec-into-crashed']);
    await play(session, ['kubectl logs deployment/web'], ['kubectl logs deployment/web']);
    expect(await failing(session, 'diagnose-crash')).toEqual([
      expect.stringContaining("that succeeded with output matching /sleep: invalid number 'forever'/"),
    ]);
  });

  it('explains that deleting a crashing pod or editing without applying changes nothing', async () => {
    const session = await brokenShop();
    await play(session, [`kubectl delete pod ${await podOf(session, 'api')}`, '+30s']);
    expect(await hintIds(session, 'fix-crash')).toEqual(
      expect.arrayContaining(['deleted-pod-instead', 'still-sleep-forever']),
    );
    const [deploymentReason, podReason] = await failing(session, 'fix-crash');
    expect(deploymentReason).toMatch(/^Deployment api in namespace default: expected exactly 1 with/);
    expect(podReason).toMatch(/found 0 of 1 \(api-\S+: /);

    // The file fixed in the editor but never applied: the cluster still runs the old template.
    const fixed = (lab.starterFiles?.['shop/api.yaml'] ?? '').replace('sleep forever', 'sleep infinity');
    await play(session, [`cat > shop/api.yaml <<'EOF'\n${fixed}EOF`]);
    expect(await hintIds(session, 'fix-crash')).toContain('still-sleep-forever');
    await play(session, ['kubectl apply -f shop/api.yaml', '+60s']);
    expect(await failing(session, 'fix-crash')).toEqual([]);
    expect(await hintIds(session, 'fix-crash')).not.toContain('still-sleep-forever');
  });

  it('catches a wrong tag, and the typo coming back when the unchanged file is applied again', async () => {
    const session = await brokenShop();
    await play(session, ['kubectl set image deployment/web nginx=nginx:1.72', '+40s']);
    expect(await hintIds(session, 'fix-image')).toEqual(['image-pull-failure']);
    expect(await failing(session, 'fix-image')).toEqual([
      expect.stringMatching(/^Deployment web in namespace default: .* found 0 of 1 \(web: /),
      expect.stringMatching(/^Pods with labels app=web in namespace default: expected all of them/),
    ]);

    await play(session, ['kubectl set image deployment/web nginx=nginx:1.27', '+60s']);
    expect(await failing(session, 'fix-image')).toEqual([]);
    await play(session, ['kubectl apply -f shop/', '+5s']);
    expect(await hintIds(session, 'fix-crash')).toContain('image-typo');
  });

  it('does not accept relabelling the pods instead of fixing the selector', async () => {
    const session = await brokenShop();
    await play(session, ['kubectl set image deployment/web nginx=nginx:1.27', '+60s']);
    await play(session, [`kubectl label pod ${await podOf(session, 'web')} app=wbe --overwrite`, '+5s']);
    expect(await hintIds(session, 'fix-service')).toEqual(['pods-relabelled']);
    expect(await failing(session, 'fix-service')).toEqual([
      expect.stringMatching(
        /^Service web in namespace default: .* found 0 of 1 \(web: \.spec\.selector\.app is wbe\)/,
      ),
    ]);

    // A selector that still matches nothing.
    await play(session, [`kubectl patch svc web -p '{"spec":{"selector":{"app":"frontend"}}}'`]);
    expect(await hintIds(session, 'fix-service')).toEqual(['pods-relabelled', 'selector-still-empty']);
  });

  it('does not accept hiding the pending pod or a request that still does not fit', async () => {
    const session = await brokenShop();
    await play(session, ['kubectl scale deployment report --replicas=0', '+5s']);
    expect(await hintIds(session, 'fix-pending')).toEqual(['image-typo', 'report-scaled-to-zero']);
    expect(await failing(session, 'fix-pending')).toEqual([
      expect.stringMatching(/^Deployment report in namespace default: .*\(report: \.spec\.replicas is 0\)/),
      'Pods with labels app=report in namespace default: expected all of them with phase Running and ready, found none.',
    ]);

    await play(session, [
      'kubectl scale deployment report --replicas=1',
      'kubectl set resources deployment report --requests=cpu=2',
      '+30s',
    ]);
    expect(await hintIds(session, 'fix-pending')).toEqual(['image-typo', 'report-still-too-big']);
    await play(session, ['kubectl set resources deployment report --requests=cpu=500m', '+60s']);
    expect(await failing(session, 'fix-pending')).toEqual([]);
  });

  it('does not verify while a pod is still failing, and explains a deleted deployment', async () => {
    const session = await brokenShop();
    await play(session, ['kubectl delete deployment report', 'kubectl get pods']);
    expect(await hintIds(session, 'verify')).toContain('app-deleted');
    const [fetchReason, podsReason] = await failing(session, 'verify');
    expect(fetchReason).toMatch(
      /^Your history has no command like `kubectl exec deploy\/api -- wget -qO- http:\/\/web`/,
    );
    expect(podsReason).toMatch(
      /The closest one, `kubectl get pods`, succeeded but its output does not match\.$/,
    );
  });
});
