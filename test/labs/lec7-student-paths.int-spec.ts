/**
 * The Lec7 checks against real sessions in the embedded engine: other valid ways of doing each step must
 * pass, typical mistakes must fail with a reason that says what is missing, and the diagnostics must catch them.
 */
import { diagnose } from '../../src/labs';
import { LabSession } from '../../src/labs/runner/lab-session';
import { studentPaths } from './support/student-paths';

const { lab, play, failing, hintIds } = studentPaths('lec7-k8s-basics');
const V1 = 'gcr.io/google-samples/kubernetes-bootcamp:v1';

async function nodePort(session: LabSession): Promise<number> {
  const [service] = await session.context.readObjects({
    kind: 'Service',
    namespace: 'default',
    name: 'yanwei',
  });
  return (service.spec as { ports: { nodePort: number }[] }).ports[0].nodePort;
}

describe('Lec7: other valid ways through the lab', () => {
  it('accepts short names, flag orders, literal IPs and Docker Hub prefixes', async () => {
    const session = new LabSession({ seed: 42 });
    await play(session, [
      'kubectl version --client',
      'kubectl cluster-info',
      'kubectl get no',
      'kubectl -n kube-system get po',
    ]);
    expect(await failing(session, 'inspect-cluster')).toEqual([]);

    await play(session, ['kubectl label node minikube disktype=ssd']);
    expect(await failing(session, 'label-node')).toEqual([]);

    await play(session, [`kubectl create deploy yanwei.app --image ${V1}`, '+40s']);
    expect(await failing(session, 'create-deployment')).toEqual([]);

    const [pod] = await session.context.readObjects({
      kind: 'Pod',
      namespace: 'default',
      labelSelector: 'app=yanwei.app',
    });
    await play(session, [`kubectl label po ${pod.metadata.name} transwarp.io/name=yanwei`]);
    expect(await failing(session, 'label-pod')).toEqual([]);

    await play(session, ['kubectl scale deploy yanwei.app --replicas 3', '+40s']);
    expect(await failing(session, 'scale-to-3')).toEqual([]);

    await play(session, [
      'kubectl expose deployment yanwei.app --type=NodePort --port=8080 --name=yanwei',
      '+2s',
    ]);
    await play(session, [`curl http://192.168.49.2:${await nodePort(session)}/`]);
    expect(await failing(session, 'expose')).toEqual([]);

    await play(session, [
      'kubectl scale --replicas=4 deployment/yanwei.app',
      '+40s',
      'kubectl scale --replicas=2 deployment/yanwei.app',
      '+2s',
    ]);
    expect(await failing(session, 'scale-4-then-2')).toEqual([]);

    await play(session, [
      'kubectl set image deployment/yanwei.app kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2',
      '+120s',
    ]);
    expect(await failing(session, 'update-v2')).toEqual([]);

    await play(session, [
      'kubectl set image deploy/yanwei.app kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10',
      '+25s',
      'kubectl describe pods | grep -i reason',
    ]);
    expect(await failing(session, 'failed-upgrade')).toEqual([]);

    await play(session, ['kubectl rollout undo deployment yanwei.app', '+60s']);
    expect(await failing(session, 'rollback')).toEqual([]);
    expect(await diagnose(lab, session.context)).toEqual([]);
  });
});

describe('Lec7: the tutorial way to curl', () => {
  it('accepts the NodePort in a shell variable', async () => {
    const session = new LabSession();
    await play(session, [`kubectl create deployment yanwei.app --image=${V1}`, '+30s']);
    await play(session, ['kubectl expose deployment/yanwei.app --type=NodePort --port 8080 --name yanwei']);
    await play(session, [
      `export NODE_PORT=${await nodePort(session)}`,
      'curl http://"$(minikube ip):$NODE_PORT"',
    ]);
    expect(await failing(session, 'expose')).toEqual([]);
  });
});

