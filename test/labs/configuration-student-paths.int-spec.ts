/**
 * The configuration checks against real sessions in the embedded engine: other valid ways through each step
 * pass, typical mistakes fail with a reason that says what is missing, and the diagnostics catch them.
 */
import { diagnose } from '../../src/labs';
import { hereDoc, studentPaths } from './support/student-paths';
import { LabSession } from '../../src/labs/runner/lab-session';

const { lab, play, failing, hintIds } = studentPaths('configuration');

/** `cat > FILE <<'EOF' ... EOF` as a student types it in the terminal, from the file's lines. */
const write = (file: string, lines: string[]): string => hereDoc(file, lines.join('\n'));

const WEB_HEAD = [
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
  '      - name: web',
  '        image: busybox:1.36',
  '        command: ["sh", "-c", "echo APP_MODE=$APP_MODE APP_COLOR=$APP_COLOR; sleep 3600"]',
];

/** APP_MODE and APP_COLOR one by one with configMapKeyRef instead of envFrom; DB_PASSWORD from `secretKey`. */
function envByKey(secretKey = 'password'): string[] {
  const fromConfigMap = (name: string) => [
    `        - name: ${name}`,
    '          valueFrom:',
    '            configMapKeyRef:',
    '              name: app-config',
    `              key: ${name}`,
  ];
  return [
    '        env:',
    ...fromConfigMap('APP_MODE'),
    ...fromConfigMap('APP_COLOR'),
    '        - name: DB_PASSWORD',
    '          valueFrom:',
    '            secretKeyRef:',
    '              name: db-credentials',
    `              key: ${secretKey}`,
  ];
}

/** Volumes named differently from the reference, mounted where the lab asks. */
function volumes(configMapName = 'web-config'): string[] {
  return [
    '        volumeMounts:',
    '        - name: creds',
    '          mountPath: /etc/secret',
    '          readOnly: true',
    '        - name: cfg',
    '          mountPath: /etc/config',
    '      volumes:',
    '      - name: cfg',
    '        configMap:',
    `          name: ${configMapName}`,
    '      - name: creds',
    '        secret:',
    '          secretName: db-credentials',
  ];
}

const PROPERTIES = (lives: number) => [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: web-config',
  'data:',
  '  app.properties: |',
  '    greeting=hello',
  `    lives=${lives}`,
];

/** Steps 1-3 the reference way, so later tests start where the lab does. */
async function configured(session: LabSession): Promise<void> {
  await play(session, [
    'kubectl create configmap app-config --from-literal=APP_MODE=debug --from-literal=APP_COLOR=blue',
    'kubectl create secret generic db-credentials --from-literal=username=admin --from-literal=password=s3cr3t',
    write('web-config.yaml', PROPERTIES(3)),
    'kubectl apply -f web-config.yaml',
  ]);
}

