/**
 * The storage lab's checks against real sessions in the embedded engine: other valid ways through each step
 * pass, typical mistakes fail with a reason that says what is missing, and the diagnostics catch them.
 */
import { diagnose } from '../../src/labs';
import { studentPaths } from './support/student-paths';
import { LabSession } from '../../src/labs/runner/lab-session';

const { lab, play, failing, hintIds: hints } = studentPaths('storage');

function claim(spec: string): string {
  return `kubectl apply -f - <<'EOF'
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
${spec}
EOF`;
}

function pod(claimName: string, volume = 'data'): string {
  return `kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, "3600"]
    volumeMounts:
    - { name: ${volume}, mountPath: /data }
    - { name: scratch, mountPath: /cache }
  volumes:
  - name: ${volume}
    persistentVolumeClaim: { claimName: ${claimName} }
  - name: scratch
    emptyDir: {}
EOF`;
}

function statefulSet(clusterIp: string): string {
  return `kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  ${clusterIp}
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web }
spec:
  serviceName: web
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        volumeMounts: [{ name: www, mountPath: /usr/share/nginx/html }]
  volumeClaimTemplates:
  - metadata: { name: www }
    spec:
      accessModes: [ReadWriteOnce]
      resources: { requests: { storage: 100Mi } }
EOF`;
}

describe('Storage lab: other valid ways through it', () => {
  it('accepts short names, stdin manifests, 1024Mi, quoted text, the pod shell and scale by resource/name', async () => {
    const session = new LabSession({ seed: 11 });
    await play(session, ['kubectl get sc', 'kubectl describe storageclass/standard', 'kubectl get po -A']);
    expect(await failing(session, 'storage-class')).toEqual([]);

    // No storageClassName: the default class is filled in by admission.
    await play(session, [claim('      storage: 1024Mi'), '+3s']);
    expect(await failing(session, 'claim')).toEqual([]);

    await play(session, [pod('data', 'storage'), '+20s']);
    expect(await failing(session, 'mount')).toEqual([]);

    await play(session, [
      `kubectl exec -it app -- sh -c "echo 'hello, storage' >/data/message.txt"`,
      'kubectl delete po/app',
      pod('data', 'storage'),
      '+20s',
      'kubectl exec -ti app -- sh',
      'cat /data/message.txt',
      'exit',
    ]);
    expect(await failing(session, 'survive')).toEqual([]);

    await play(
      session,
      [
        'kubectl exec app -- sh -c "date > /cache/now"',
        'kubectl delete pod app --grace-period=1',
        pod('data', 'storage'),
        '+20s',
        'kubectl exec app -- cat /cache/now',
      ],
      ['kubectl exec app -- cat /cache/now'],
    );
    expect(await failing(session, 'emptydir')).toEqual([]);

    await play(session, [statefulSet('clusterIP: None'), '+60s']);
    expect(await failing(session, 'statefulset')).toEqual([]);

    await play(session, [
      'kubectl scale statefulset/web --replicas 3',
      '+40s',
      'kubectl scale --replicas=2 sts web',
      '+40s',
    ]);
    expect(await failing(session, 'scale')).toEqual([]);

    await play(session, [
      'kubectl run client --image=busybox:1.36 --restart=Never -- sleep 3600',
      '+15s',
      'kubectl exec -ti client -- sh',
      'nslookup web-0.web.default.svc.cluster.local',
      'exit',
      'kubectl delete pods web-0',
      '+30s',
      'kubectl exec client -- nslookup web-0.web.default.svc.cluster.local.',
    ]);
    expect(await failing(session, 'stable-dns')).toEqual([]);
    expect(await diagnose(lab, session.context)).toEqual([]);
  });
});

describe('Storage lab: typical mistakes', () => {
  it('explains an empty size and a class that does not exist', async () => {
    const session = new LabSession();
    const empty = claim('      storage:');
    await play(session, [empty], [empty]);
    expect(await hints(session, 'claim')).toEqual(['claim-quantity-missing']);
    expect(await failing(session, 'claim')).toEqual([
      'PersistentVolumeClaim data in namespace default: expected exactly 1 with .status.phase equal to Bound and ' +
        '.spec.storageClassName equal to standard and .spec.resources.requests.storage matching /^(1Gi|1024Mi)$/ ' +
        'and .spec.accessModes[*] equal to ReadWriteOnce, found none.',
      expect.stringMatching(/^PersistentVolumes: expected exactly 1 .*, found none\.$/),
    ]);

    await play(session, [claim('      storage: 1Gi\n  storageClassName: fast'), '+10s']);
    expect(await hints(session, 'claim')).toContain('claim-pending');
    const [claimReason] = await failing(session, 'claim');
    expect(claimReason).toContain('found 0 of 1 (data: .status.phase is Pending)');

    await play(session, ['kubectl delete pvc data', claim('      storage: 1Gi'), '+3s']);
    expect(await failing(session, 'claim')).toEqual([]);
    expect(await hints(session, 'claim')).toEqual([]);
  });

  it('explains a pod that mounts the wrong claim, and a read without the delete in between', async () => {
    const session = new LabSession();
    await play(session, [claim('      storage: 1Gi'), '+3s', pod('date'), '+20s']);
    expect(await hints(session, 'mount')).toEqual(['pod-claim-name-wrong']);
    expect(await failing(session, 'mount')).toEqual([
      expect.stringContaining('found 0 of 1 (app: phase is Pending)'),
    ]);

    await play(session, ['kubectl delete pod app', pod('data'), '+20s']);
    expect(await failing(session, 'mount')).toEqual([]);

    // Written and read back in the same pod: nothing shows that the data outlived it.
    await play(session, [
      "kubectl exec app -- sh -c 'echo hello > /data/message.txt'",
      'kubectl exec app -- cat /data/message.txt',
    ]);
    expect(await hints(session, 'survive')).toEqual(['message-differs']);
    expect(await failing(session, 'survive')).toEqual([
      'Expected 3 commands in order; missing step 2: a command like `kubectl delete pod app` that succeeded with ' +
        'output matching /pod "app" deleted/ after `kubectl exec app -- sh -c \'echo hello > /data/message.txt\'`.',
    ]);
  });

  it('explains a service that is not headless and a short dotted name in nslookup', async () => {
    const session = new LabSession();
    await play(session, [statefulSet('type: ClusterIP'), '+60s']);
    expect(await hints(session, 'statefulset')).toEqual(['service-not-headless']);
    expect(await failing(session, 'statefulset')).toEqual([
      'Service web in namespace default: expected exactly 1 with .spec.clusterIP equal to None and a selector ' +
        `that matches at least one pod, found 0 of 1 (web: .spec.clusterIP is ${await clusterIp(session)}).`,
    ]);

    await play(session, [
      'kubectl delete svc web',
      statefulSet('clusterIP: None'),
      'kubectl run client --image=busybox:1.36 -- sleep 3600',
      '+20s',
    ]);
    expect(await failing(session, 'statefulset')).toEqual([]);
    await play(
      session,
      ['kubectl exec client -- nslookup web-0.web'],
      ['kubectl exec client -- nslookup web-0.web'],
    );
    expect(await hints(session, 'stable-dns')).toEqual(['nslookup-short-dotted-name']);
    const [dnsReason] = await failing(session, 'stable-dns');
    expect(dnsReason).toContain('missing step 1');
  });
});

async function clusterIp(session: LabSession): Promise<string> {
  const [service] = await session.context.readObjects({ kind: 'Service', namespace: 'default', name: 'web' });
  return (service.spec as { clusterIP: string }).clusterIP;
}