describe('Lec7: typical mistakes', () => {
  it('explains a misnamed deployment and a mistyped image, and passes once they are fixed', async () => {
    const session = new LabSession();
    await play(
      session,
      ['kubectl delete deployment kubernetes-bootcamp', `kubectl create deployment yanwei --image=${V1}`],
      ['kubectl delete deployment kubernetes-bootcamp'],
    );
    expect((await diagnose(lab, session.context)).map((hint) => hint.id)).toEqual([
      'deployment-misnamed',
      'tutorial-deployment-absent',
    ]);
    expect(await failing(session, 'create-deployment')).toEqual([
      'Deployment yanwei.app in namespace default: expected exactly 1 with image gcr.io/google-samples/kubernetes-bootcamp:v1 in container kubernetes-bootcamp, found none.',
      'Pods with labels app=yanwei.app in namespace default: expected at least 1 with phase Running and ready, found none.',
    ]);

    await play(session, [
      'kubectl delete deployment yanwei',
      'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v11',
      '+30s',
    ]);
    const hints = await diagnose(lab, session.context, { stepId: 'create-deployment' });
    expect(hints.map((hint) => hint.id)).toEqual(['image-pull-failure', 'tutorial-deployment-absent']);
    expect(hints[0].hint.en).toMatch(/^Pod yanwei\.app-\S+ cannot pull its image\./);
    const [imageReason, podReason] = await failing(session, 'create-deployment');
    expect(imageReason).toContain('(yanwei.app: image is gcr.io/google-samples/kubernetes-bootcamp:v11)');
    expect(podReason).toMatch(/found 0 of 1 \(yanwei\.app-\S+: phase is Pending\)/);

    await play(session, [`kubectl set image deployment/yanwei.app kubernetes-bootcamp=${V1}`, '+60s']);
    expect(await failing(session, 'create-deployment')).toEqual([]);
    const remaining = await diagnose(lab, session.context, { stepId: 'create-deployment' });
    expect(remaining.map((hint) => hint.id)).toEqual(['tutorial-deployment-absent']);
  });

  it('explains the DNS-1035 error and a curl to the wrong port', async () => {
    const session = new LabSession();
    await play(session, [`kubectl create deployment yanwei.app --image=${V1}`, '+30s']);
    await play(
      session,
      ['kubectl expose deployment/yanwei.app --type=NodePort --port 8080'],
      ['kubectl expose deployment/yanwei.app --type=NodePort --port 8080'],
    );
    const [dnsHint] = await diagnose(lab, session.context, { stepId: 'expose' });
    expect(dnsHint.id).toBe('service-name-with-dot');
    expect(await failing(session, 'expose')).toEqual([
      'Service yanwei in namespace default: expected exactly 1 with type NodePort and port 8080 (targetPort 8080) and a selector that matches at least one pod, found none.',
      'Cannot determine {{nodePort}}: there is no Service yanwei in namespace default.',
    ]);

    await play(
      session,
      [
        'kubectl expose deployment/yanwei.app --type=NodePort --port 8080 --name yanwei',
        'curl $(minikube ip):8080',
      ],
      ['curl $(minikube ip):8080'],
    );
    const port = await nodePort(session);
    const [curlHint] = await diagnose(lab, session.context, { stepId: 'expose' });
    expect(curlHint.id).toBe('curl-failed');
    expect(curlHint.hint.en).toContain(`e.g. \`curl $(minikube ip):${port}\``);
    const [curlReason] = await failing(session, 'expose');
    expect(curlReason).toContain(
      'Your closest attempt, `curl $(minikube ip):8080`, does not have the expected form (exit code 7).',
    );

    await play(session, [`curl $(minikube ip):${port}`]);
    expect(await failing(session, 'expose')).toEqual([]);
    expect(await diagnose(lab, session.context, { stepId: 'expose' })).toEqual([]);
  });

  it('explains a ClusterIP service on the wrong port and a node label with another value', async () => {
    const session = new LabSession();
    await play(session, ['kubectl label nodes minikube disktype=hdd']);
    expect(await hintIds(session, 'label-node')).toEqual(['node-label-value']);
    await play(session, ['kubectl label nodes minikube disktype=ssd --overwrite']);
    expect(await failing(session, 'label-node')).toEqual([]);

    await play(session, [`kubectl create deployment yanwei.app --image=${V1}`, '+30s']);
    await play(session, ['kubectl expose deployment/yanwei.app --port 80 --name yanwei']);
    expect(await hintIds(session, 'expose')).toEqual(['service-not-nodeport', 'service-wrong-port']);
    const [serviceReason] = await failing(session, 'expose');
    expect(serviceReason).toBe(
      'Service yanwei in namespace default: expected exactly 1 with type NodePort and port 8080 (targetPort 8080) ' +
        'and a selector that matches at least one pod, found 0 of 1 (yanwei: type is ClusterIP).',
    );
  });

  it('does not count the rollback before the v10 pods are gone, and points at rollout undo while stuck', async () => {
    const session = new LabSession();
    await play(session, [
      `kubectl create deployment yanwei.app --image=${V1}`,
      'kubectl scale deployments/yanwei.app --replicas=3',
      '+40s',
      'kubectl set image deployments/yanwei.app kubernetes-bootcamp=jocatalin/kubernetes-bootcamp:v2',
      '+120s',
      'kubectl set image deployments/yanwei.app kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10',
    ]);
    expect(await hintIds(session, 'rollback')).toContain('stuck-on-v10');
    // Looking too early: the pod is still being created, so the failure has not been seen yet.
    await play(session, ['kubectl get pods']);
    expect(await failing(session, 'failed-upgrade')).toEqual([
      'Your history has no command like `kubectl get pods` that succeeded with output matching /ErrImagePull|ImagePullBackOff/. The closest one, `kubectl get pods`, succeeded but its output does not match.',
    ]);
    await play(session, ['+20s', 'kubectl get pods']);
    expect(await failing(session, 'failed-upgrade')).toEqual([]);

    await play(session, ['kubectl rollout undo deployments/yanwei.app']);
    const [reason] = await failing(session, 'rollback');
    expect(reason).toMatch(/rollout not finished|pods of an older ReplicaSet are still present/);
    await play(session, ['+60s']);
    expect(await failing(session, 'rollback')).toEqual([]);
  });
});