describe('configuration: other valid ways through the lab', () => {
  it('accepts a Secret manifest with stringData, --from-file, env by key, other volume names and patches', async () => {
    const session = new LabSession({ seed: 42 });
    await play(session, [
      'kubectl create cm app-config --from-literal APP_COLOR=blue --from-literal APP_MODE=debug',
    ]);
    expect(await failing(session, 'configmap-literals')).toEqual([]);

    await play(session, [
      write('secret.yaml', [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: db-credentials',
        'stringData:',
        '  username: admin',
        '  password: s3cr3t',
      ]),
      'kubectl apply -f secret.yaml',
    ]);
    expect(await failing(session, 'secret-literals')).toEqual([]);

    await play(session, [
      write('app.properties', ['greeting=hello', 'lives=3']),
      'kubectl create configmap web-config --from-file=app.properties',
    ]);
    expect(await failing(session, 'configmap-manifest')).toEqual([]);

    await play(session, [
      write('web.yaml', [...WEB_HEAD, ...envByKey()]),
      'kubectl apply -f web.yaml',
      '+40s',
      'kubectl logs deploy/web',
    ]);
    expect(await failing(session, 'env')).toEqual([]);

    await play(session, [
      write('web.yaml', [...WEB_HEAD, ...envByKey(), ...volumes()]),
      'kubectl apply -f web.yaml',
      '+60s',
      'kubectl exec deploy/web -- cat /etc/config/app.properties',
    ]);
    expect(await failing(session, 'volumes')).toEqual([]);

    await play(session, [
      write('web-config.yaml', PROPERTIES(5)),
      'kubectl apply -f web-config.yaml',
      '+90s',
      'kubectl exec -it deploy/web -- cat /etc/config/app.properties',
    ]);
    expect(await failing(session, 'update-files')).toEqual([]);

    await play(session, [
      `kubectl patch cm app-config -p '{"data":{"APP_MODE":"production"}}'`,
      `kubectl patch deployment web -p '{"spec":{"template":{"metadata":{"annotations":{"config-version":"2"}}}}}'`,
      '+60s',
      'kubectl exec deploy/web -- env',
    ]);
    expect(await failing(session, 'rollout-env')).toEqual([]);

    await play(session, [
      write('debug-pod.yaml', [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: debug',
        'spec:',
        '  containers:',
        '  - name: debug',
        '    image: busybox:1.36',
        '    command: ["sh", "-c", "sleep 3600"]',
        '    env:',
        '    - name: LOG_LEVEL',
        '      valueFrom:',
        '        configMapKeyRef:',
        '          name: app-config',
        '          key: LOG_LEVEL',
      ]),
      'kubectl create -f debug-pod.yaml',
      '+15s',
      'kubectl get pods',
      'kubectl create configmap app-config --from-literal=APP_MODE=production --from-literal=APP_COLOR=blue --from-literal=LOG_LEVEL=debug --dry-run=client -o yaml | kubectl apply -f -',
      '+30s',
    ]);
    expect(await failing(session, 'missing-key')).toEqual([]);
    expect(await diagnose(lab, session.context)).toEqual([]);
  });
});

