/**
 * The pods-namespaces checks against real sessions in the embedded engine: other valid ways through each step
 * pass, typical mistakes fail with a reason that says what is missing, and the diagnostics catch them.
 */
import { diagnose } from '../../src/labs';
import { studentPaths } from './support/student-paths';
import { LabSession } from '../../src/labs/runner/lab-session';

const { lab, play, failing, hintIds } = studentPaths('pods-namespaces');

/** A here-document writing the finished hello-pod.yaml, labels in another order than the reference. */
function helloManifest(labels: string[], image = 'nginx:1.27'): string {
  return [
    "cat > hello-pod.yaml <<'EOF'",
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  labels:',
    ...labels.map((label) => `    ${label}`),
    '  name: hello',
    'spec:',
    '  containers:',
    '  - name: hello',
    ...(image ? [`    image: ${image}`] : ['    image: # TODO: nginx:1.27']),
    '    ports:',
    '    - containerPort: 80',
    'EOF',
  ].join('\n');
}

describe('pods-namespaces: other valid ways through the lab', () => {
  it('accepts short names, other flag spellings and orders, create -f and a named context', async () => {
    const session = new LabSession({ seed: 42 });
    await play(session, ['kubectl run web --image nginx:1.27', '+30s']);
    expect(await failing(session, 'run-pod')).toEqual([]);

    await play(session, [
      helloManifest(['tier: frontend', 'app: hello']),
      'kubectl create -f hello-pod.yaml',
      '+30s',
    ]);
    expect(await failing(session, 'pod-manifest')).toEqual([]);

    await play(session, [
      "kubectl run always --restart=Always --image=busybox:1.36 -- sh -c 'exit 2'",
      "kubectl run onfailure --image=busybox:1.36 --restart OnFailure -- sh -c 'exit 2'",
      "kubectl run never --restart Never --image=busybox:1.36 -- sh -c 'exit 2'",
      '+60s',
    ]);
    expect(await failing(session, 'restart-policies')).toEqual([]);

    await play(session, [
      'kubectl label po web tier=backend',
      'kubectl label pods/web env=dev',
      'kubectl label pod/hello env=prod',
      'kubectl get po --show-labels',
    ]);
    expect(await failing(session, 'label-pods')).toEqual([]);

    await play(session, [
      "kubectl get po --selector='env in (dev,prod)'",
      "kubectl delete po --selector 'run in (always,onfailure,never)'",
    ]);
    expect(await failing(session, 'select-pods')).toEqual([]);

    await play(session, ['kubectl create ns team-a', 'kubectl -n team-a run api --image=nginx:1.27', '+30s']);
    expect(await failing(session, 'namespaces')).toEqual([]);

    await play(session, [
      'kubectl config set-context minikube --namespace team-a',
      'kubectl run cache --image=redis:7',
      '+30s',
    ]);
    expect(await failing(session, 'switch-namespace')).toEqual([]);

    await play(session, [
      'kubectl run once --restart=Never --image=busybox:1.36 -- echo hello',
      '+30s',
      'kubectl logs pod/once',
    ]);
    expect(await failing(session, 'run-once')).toEqual([]);
    expect(await diagnose(lab, session.context)).toEqual([]);
  });

  it('accepts notin selectors, the one-off pod in default and logs -n', async () => {
    const session = new LabSession();
    await play(session, [
      'kubectl run web --image=nginx:1.27 --labels=env=dev,tier=backend',
      helloManifest(['app: hello', 'tier: frontend', 'env: prod']),
      'kubectl apply -f hello-pod.yaml',
      '+30s',
      "kubectl get pods -l 'env notin (test),env' --show-labels",
    ]);
    // The listing counts; what is still missing is the deletion by selector.
    expect(await failing(session, 'select-pods')).toEqual([
      "Your history has no command like `kubectl delete pods -l 'run in (always,onfailure,never)'` that succeeded.",
    ]);
    await play(session, [
      'kubectl run once --image=busybox --restart=Never -n default -- echo hello',
      '+30s',
      'kubectl logs -n default once',
    ]);
    expect(await failing(session, 'run-once')).toEqual([]);
  });
});

