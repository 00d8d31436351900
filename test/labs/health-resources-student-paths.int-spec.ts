/**
 * The health-resources checks against real sessions in the embedded engine: other valid ways through each step
 * pass, typical mistakes fail with a reason that says what is missing, and the diagnostics catch them.
 */
import { diagnose } from '../../src/labs';
import { hereDoc, studentPaths } from './support/student-paths';
import { LabSession } from '../../src/labs/runner/lab-session';

const { lab, play, failing, hintIds } = studentPaths('health-resources');

/** A here-document that writes `file` in the student's home, as the editor pane would save it. */

/** web.yaml with a readiness probe given as YAML lines (indented for the container), plus its Service. */
function webYaml(probe: string[], extra: string[] = []): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  replicas: 2',
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '    spec:',
    '      containers:',
    '      - name: nginx',
    '        image: nginx:1.25',
    ...probe.map((line) => `        ${line}`),
    ...extra.map((line) => `        ${line}`),
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector:',
    '    app: web',
    '  ports:',
    '  - port: 80',
  ].join('\n');
}

const HTTP_PROBE = (path: string) => [
  'readinessProbe:',
  '  httpGet:',
  `    path: ${path}`,
  '    port: 80',
  '  periodSeconds: 5',
];

function podYaml(name: string, image: string, container: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  containers:',
    '  - name: app',
    `    image: ${image}`,
    ...container.map((line) => `    ${line}`),
  ].join('\n');
}

const LIVENESS_ARGS = [
  'args:',
  '- /bin/sh',
  '- -c',
  '- touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600',
];
const LIVENESS_PROBE = [
  'livenessProbe:',
  '  exec:',
  '    command: ["cat", "/tmp/healthy"]',
  '  initialDelaySeconds: 5',
  '  periodSeconds: 5',
];

function memoryDemo(limit: string): string {
  return podYaml('memory-demo', 'polinux/stress', [
    'resources:',
    `  limits: { memory: ${limit} }`,
    'command: ["stress"]',
    'args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]',
  ]);
}

describe('health-resources: other valid ways through the lab', () => {
  it('accepts describe nodes, events, a tcpSocket probe, resources in the manifest and delete -f', async () => {
    const session = new LabSession({ seed: 11 });
    await play(session, ['kubectl get node minikube -o yaml']);
    expect(await failing(session, 'node-capacity')).toEqual([]);

    await play(session, [
      hereDoc('web.yaml', webYaml(HTTP_PROBE('/ready'))),
      'kubectl apply -f web.yaml',
      '+30s',
    ]);
    await play(session, ['kubectl get events --field-selector reason=Unhealthy']);
    expect(await failing(session, 'readiness-fails')).toEqual([]);

    // Any probe that passes is a fix: here a TCP check of port 80; the manifest also sets a later step's
    // resources, so editing the file instead of `kubectl set resources` is graded the same.
    await play(session, [
      hereDoc(
        'web.yaml',
        webYaml(
          ['readinessProbe:', '  tcpSocket:', '    port: 80'],
          ['resources:', '  requests: { cpu: 100m, memory: 64Mi }', '  limits: { cpu: 200m, memory: 128Mi }'],
        ),
      ),
      'kubectl apply -f web.yaml',
      '+60s',
    ]);
    expect(await failing(session, 'readiness-fixed')).toEqual([]);
    expect(await failing(session, 'requests-limits')).toEqual([]);

    await play(session, [
      hereDoc(
        'liveness.yaml',
        podYaml('liveness-exec', 'registry.k8s.io/busybox', [...LIVENESS_ARGS, ...LIVENESS_PROBE]),
      ),
      'kubectl create -f liveness.yaml',
      '+90s',
      'kubectl get events --field-selector involvedObject.name=liveness-exec',
    ]);
    expect(await failing(session, 'liveness')).toEqual([]);

    await play(session, [
      hereDoc('big-pod.yaml', podYaml('big', 'nginx:1.25', ['resources:', '  requests: { cpu: "4" }'])),
      'kubectl apply -f big-pod.yaml',
      '+5s',
      'kubectl get events --field-selector reason=FailedScheduling',
    ]);
    expect(await failing(session, 'unschedulable')).toEqual([]);

    await play(session, [
      'kubectl delete -f big-pod.yaml',
      hereDoc('big-pod.yaml', podYaml('big', 'nginx:1.25', ['resources:', '  requests: { cpu: 250m }'])),
      'kubectl apply -f big-pod.yaml',
      '+20s',
    ]);
    expect(await failing(session, 'schedule-it')).toEqual([]);

    await play(session, [
      hereDoc('memory-demo.yaml', memoryDemo('100Mi')),
      'kubectl apply -f memory-demo.yaml',
      '+5s',
    ]);
    await play(session, ['kubectl get pod memory-demo -o yaml']);
    expect(await failing(session, 'oom-killed')).toEqual([]);

    await play(session, [
      'kubectl delete pod memory-demo',
      hereDoc('memory-demo.yaml', memoryDemo('512Mi')),
      'kubectl create -f memory-demo.yaml',
      '+60s',
    ]);
    expect(await failing(session, 'raise-limit')).toEqual([]);
    expect(await diagnose(lab, session.context)).toEqual([]);
  });
});