describe('configuration: typical mistakes', () => {
  it('explains a misnamed ConfigMap and a second create of the same name', async () => {
    const session = new LabSession();
    await play(session, [
      'kubectl create cm app-cofig --from-literal=APP_MODE=debug --from-literal=APP_COLOR=blue',
    ]);
    const [misnamed] = await diagnose(lab, session.context, { stepId: 'configmap-literals' });
    expect(misnamed.id).toBe('configmap-misnamed');
    expect(misnamed.hint.en).toContain('Your ConfigMap is called app-cofig,');
    expect(await failing(session, 'configmap-literals')).toEqual([
      'ConfigMap app-config in namespace default: expected exactly 1 with .data.APP_MODE equal to debug and .data.APP_COLOR equal to blue, found none.',
    ]);

    const again = 'kubectl create cm app-cofig --from-literal=APP_MODE=debug';
    await play(session, [again], [again]);
    expect(await hintIds(session, 'configmap-literals')).toEqual(['configmap-misnamed', 'already-exists']);
  });

  it('explains a Secret key that does not exist and a ConfigMap volume with a wrong name', async () => {
    const session = new LabSession();
    await configured(session);
    await play(session, [
      write('web.yaml', [...WEB_HEAD, ...envByKey('pass')]),
      'kubectl apply -f web.yaml',
      '+40s',
    ]);
    expect(await hintIds(session, 'env')).toEqual(['config-error']);
    const reasons = await failing(session, 'env');
    expect(reasons[0]).toContain('.valueFrom.secretKeyRef.key equal to password');
    expect(reasons[0]).toContain('found 0 of 1 (web: ');

    await play(session, [
      write('web.yaml', [...WEB_HEAD, ...envByKey(), ...volumes('web-configs')]),
      'kubectl apply -f web.yaml',
      '+40s',
    ]);
    // The pods of the first, broken template stay: the new ones never become available to replace them.
    expect(await hintIds(session, 'volumes')).toEqual(['config-error', 'mount-failed']);
    const [mountReason] = await failing(session, 'volumes');
    expect(mountReason).toContain(
      'found 0 of 1 (web: .spec.template.spec.volumes[*].configMap.name is web-configs)',
    );

    await play(session, [
      write('web.yaml', [...WEB_HEAD, ...envByKey(), ...volumes()]),
      'kubectl apply -f web.yaml',
      '+90s',
    ]);
    expect(await failing(session, 'volumes')).toEqual([
      expect.stringContaining(
        'Your history has no command like `kubectl exec deploy/web -- cat /etc/config/app.properties`',
      ),
    ]);
    expect(await hintIds(session, 'volumes')).toEqual([]);
  });

  it('tells a student who looks too early that the file follows within a minute', async () => {
    const session = new LabSession();
    await configured(session);
    await play(session, [
      write('web.yaml', [...WEB_HEAD, ...envByKey(), ...volumes()]),
      'kubectl apply -f web.yaml',
      '+40s',
    ]);
    await play(session, [
      write('web-config.yaml', PROPERTIES(5)),
      'kubectl apply -f web-config.yaml',
      'kubectl exec deploy/web -- cat /etc/config/app.properties',
    ]);
    expect(await hintIds(session, 'update-files')).toEqual(['files-not-yet-updated']);
    expect(await failing(session, 'update-files')).toEqual([
      'Your history has no command like `kubectl exec deploy/web -- cat /etc/config/app.properties` that succeeded with output matching /(^|\\n)lives=5(\\n|$)/. The closest one, `kubectl exec deploy/web -- cat /etc/config/app.properties`, succeeded but its output does not match.',
    ]);
    await play(session, ['+90s', 'kubectl exec deploy/web -- cat /etc/config/app.properties']);
    expect(await failing(session, 'update-files')).toEqual([]);
    expect(await hintIds(session, 'update-files')).toEqual([]);
  });

  it('keeps the old environment until the deployment is restarted', async () => {
    const session = new LabSession();
    await configured(session);
    await play(session, [
      write('web.yaml', [...WEB_HEAD, ...envByKey()]),
      'kubectl apply -f web.yaml',
      '+40s',
    ]);
    await play(session, [
      `kubectl patch cm app-config -p '{"data":{"APP_MODE":"production"}}'`,
      'kubectl exec deploy/web -- printenv APP_MODE',
      '+120s',
      'kubectl logs deploy/web',
    ]);
    expect(session.history.at(-2)?.output).toBe('debug\n');
    expect(session.history.at(-1)?.output).toContain('APP_MODE=debug');
    expect(await hintIds(session, 'rollout-env')).toEqual(['env-needs-restart']);
    expect(await failing(session, 'rollout-env')).toEqual([
      expect.stringContaining('found 0 of 1 (web: .spec.template.metadata.annotations is not set)'),
      expect.stringContaining(
        'Your history has no command like `kubectl exec deploy/web -- printenv APP_MODE` that succeeded with output matching',
      ),
    ]);

    await play(session, [
      'kubectl rollout restart deploy/web',
      '+60s',
      'kubectl exec deploy/web -- printenv APP_MODE',
    ]);
    expect(session.history.at(-1)?.output).toBe('production\n');
    expect(await failing(session, 'rollout-env')).toEqual([]);
    expect(await hintIds(session, 'rollout-env')).toEqual([]);
  });

  it('points at the missing key while the debug pod waits, and passes once the key exists', async () => {
    const session = new LabSession();
    await configured(session);
    await play(session, [
      write('debug-pod.yaml', [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: debug',
        'spec:',
        '  containers:',
        '  - name: debug',
        '    image: busybox:1.36',
        '    command: ["sleep", "3600"]',
        '    env:',
        '    - name: LOG_LEVEL',
        '      valueFrom:',
        '        configMapKeyRef:',
        '          name: app-config',
        '          key: LOG_LEVEL',
      ]),
      'kubectl apply -f debug-pod.yaml',
      '+15s',
    ]);
    expect(await hintIds(session, 'missing-key')).toEqual(['config-error-expected']);
    expect(await failing(session, 'missing-key')).toEqual([
      "Your history has no command like `kubectl describe pod debug` that succeeded with output matching /CreateContainerConfigError|couldn't find key LOG_LEVEL/.",
      'ConfigMap app-config in namespace default: expected exactly 1 with .data.LOG_LEVEL set, found 0 of 1 (app-config: .data.LOG_LEVEL is not set).',
      expect.stringContaining(
        'Pod debug in namespace default: expected exactly 1 with phase Running and ready, found 0 of 1',
      ),
    ]);

    await play(session, [
      'kubectl describe pod debug',
      `kubectl patch cm app-config --type=merge -p '{"data":{"LOG_LEVEL":"warn"}}'`,
      '+30s',
    ]);
    expect(await failing(session, 'missing-key')).toEqual([]);
    expect(await hintIds(session, 'missing-key')).toEqual([]);
  });
});