describe('pods-namespaces: typical mistakes', () => {
  it('explains an unfinished manifest and a missing label, and passes once the file is fixed', async () => {
    const session = new LabSession();
    await play(session, [helloManifest(['app: hello'], '')]);
    await play(session, ['kubectl apply -f hello-pod.yaml'], ['kubectl apply -f hello-pod.yaml']);
    expect(await hintIds(session, 'pod-manifest')).toEqual(['manifest-missing-image']);

    await play(session, [helloManifest(['app: hello']), 'kubectl apply -f hello-pod.yaml', '+30s']);
    expect(await hintIds(session, 'pod-manifest')).toEqual(['manifest-missing-tier']);
    expect(await failing(session, 'pod-manifest')).toEqual([
      'Pod hello with labels app=hello,tier=frontend in namespace default: expected exactly 1 with image nginx:1.27 and .spec.containers[*].ports[*].containerPort equal to 80 and phase Running, found none.',
    ]);

    await play(session, [helloManifest(['app: hello', 'tier: frontend']), 'kubectl apply -f hello-pod.yaml']);
    expect(await failing(session, 'pod-manifest')).toEqual([]);
    expect(await hintIds(session, 'pod-manifest')).toEqual([]);
  });

  it('explains a forgotten --restart and waits for the restart to happen', async () => {
    const session = new LabSession();
    await play(session, [
      "kubectl run always --image=busybox:1.36 -- sh -c 'exit 1'",
      "kubectl run onfailure --image=busybox:1.36 --restart=OnFailure -- sh -c 'exit 1'",
      "kubectl run never --image=busybox:1.36 -- sh -c 'exit 1'",
    ]);
    const [tooEarly] = await failing(session, 'restart-policies');
    expect(tooEarly).toMatch(
      /^Pod always in namespace default: expected exactly 1 .*found 0 of 1 \(always: /,
    );
    await play(session, ['+60s']);
    expect(await hintIds(session, 'restart-policies')).toEqual(['restart-policy-wrong']);
    const [neverReason] = await failing(session, 'restart-policies');
    expect(neverReason).toContain('found 0 of 1 (never: .spec.restartPolicy is Always)');

    await play(session, [
      'kubectl delete pod never',
      "kubectl run never --image=busybox:1.36 --restart=Never -- sh -c 'exit 1'",
      '+30s',
    ]);
    expect(await failing(session, 'restart-policies')).toEqual([]);
    expect(await hintIds(session, 'restart-policies')).toEqual([]);
  });

  it('explains an unquoted set-based selector and a label that needs --overwrite', async () => {
    const session = new LabSession();
    await play(session, ['kubectl run web --image=nginx:1.27 --labels=env=test']);
    await play(session, ['kubectl label pod web env=dev'], ['kubectl label pod web env=dev']);
    expect(await hintIds(session, 'label-pods')).toEqual(['label-needs-overwrite']);
    expect(await failing(session, 'label-pods')).toContain(
      'Pod web with labels env=dev,tier=backend in namespace default: expected exactly 1, found none.',
    );

    await play(session, ['kubectl get pods -l env in (dev,prod)'], ['kubectl get pods -l env in (dev,prod)']);
    expect(await hintIds(session, 'select-pods')).toEqual(['selector-unquoted']);
  });

  it('explains pods created in the wrong namespace and a namespace that does not exist yet', async () => {
    const session = new LabSession();
    const missing = 'kubectl run api --image=nginx:1.27 -n team-a';
    await play(session, [missing], [missing]);
    expect(await hintIds(session, 'namespaces')).toEqual(['namespace-missing']);

    await play(session, ['kubectl create namespace team-a', 'kubectl run api --image=nginx:1.27', '+30s']);
    expect(await hintIds(session, 'namespaces')).toEqual(['api-in-default']);
    expect(await failing(session, 'namespaces')).toEqual([
      'Pod api in namespace team-a: expected exactly 1 with image nginx:1.27 and phase Running and ready, found none.',
    ]);
    await play(session, ['kubectl delete pod api', missing, '+30s']);
    expect(await failing(session, 'namespaces')).toEqual([]);

    // Running cache with -n passes the pod check, but the step is about the context's namespace.
    await play(session, ['kubectl run cache --image=redis:7', '+30s']);
    expect(await hintIds(session, 'switch-namespace')).toEqual(['cache-in-default']);
    await play(session, ['kubectl run cache --image=redis:7 -n team-a', '+30s']);
    expect(await failing(session, 'switch-namespace')).toEqual([
      'Your history has no command like `kubectl config set-context --current --namespace=team-a` that succeeded.',
    ]);
  });

  it('explains a one-off pod without --restart=Never and logs read too early', async () => {
    const session = new LabSession();
    await play(session, ['kubectl run once --image=busybox -- echo hello']);
    await play(session, ['kubectl logs once'], ['kubectl logs once']);
    expect(await hintIds(session, 'run-once')).toEqual(['once-restarts', 'logs-too-early']);
    await play(session, ['+30s', 'kubectl logs once']);
    const [policyReason] = await failing(session, 'run-once');
    expect(policyReason).toContain('found 0 of 1 (once: .spec.restartPolicy is Always)');

    await play(session, [
      'kubectl delete pod once',
      'kubectl run once --image=busybox --restart=Never -- echo hello',
      '+30s',
    ]);
    expect(await failing(session, 'run-once')).toEqual([]);
    expect(await hintIds(session, 'run-once')).toEqual([]);
  });
});