describe('health-resources: typical mistakes', () => {
  it('explains a readiness probe left on /ready and one removed altogether', async () => {
    const session = new LabSession();
    await play(session, [
      hereDoc('web.yaml', webYaml(HTTP_PROBE('/ready'))),
      'kubectl apply -f web.yaml',
      '+30s',
    ]);
    // Looking too early or at the wrong thing does not count as having seen the probe fail.
    await play(session, ['kubectl get pods']);
    expect(await failing(session, 'readiness-fails')).toEqual([
      'Your history has no command like `kubectl describe pod -l app=web` that succeeded with output matching /Readiness probe failed/.',
    ]);
    expect(await hintIds(session, 'readiness-fixed')).toEqual(['readiness-path-missing']);
    const reasons = await failing(session, 'readiness-fixed');
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toContain('Deployment web in namespace default: expected exactly 1 with');
    expect(reasons[1]).toContain('Endpoints web in namespace default: expected exactly 1 with');

    await play(session, [hereDoc('web.yaml', webYaml([])), 'kubectl apply -f web.yaml', '+60s']);
    expect(await hintIds(session, 'readiness-fixed')).toEqual(['readiness-probe-removed']);
    const [deploymentReason] = await failing(session, 'readiness-fixed');
    expect(deploymentReason).toContain('readinessProbe');

    await play(session, [hereDoc('web.yaml', webYaml(HTTP_PROBE('/'))), 'kubectl apply -f web.yaml', '+60s']);
    expect(await failing(session, 'readiness-fixed')).toEqual([]);
    expect(await hintIds(session, 'readiness-fixed')).toEqual([]);
  });

  it('explains a liveness pod without its probe and an apply that tries to add the probe in place', async () => {
    const session = new LabSession();
    await play(session, [
      hereDoc('liveness.yaml', podYaml('liveness-exec', 'registry.k8s.io/busybox', LIVENESS_ARGS)),
      'kubectl apply -f liveness.yaml',
      '+90s',
      'kubectl describe pod liveness-exec',
    ]);
    expect(await hintIds(session, 'liveness')).toEqual(['liveness-probe-missing']);
    const reasons = await failing(session, 'liveness');
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toContain('Pod liveness-exec in namespace default: expected exactly 1 with');

    const apply = 'kubectl apply -f liveness.yaml';
    await play(
      session,
      [
        hereDoc(
          'liveness.yaml',
          podYaml('liveness-exec', 'registry.k8s.io/busybox', [...LIVENESS_ARGS, ...LIVENESS_PROBE]),
        ),
        apply,
      ],
      [apply],
    );
    expect(await hintIds(session, 'liveness')).toEqual(['liveness-probe-missing', 'pod-fields-immutable']);

    await play(session, [
      'kubectl delete pod liveness-exec',
      apply,
      '+90s',
      'kubectl describe pod liveness-exec',
    ]);
    expect(await failing(session, 'liveness')).toEqual([]);
  });

  it('does not take memory in M for Mi, and keeps grading the pods of the finished rollout', async () => {
    const session = new LabSession();
    await play(session, [hereDoc('web.yaml', webYaml(HTTP_PROBE('/'))), 'kubectl apply -f web.yaml', '+40s']);
    await play(session, [
      'kubectl set resources deployment web --requests=cpu=100m,memory=64M --limits=cpu=200m,memory=128M',
      '+60s',
    ]);
    const [reason] = await failing(session, 'requests-limits');
    expect(reason).toContain('64M');
    await play(session, [
      'kubectl set resources deploy/web --limits=cpu=200m,memory=128Mi --requests=cpu=100m,memory=64Mi',
      '+60s',
    ]);
    expect(await failing(session, 'requests-limits')).toEqual([]);
  });

  it('explains a big pod still pending and an apply of the smaller request without deleting it', async () => {
    const session = new LabSession();
    const apply = 'kubectl apply -f big-pod.yaml';
    await play(session, [
      hereDoc('big-pod.yaml', podYaml('big', 'nginx:1.25', ['resources:', '  requests: { cpu: "4" }'])),
      apply,
      '+5s',
      'kubectl get pod big',
    ]);
    expect(await failing(session, 'unschedulable')).toEqual([
      'Your history has no command like `kubectl describe pod big` that succeeded with output matching /Insufficient cpu/.',
    ]);
    await play(
      session,
      [
        hereDoc('big-pod.yaml', podYaml('big', 'nginx:1.25', ['resources:', '  requests: { cpu: 500m }'])),
        apply,
      ],
      [apply],
    );
    expect(await hintIds(session, 'schedule-it')).toEqual(['pod-fields-immutable', 'big-still-pending']);
    expect(await failing(session, 'schedule-it')).toEqual([
      'Pod big in namespace default: expected exactly 1 with phase Running and .spec.containers[0].resources.requests.cpu set, found 0 of 1 (big: phase is Pending).',
    ]);

    // Dropping the requests also gets the pod scheduled, but the step is about sizing the request.
    await play(session, [
      'kubectl delete pod big',
      hereDoc('big-pod.yaml', podYaml('big', 'nginx:1.25', [])),
      apply,
      '+20s',
    ]);
    const [reason] = await failing(session, 'schedule-it');
    expect(reason).toContain('requests.cpu');
  });

  it('explains a memory limit still too small', async () => {
    const session = new LabSession();
    await play(session, [
      hereDoc('memory-demo.yaml', memoryDemo('100Mi')),
      'kubectl apply -f memory-demo.yaml',
      '+40s',
    ]);
    await play(session, ['kubectl delete pod memory-demo', hereDoc('memory-demo.yaml', memoryDemo('200Mi'))]);
    await play(session, ['kubectl apply -f memory-demo.yaml', '+30s']);
    expect(await hintIds(session, 'raise-limit')).toEqual(['memory-demo-still-oom']);
    const [reason] = await failing(session, 'raise-limit');
    expect(reason).toContain('Pod memory-demo in namespace default: expected exactly 1 with');
  });
});
